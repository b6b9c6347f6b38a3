"""The one rule for what rendering may read: files inside the project's asset and template folders.

WeasyPrint's URL fetcher and the DOCX image loader both ask here, so there is a single place
to decide, and a refused resource is an error rather than a silently missing image.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit


class ResourceRefused(Exception):
    """A template or stylesheet asked for something outside the allowed folders."""


ASSET_SCHEME = "asset"


def asset_url(name: str) -> str:
    """`asset:logos/x.png`: a file of the asset folders, named independently of where they
    are, so that documents (and their PDF bytes) do not depend on the project's location."""
    return f"{ASSET_SCHEME}:{name}"


def local_file(url: str, roots: tuple[Path, ...]) -> Path:
    """The file an `asset:` or `file:` URL names, if it lies inside one of `roots`
    (symlinks resolved); the first root that has it wins."""
    parts = urlsplit(url)
    if parts.scheme == ASSET_SCHEME:
        candidates = [(root / unquote(parts.path)).resolve() for root in roots]
    elif parts.scheme == "file":
        candidates = [Path(unquote(parts.path)).resolve()]
    else:
        raise ResourceRefused(f"ressource externe refusée : {url}")
    inside = [p for p in candidates if any(p.is_relative_to(root.resolve()) for root in roots)]
    if not inside:
        raise ResourceRefused(f"fichier hors des dossiers assets/ et templates/ refusé : {url}")
    for path in inside:
        if path.is_file():
            return path
    raise ResourceRefused(f"fichier introuvable : {url}")
