"""The one rule for what rendering may read: files inside the project's asset and template
folders, small `data:` URLs, and the network only for hosts the user named.

WeasyPrint's URL fetcher and the DOCX image loader both ask here, so there is a single place
to decide, and a refused resource is an error rather than a silently missing image.
"""

from __future__ import annotations

import base64
import binascii
import mimetypes
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from ..errors import ResourceRefused
from .remote import Fetched, fetch, short

ASSET_SCHEME = "asset"
DATA_URL_MAX = 256 * 1024
"""Characters of a `data:` URL: an icon fits; a document smuggled into a template does not."""


def asset_url(name: str) -> str:
    """`asset:logos/x.png`: a file of the asset folders, named independently of where they
    are, so that documents (and their PDF bytes) do not depend on the project's location."""
    return f"{ASSET_SCHEME}:{name}"


def read(
    url: str, roots: tuple[Path, ...], hosts: tuple[str, ...] = (), fetched: Fetched | None = None
) -> tuple[bytes, str]:
    """The bytes and media type of the resource at `url`, if the rule allows it.

    `hosts` are the host names the user allowed the network for (none by default): rendering
    is then the same on every machine, and a template cannot call out. `fetched` holds what
    this communiqué's build already fetched, so that its PDF and DOCX ask the network once."""
    scheme = urlsplit(url).scheme.lower()
    if scheme == "data":
        return _data(url)
    if scheme in ("http", "https"):
        return fetched.get(url, hosts) if fetched is not None else fetch(url, hosts)
    path = local_file(url, roots)
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def local_file(url: str, roots: tuple[Path, ...]) -> Path:
    """The file an `asset:` or `file:` URL names, if it lies inside one of `roots`
    (symlinks resolved); the first root that has it wins."""
    parts = urlsplit(url)
    if parts.scheme == ASSET_SCHEME:
        candidates = [(root / unquote(parts.path)).resolve() for root in roots]
    elif parts.scheme == "file":
        candidates = [Path(unquote(parts.path)).resolve()]
    else:
        raise ResourceRefused(f"ressource externe refusée : {short(url)}")
    inside = [p for p in candidates if any(p.is_relative_to(root.resolve()) for root in roots)]
    for path in inside:
        if path.is_file():
            return path
    if not inside or any(p.exists() for p in candidates if p not in inside):  # a link out
        raise ResourceRefused(
            f"fichier hors des dossiers assets/ et templates/ refusé : {short(url)}"
        )
    raise ResourceRefused(f"fichier introuvable : {short(url)}")


def inside(path: Path, roots: tuple[Path, ...]) -> Path:
    """`path`, a file found in one of `roots`, if it lies inside one of them once symlinks
    are resolved: a link leading out of the office and the package is refused, never followed.
    The one rule for the files read by name (templates, stylesheet, reference.docx)."""
    real = path.resolve()
    if any(real.is_relative_to(root.resolve()) for root in roots):
        return real
    raise ResourceRefused(
        f"fichier hors des dossiers du bureau refusé : {path} est un lien vers {real} ; "
        "copiez le fichier dans le bureau au lieu d'un lien"
    )


def _data(url: str) -> tuple[bytes, str]:
    if len(url) > DATA_URL_MAX:
        raise ResourceRefused(
            f"ressource data: trop volumineuse ({len(url) // 1024} Ko) : "
            f"{DATA_URL_MAX // 1024} Ko au plus ; mettez le fichier dans assets/"
        )
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise ResourceRefused(f"ressource data: illisible : {short(url)}")
    try:
        if header.lower().endswith(";base64"):
            data = base64.b64decode(payload, validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise ResourceRefused(f"ressource data: illisible : {short(url)}") from None
    return data, header.split(";")[0].strip().lower() or "text/plain"
