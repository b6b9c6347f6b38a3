"""The link rule: which addresses a reader may follow, for link fields and Markdown links alike.

It sits below both the data model (which reports a refused link) and the Markdown renderer
(which never emits one), so that the two share one rule without importing each other.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LINK_SCHEMES = ("https", "http", "mailto", "tel")


def link_allowed(url: str) -> bool:
    """Links a reader may follow safely: https:, http:, mailto: and tel: only, and a web
    address names its host."""
    parts = urlsplit(url.strip())
    if parts.scheme not in LINK_SCHEMES or not (parts.netloc or parts.path):
        return False
    return bool(parts.netloc) or parts.scheme not in ("http", "https")
