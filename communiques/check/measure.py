"""The laid-out height of each edition's body, for the length rule: from the user's cache
when neither its HTML nor the theme changed since it was measured (WeasyPrint takes 0.1 s a
body, most of `check`'s time), otherwise laid out by a helper process while this one
proofreads.

The key is the HTML itself (which holds every word, image and class the layout depends on),
the theme's files (stylesheet, fonts, logos, templates: names, sizes and dates) and
WeasyPrint's version; the cache's salt adds the tool's own code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import cache as user_cache
from ..themes import Theme

if TYPE_CHECKING:
    from ..render.pdf_process import PdfProcess

TABLE = "mesures"


class Measurer:
    """Measures bodies for one run of `check`; `save` keeps the new measures."""

    def __init__(self, pdf_process: PdfProcess | None = None) -> None:
        """`pdf_process`: a helper already started (before the heavy imports, while some
        body is likely to need it); otherwise one is started at the first body to lay out."""
        self.table = user_cache.Table(TABLE, _weasyprint_version())
        self._pdf_process = pdf_process
        self._started = pdf_process is not None
        self._themes: dict[Theme, str] = {}
        """Each theme's fingerprint, taken once a run (a run is short; a theme edited
        during one is measured anew by the next)."""

    def measure(self, html: str, theme: Theme) -> Callable[[], float]:
        """The body's height in pages, to be waited for."""
        if theme not in self._themes:
            folders = (*theme.asset_dirs, *theme.template_dirs)
            self._themes[theme] = user_cache.files_fingerprint(folders)
        key = user_cache.digest(html, self._themes[theme])
        pages = self.table.get(key)
        if isinstance(pages, int | float):
            return lambda: float(pages)
        from ..render.pdf import body_pages

        process = self._helper(theme)
        run: Callable[..., Callable[[], float]] = process.call if process else partial
        waiting = run(body_pages, html, theme.asset_dirs, theme.template_dirs)

        def measured() -> float:
            found = waiting()
            self.table.put(key, found)
            return found

        return measured

    def save(self) -> None:
        self.table.save()

    def _helper(self, theme: Theme) -> PdfProcess | None:
        if not self._started:
            from ..render import pdf_process

            self._started = True
            self._pdf_process = pdf_process.start(theme.asset_dirs, theme.template_dirs)
        return self._pdf_process


def likely_needed(sources: list[Path]) -> bool:
    """Whether some body will probably have to be laid out: a source changed since the
    measures were last saved (or there are none). Checked before the heavy imports, to start
    the helper only when it will work."""
    try:
        saved = user_cache.folder().joinpath(f"{TABLE}.json").stat().st_mtime_ns
        return any(source.stat().st_mtime_ns >= saved for source in sources)
    except OSError:
        return True


@cache
def _weasyprint_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("weasyprint")
    except PackageNotFoundError:
        return ""
