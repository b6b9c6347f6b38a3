"""A resolved communiqué → its outputs as bytes (`render`), their names (`output_name`), and
the one place they are written (`write_outputs`).

`render` is a pure function of its arguments (data and folders in, bytes out), so it can run in
a worker process. Every output of every command (`build`, one file or a batch, and `email
--out`) is written by `write_outputs`, all of a communiqué's files or none, never half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .errors import DataErrors
from .files import write_all
from .formats import DEFAULT_FORMATS
from .render.remote import Fetched
from .resolve import Resolved
from .themes import PortableTheme, Theme

if TYPE_CHECKING:
    from .render.pdf_process import PdfProcess

T = TypeVar("T")
__all__ = ["PortableTheme", "Theme", "laid_out", "output_name", "render", "write_outputs"]


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
        resolved, theme, formats, hosts, pdf_variant=pdf_variant, pdf_process=pdf_process,
        fetched=Fetched() if hosts else None,
    )  # fmt: skip
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
    fetched: Fetched | None = None,
) -> dict[str, bytes]:
    """The communiqué's outputs as bytes, by format, the HTML as its modèle renders it.
    Reads only the theme's folders, and the network only from `hosts` (none unless the user
    names them). The PDF is tagged PDF/UA-1,
    or the archival `pdf_variant` ("pdf/a-3u", "pdf/a-2u"), tagged as well.

    Published in several languages, it has one output per language and format, keyed
    "fr.pdf", "en.pdf"…, so that it is written as <name>.fr.pdf, <name>.en.pdf.
    With a `pdf_process`, the PDF is laid out there while the DOCX is made here, unless
    the network is allowed: `fetched`, the resources fetched for this communiqué, is then
    shared by the PDF and the DOCX, so both are made here and each resource is fetched once.
    """
    from .render.html import render_html
    from .resolve import editions

    formats = tuple(formats)
    if len(resolved.languages) > 1:
        return {
            f"{edition.communique.langue}.{fmt}": data
            for edition in editions(resolved)
            for fmt, data in _documents(
                edition,
                theme,
                formats,
                hosts,
                pdf_variant=pdf_variant,
                pdf_process=pdf_process,
                fetched=fetched,
            ).items()
        }
    html = render_html(resolved, theme.template_dirs)
    outputs: dict[str, bytes] = {}
    if "html" in formats:
        outputs["html"] = html.encode("utf-8")
    pdf: Callable[[], bytes] | None = None
    if "pdf" in formats:
        layout = (html, theme.asset_dirs, theme.template_dirs, hosts)
        if pdf_process and fetched is None:  # laid out over there from now on; pdf() waits
            pdf = pdf_process.submit(*layout, variant=pdf_variant)
        else:
            from .render.pdf import render_pdf

            pdf = partial(render_pdf, *layout, variant=pdf_variant, fetched=fetched)
    try:
        docx = _docx(resolved, html, theme, hosts, fetched) if "docx" in formats else None
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
        raise DataErrors([resolved.refused(str(exc))]) from None


def _docx(
    resolved: Resolved,
    html: str,
    theme: Theme,
    hosts: tuple[str, ...],
    fetched: Fetched | None = None,
) -> bytes:
    from .errors import ResourceRefused
    from .render.docx import render_docx

    try:
        return render_docx(
            html,
            theme.template_dirs,
            theme.asset_dirs,
            hosts,
            embed_fonts=theme.embed_fonts,
            fetched=fetched,
        )
    except ResourceRefused as exc:
        raise DataErrors([resolved.refused(str(exc))]) from None


def write_outputs(out_dir: Path, name: str, outputs: dict[str, bytes]) -> list[Path]:
    """Write every output of a communiqué or none of them, as <name>.<format>: the only
    writer of outputs (batches and `email --out` call it)."""
    return write_all((out_dir / f"{name}.{fmt}", data) for fmt, data in outputs.items())
