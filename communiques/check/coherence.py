"""The coherence family, as `check` reports it: the coherence rules' warnings that `load`
already computed (`resolved.remarks`: the rules live in communiques/coherence.py, shared with
`build`, whose errors stop `load` and are reported as data errors), links in http://, and
contacts' e-mail domains that look mistaken.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..errors import WARNING, Diagnostic
from ..yamlfile import Loc, dotted
from .passages import documents
from .registry import Proofreading, rule

WEBMAILS = {
    "gmail.com",
    "googlemail.com",
    "yahoo.fr",
    "yahoo.com",
    "hotmail.fr",
    "hotmail.com",
    "outlook.fr",
    "outlook.com",
    "live.fr",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "laposte.net",
    "icloud.com",
    "gmx.fr",
    "protonmail.com",
    "proton.me",
}


@rule("coherence", WARNING)
def remarks(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """What the coherence rules warn of without stopping the build (a deadline passed, an
    embargo after the communiqué's date), as `load` found it; and what reading the files
    warned of (text lost to a comment), which keeps its own family, « donnees »."""
    yield from proofreading.resolved.remarks


@rule("coherence", WARNING)
def links(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """Links in http://: readers' browsers warn about them, and most sites answer in https."""
    for text in proofreading.passages:
        for match in re.finditer(r"\bhttp://[^\s)<>\"]+", text.value):
            url = match[0]
            yield text.finding(
                f"lien non sécurisé « {url} »",
                f"« https://{url.removeprefix('http://')} »",
                at=match.start(),
                length=len(url),
            )


@rule("coherence", WARNING)
def email_domains(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """A contact's e-mail outside the émetteur's domain, when that looks like a mistake: a
    personal webmail, or a domain one or two letters away from the émetteur's."""
    resolved = proofreading.resolved
    site = resolved.emetteur.site
    if not site:
        return
    domain = urlsplit(site).netloc.lower().removeprefix("www.")
    for document in documents(resolved):
        for loc, email in _emails(document.data, ()):
            local, _, host = email.rpartition("@")
            host = host.lower()
            if host == domain or host.endswith("." + domain) or domain.endswith("." + host):
                continue
            line, column = document.mark(loc)
            if host in WEBMAILS:
                yield Diagnostic(
                    document.path,
                    line,
                    column,
                    dotted(loc),
                    f"adresse personnelle ({host}) pour un contact de presse de {domain}",
                    suggestion=f"une adresse @{domain}",
                )
            elif difflib.SequenceMatcher(None, host, domain).ratio() >= 0.8:
                yield Diagnostic(
                    document.path,
                    line,
                    column,
                    dotted(loc),
                    f"domaine « {host} » presque identique à celui de l'émetteur ({domain}) : "
                    "faute de frappe ?",
                    suggestion=f"« {local}@{domain} »",
                )


def _emails(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "email" and isinstance(child, str) and "@" in child:
                yield (*loc, key), child.strip()
            else:
                yield from _emails(child, (*loc, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _emails(child, (*loc, index))
