"""HTML → PDF with WeasyPrint, reading nothing but the project's own assets and templates.

A worker process lays out many communiqués: the stylesheet is parsed and its fonts loaded
once per process and reused (WeasyPrint's FontConfiguration is the expensive part).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache, partial
from pathlib import Path
from typing import Any

from ..errors import ResourceRefused
from ..formats import DEFAULT_VARIANT, PDF_VARIANTS
from .remote import Fetched
from .resources import inside, read

STYLESHEET = "css/communique.css"
FONT_EPOCH = "315532800"
"""1980-01-01, as the DOCX's zip entries: the date fontTools gives the fonts it subsets when
WeasyPrint falls back on it (without libharfbuzz-subset0), instead of the current time,
which would make every PDF differ. A SOURCE_DATE_EPOCH set by the user wins. Set where
processes start (`pin_font_dates`), never by `render_pdf`, which has no global effect."""


def pin_font_dates() -> None:
    """Date the fonts fontTools subsets to FONT_EPOCH in this process and the ones it starts,
    unless the user set SOURCE_DATE_EPOCH: called where processes start (the CLI, a batch
    worker, the PDF helper), so that PDFs are byte-reproducible without libharfbuzz-subset0."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_EPOCH)


@cache
def import_weasyprint() -> None:
    """Import WeasyPrint, and have it compress the PDF's streams at the level that pays
    (adapters/weasyprint.py, COMPRESSION_LEVEL)."""
    _import_weasyprint()
    from ..adapters.weasyprint import set_compression_level

    set_compression_level()


def _import_weasyprint() -> None:
    """Import WeasyPrint without its twenty-odd failed library searches (0.3 s per process).

    WeasyPrint tries names such as "libgobject-2.0-0" before "libgobject-2.0.so.0"; for each
    miss, cffi asks ctypes.util.find_library, which runs ldconfig and gcc (about 15 ms each).
    On Linux the sonames it tries next load directly, so those misses are answered at once;
    should that fail on an unusual system, the import is retried the slow way.
    """
    if sys.platform != "linux" or "weasyprint.text.ffi" in sys.modules:
        import weasyprint

        return
    import ctypes.util

    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except OSError:
        for name in [name for name in sys.modules if name.split(".")[0] == "weasyprint"]:
            del sys.modules[name]
        ctypes.util.find_library = find_library
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


@cache
def _fetcher_class() -> type:
    import_weasyprint()
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class Fatal(FatalURLFetchingError):  # type: ignore[misc]
        def __reduce__(self) -> tuple[type, tuple[str]]:
            """A local class cannot be pickled: one that crosses processes arrives as what
            it means, a refused resource."""
            return ResourceRefused, (str(self),)

    class ProjectFilesOnly(URLFetcher):  # type: ignore[misc]
        def __init__(
            self,
            roots: tuple[Path, ...],
            hosts: tuple[str, ...] = (),
            fetched: Fetched | None = None,
        ) -> None:
            super().__init__()
            self.roots = roots
            self.hosts = hosts
            self.fetched = fetched

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                data, content_type = read(url, self.roots, self.hosts, self.fetched)
            except ResourceRefused as exc:
                raise Fatal(str(exc)) from None
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    ProjectFilesOnly.Fatal = Fatal
    return ProjectFilesOnly


@cache
def _theme(
    asset_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...], hosts: tuple[str, ...] = ()
) -> tuple[Any, Any, Any]:
    """Fetcher, stylesheet and font configuration, made once per process and theme."""
    import_weasyprint()
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _fetcher_class()((*asset_dirs, *template_dirs), hosts)
    fonts = FontConfiguration()
    stylesheet_path = next((d / STYLESHEET for d in asset_dirs if (d / STYLESHEET).is_file()), None)
    if stylesheet_path is None:
        raise ResourceRefused(f"feuille de style introuvable : assets/{STYLESHEET}")
    stylesheet_path = inside(stylesheet_path, asset_dirs)
    try:  # WeasyPrint fetches @import and @font-face while it parses
        stylesheet = CSS(
            string=stylesheet_path.read_text(encoding="utf-8"),
            base_url=stylesheet_path.as_uri(),
            url_fetcher=fetcher,
            font_config=fonts,
        )
    except fetcher.Fatal as exc:
        raise ResourceRefused(f"feuille de style {stylesheet_path} : {exc}") from None
    return fetcher, stylesheet, fonts


@cache
def _image_cache(asset_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...]) -> dict[str, Any]:
    """Images shared by the documents of a process, by URL: the logo is decoded, and encoded
    for the PDF, once."""
    from ..adapters.weasyprint import image_cache

    return image_cache()


def render_pdf(
    html: str,
    asset_dirs: tuple[Path, ...],
    template_dirs: tuple[Path, ...],
    hosts: tuple[str, ...] = (),
    *,
    variant: str | None = None,
    fetched: Fetched | None = None,
) -> bytes:
    """Lay out `html` as a tagged PDF whose identifier depends on the content only;
    resources come from the theme's folders, or from `hosts` if the user allowed them.

    `variant` is one of PDF_VARIANTS (by default PDF/UA-1); all of them are tagged, with
    the document's language, its title in the window title and the logo's alternative text.
    """
    import_weasyprint()
    from weasyprint import HTML

    from .tagging import finish, prepare

    prepare()
    variant = variant or DEFAULT_VARIANT
    if variant not in PDF_VARIANTS:
        raise ValueError(
            f"variante PDF inconnue : {variant} (variantes : {', '.join(PDF_VARIANTS)})"
        )
    fetcher, stylesheet, fonts = _theme(asset_dirs, template_dirs, hosts)
    if fetched is not None:  # this communiqué's resources, shared with its DOCX
        fetcher = type(fetcher)(fetcher.roots, hosts, fetched)
    document = HTML(string=html, base_url=asset_dirs[0].as_uri() + "/", url_fetcher=fetcher)
    try:
        pdf = document.write_pdf(
            stylesheets=[stylesheet],
            font_config=fonts,
            cache=_image_cache(asset_dirs, template_dirs),
            pdf_identifier=hashlib.sha256(f"{variant}\n{html}".encode()).hexdigest()[:32].encode(),
            pdf_variant=variant,
            pdf_tags=True,
            finisher=partial(finish, variant=variant),
        )
    except fetcher.Fatal as exc:
        raise ResourceRefused(str(exc)) from None
    assert isinstance(pdf, bytes)
    return pdf


_MEASURED = ("chapo", "corps")
_MARKED = re.compile(r'<(div|header|footer) class="(chapo|corps|entete|pied)"')
_ID = "communiques-mesure-"


def body_pages(html: str, asset_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...]) -> float:
    """How many pages' worth of height (of the page's text area) the chapô and body take in
    the PDF layout.

    Each of them, the header and the running footer get an id, so that WeasyPrint's
    `Page.anchors` gives the rectangle of their part on each page, with no walking of the
    laid-out boxes: the text area runs from the top of the header (page 1) to the top of
    the footer, which stands in the bottom margin."""
    fetcher, stylesheet, fonts = _theme(asset_dirs, template_dirs)
    from weasyprint import HTML

    from ..adapters.weasyprint import anchor_rectangle

    marked = _MARKED.sub(rf'<\1 id="{_ID}\2" class="\2"', html)
    document = HTML(string=marked, base_url=asset_dirs[0].as_uri() + "/", url_fetcher=fetcher)
    try:
        laid_out = document.render(stylesheets=[stylesheet], font_config=fonts)
    except fetcher.Fatal as exc:
        raise ResourceRefused(str(exc)) from None
    if not laid_out.pages:
        return 0.0
    first = laid_out.pages[0]
    top = anchor_rectangle(first, f"{_ID}entete")
    bottom = anchor_rectangle(first, f"{_ID}pied")
    area = (bottom[1] if bottom else float(first.height)) - (top[1] if top else 0.0)
    height = 0.0
    for page in laid_out.pages:
        for name in _MEASURED:
            rectangle = anchor_rectangle(page, f"{_ID}{name}")
            if rectangle is not None:
                height += rectangle[3] - rectangle[1]
    return height / area if area > 0 else 0.0
