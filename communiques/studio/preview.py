"""The live preview: the edited YAML validated, proofread and laid out by the same code as
`build` and `check`, and the PDF's pages rasterised for the browser.

One `Previewer` per server keeps everything warm: WeasyPrint's fonts and stylesheet (cached
by `render.pdf` per process), the templates, the dictionary. Layouts run one at a time (the
machine has two cores and WeasyPrint is not meant for threads); a request overtaken by a
newer one for the same file, while it waited, is answered as stale without laying out.
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..build import Theme, render
from ..errors import DataErrors, Diagnostic
from ..sources import PressOffice

SCREEN_SCALE = 96 / 72  # CSS pixels per PDF point: an A4 page is 794 × 1123 pixels


@dataclass
class Preview:
    pages: list[bytes] = field(default_factory=list)
    """PNG images, every page of every edition, in order."""
    findings: list[Diagnostic] = field(default_factory=list)
    failed: bool = False
    """True when the data cannot be built: `findings` has the errors, `pages` is empty."""
    stale: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Milliseconds per stage: validation, relecture, mise_en_page, rasterisation."""


class Previewer:
    def __init__(self, office: PressOffice) -> None:
        self.office = office
        self.theme = Theme.of(office)
        self._lock = threading.Lock()
        self._latest: dict[Path, int] = {}
        self._counter = 0
        self._scratch = Path(tempfile.mkdtemp(prefix="communiques-studio-"))

    def warm_up(self, source: Path | None = None) -> None:
        """Load WeasyPrint, the fonts, the stylesheet and the dictionary now, and lay out one
        communiqué, so the first keystroke is as fast as the next ones."""
        source = source or next(self.office.communique_files(), None)
        if source is not None:
            self.preview(source, source.read_text(encoding="utf-8-sig"))

    def preview(self, source: Path, text: str) -> Preview:
        with self._lock:
            self._counter += 1
            ticket = self._latest[source] = self._counter
        with self._lock:
            if self._latest.get(source) != ticket:
                return Preview(stale=True)
            return self._preview(source, text)

    def _preview(self, source: Path, text: str) -> Preview:
        from ..check import proofread
        from ..check.spelling import template_strings, word_list
        from ..resolve import load

        result = Preview()
        clock = _Clock(result.timings)
        # `load` reads a file: the unsaved text goes to a private copy of the same name, read
        # against the real office, and findings are pointed back at the real file.
        scratch = self._scratch / source.name
        scratch.write_text(text, encoding="utf-8")
        try:
            with clock("validation"):
                resolved = load(scratch, self.office)
            with clock("relecture"):
                findings = proofread(
                    resolved,
                    word_list(self.theme.asset_dirs),
                    template_strings(self.theme.template_dirs, resolved.communique.modele),
                )
            with clock("mise_en_page"):
                outputs = render(resolved, self.theme, ("pdf",))
        except DataErrors as exc:
            result.failed = True
            result.findings = _pointed(exc.errors, scratch, source, "donnees")
            return result
        result.findings = _pointed(findings, scratch, source)
        with clock("rasterisation"):
            for key in sorted(outputs, key=lambda k: (k != "pdf", k)):
                result.pages.extend(rasterise(outputs[key]))
        return result


def rasterise(pdf: bytes, scale: float = SCREEN_SCALE) -> list[bytes]:
    """Each page of `pdf` as a PNG image at screen resolution."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "PNG", compress_level=1)
            images.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return images


def _pointed(
    findings: list[Diagnostic], scratch: Path, source: Path, rule: str = ""
) -> list[Diagnostic]:
    return [
        dataclasses.replace(f, path=source if f.path == scratch else f.path, rule=f.rule or rule)
        for f in findings
    ]


class _Clock:
    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    def __call__(self, stage: str) -> _Stage:
        return _Stage(self.timings, stage)


class _Stage:
    def __init__(self, timings: dict[str, float], stage: str) -> None:
        self.timings, self.stage = timings, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timings[self.stage] = round((time.perf_counter() - self.start) * 1000, 1)
