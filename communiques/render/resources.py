"""The one rule for what rendering may read: files inside the project's asset and template folders.

WeasyPrint's URL fetcher and the DOCX image loader both ask here, so there is a single place
to decide, and a refused resource is an error rather than a silently missing image.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit


class ResourceRefused(Exception):
    """A template or stylesheet asked for something outside the allowed folders."""


def local_file(url: str, roots: tuple[Path, ...]) -> Path:
    """The file a `file:` URL names, if it lies inside one of `roots` (symlinks resolved)."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ResourceRefused(f"ressource externe refusée : {url}")
    path = Path(unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root.resolve()) for root in roots):
        raise ResourceRefused(f"fichier hors des dossiers assets/ et templates/ refusé : {path}")
    if not path.is_file():
        raise ResourceRefused(f"fichier introuvable : {path}")
    return path
