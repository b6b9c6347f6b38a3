"""One communiqué file → its outputs: load, resolve, render, then write atomically.

`render` is a pure function of its arguments (data and folders in, bytes out), so it can run in
a worker process; only `write_outputs` touches build/, and never leaves a half-written file.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import DataErrors, Diagnostic
from .files import write_all
from .formats import DEFAULT_FORMATS
from .resolve import Resolved, load
from .sources import PressOffice

if TYPE_CHECKING:
    from .render.pdf_process import PdfProcess

T = TypeVar("T")


@dataclass(frozen=True)
class Theme:
    """Where templates and assets are looked up, the office's own before the built-in ones."""

    template_dirs: tuple[Path, ...]
    asset_dirs: tuple[Path, ...]

    @classmethod
    def of(cls, office: PressOffice) -> Theme:
        return cls(office.template_dirs, office.asset_dirs)


@dataclass(frozen=True)
class PortableTheme:
    """A theme's files as bytes, for workers that do not share our disk (a Dask cluster).

    A worker writes them once into a cache folder named by their hash and renders from there.
    """

    digest: str
    template_layers: tuple[tuple[tuple[str, bytes], ...], ...]
    asset_layers: tuple[tuple[tuple[str, bytes], ...], ...]

    @classmethod
    def of(cls, theme: Theme) -> PortableTheme:
        def layer(folder: Path) -> tuple[tuple[str, bytes], ...]:
            files = sorted(p for p in folder.rglob("*") if p.is_file())
            return tuple((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files)

        templates = tuple(layer(d) for d in theme.template_dirs)
        assets = tuple(layer(d) for d in theme.asset_dirs)
        digest = hashlib.sha256(repr((templates, assets)).encode()).hexdigest()[:24]
        return cls(digest, templates, assets)

    def local(self) -> Theme:
        root = Path(tempfile.gettempdir()) / f"communiques-theme-{self.digest}"
        if not (root / ".complet").is_file():
            for kind, layers in (
                ("templates", self.template_layers),
                ("assets", self.asset_layers),
            ):
                for index, files in enumerate(layers):
                    write_all((root / f"{kind}{index}" / name, data) for name, data in files)
            (root / ".complet").touch()
        return Theme(
            tuple(root / f"templates{i}" for i in range(len(self.template_layers))),
            tuple(root / f"assets{i}" for i in range(len(self.asset_layers))),
        )


# Names Windows refuses whatever their extension, and the archive's own index page.
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul", "index"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(10)}
)


def output_name(source: Path) -> str:
    """ASCII, lowercase, safe as a file name and as an e-mail attachment name: only letters,
    digits and hyphens (no `/`, `..` or `.` prefix, whatever Unicode the source name holds),
    at most 120 characters, never a name Windows reserves or the archive's index."""
    from slugify import slugify

    name = slugify(source.stem, max_length=120) or "communique"
    return f"communique-{name}" if name in RESERVED_NAMES else name


def render(
    resolved: Resolved,
    theme: Theme,
    formats: Iterable[str] = DEFAULT_FORMATS,
    hosts: tuple[str, ...] = (),
    *,
    pdf_variant: str | None = None,
    pdf_process: PdfProcess | None = None,
) -> dict[str, bytes]:
    """The communiqué's outputs as bytes, by format; its HTML is the web edition (a page
    and, keyed `fragment.html`, the fragment for a website's CMS)."""
    formats = tuple(formats)
    outputs = _documents(
        resolved, theme, formats, hosts, pdf_variant=pdf_variant, pdf_process=pdf_process
    )
    if "html" in formats:  # web edition (issue #18): the one call into communiques.site
        from .site import web_outputs

        url = resolved.emetteur.url_publication
        outputs = web_outputs(
            outputs, output_name(resolved.source), theme.template_dirs, theme.asset_dirs, url
        )
    return outputs


def _documents(
    resolved: Resolved,
    theme: Theme,
    formats: Iterable[str] = DEFAULT_FORMATS,
    hosts: tuple[str, ...] = (),
    *,
    pdf_variant: str | None = None,
    pdf_process: PdfProcess | None = None,
) -> dict[str, bytes]:
    """The communiqué's outputs as bytes, by format, the HTML as its modèle renders it.
    Reads only the theme's folders, and the network only from `hosts` (none unless the user
    names them). The PDF is tagged PDF/UA-1,
    or the archival `pdf_variant` ("pdf/a-3u", "pdf/a-2u"), tagged as well.

    Published in several languages, it has one output per language and format, keyed
    "fr.pdf", "en.pdf"…, so that it is written as <name>.fr.pdf, <name>.en.pdf.
    With a `pdf_process`, the PDF is laid out there while the DOCX is made here.
    """
    from .render.html import render_html
    from .resolve import editions

    formats = tuple(formats)
    if len(resolved.languages) > 1:
        return {
            f"{edition.communique.langue}.{fmt}": data
            for edition in editions(resolved)
            for fmt, data in _documents(
                edition, theme, formats, hosts, pdf_variant=pdf_variant, pdf_process=pdf_process
            ).items()
        }
    html = render_html(resolved, theme.template_dirs)
    outputs: dict[str, bytes] = {}
    if "html" in formats:
        outputs["html"] = html.encode("utf-8")
    pdf: Callable[[], bytes] | None = None
    if "pdf" in formats:
        layout = (html, theme.asset_dirs, theme.template_dirs, hosts)
        if pdf_process:  # laid out over there from now on; pdf() waits for it
            pdf = pdf_process.submit(*layout, variant=pdf_variant)
        else:
            from .render.pdf import render_pdf

            pdf = partial(render_pdf, *layout, variant=pdf_variant)
    try:
        docx = _docx(resolved, html, theme, hosts) if "docx" in formats else None
    finally:  # always collected, so that a helper's answer is never left for the next request
        if pdf is not None:
            outputs["pdf"] = laid_out(resolved, pdf)
    if docx is not None:
        outputs["docx"] = docx
    return outputs


def laid_out(resolved: Resolved, layout: Callable[[], T]) -> T:
    """What `layout()` returns (a PDF, a measure); a resource the rule refused is a data
    error on the communiqué."""
    from .errors import ResourceRefused

    try:
        return layout()
    except ResourceRefused as exc:
        raise DataErrors([_refused(resolved, str(exc))]) from None


def _docx(resolved: Resolved, html: str, theme: Theme, hosts: tuple[str, ...]) -> bytes:
    from .errors import ResourceRefused
    from .render.docx import render_docx

    try:
        return render_docx(html, theme.template_dirs, theme.asset_dirs, hosts)
    except ResourceRefused as exc:
        raise DataErrors([_refused(resolved, str(exc))]) from None


def _refused(resolved: Resolved, message: str) -> Diagnostic:
    """A resource the modèle (its templates or stylesheet) asked for and the rule refused:
    reported on the communiqué's `modele`, which chose those templates."""
    if resolved.sources is not None:
        return resolved.sources.communique.error(("modele",), message)
    return Diagnostic(resolved.source, 1, 1, "modele", message)


def write_outputs(out_dir: Path, name: str, outputs: dict[str, bytes]) -> list[Path]:
    """Write every output of a communiqué or none of them."""
    return write_all((out_dir / f"{name}.{fmt}", data) for fmt, data in outputs.items())


def check(source: Path) -> list[Diagnostic]:
    """Everything a build would find wrong with `source`, without laying out or writing."""
    try:
        office = PressOffice.find(source)
        render(load(source, office), Theme.of(office), ("html",))
    except DataErrors as exc:
        return exc.errors
    return []
