"""One communiqué file → its outputs: load, resolve, render, then write atomically.

`render` is a pure function of its arguments (data and folders in, bytes out), so it can run in
a worker process; only `write_outputs` touches build/, and never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError, DataErrors
from .resolve import Resolved, load
from .sources import PressOffice

FORMATS = ("pdf", "docx", "html")
DEFAULT_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Theme:
    """Where templates and assets are looked up, the office's own before the built-in ones."""

    template_dirs: tuple[Path, ...]
    asset_dirs: tuple[Path, ...]

    @classmethod
    def of(cls, office: PressOffice) -> Theme:
        return cls(office.template_dirs, office.asset_dirs)


def output_name(source: Path) -> str:
    """ASCII, lowercase, safe as a file name and as an e-mail attachment name."""
    from slugify import slugify

    return slugify(source.stem, max_length=120) or "communique"


def render(
    resolved: Resolved, theme: Theme, formats: Iterable[str] = DEFAULT_FORMATS
) -> dict[str, bytes]:
    """The communiqué's outputs as bytes, by format. Reads only the theme's folders."""
    from .render.html import render_html

    formats = tuple(formats)
    html = render_html(resolved, theme.template_dirs)
    outputs: dict[str, bytes] = {}
    if "html" in formats:
        outputs["html"] = html.encode("utf-8")
    if "pdf" in formats:
        from .render.pdf import RefusedResource, render_pdf

        try:
            outputs["pdf"] = render_pdf(html, theme.asset_dirs, theme.template_dirs)
        except RefusedResource as exc:
            raise DataErrors([DataError(resolved.source, 1, 1, "", str(exc))]) from None
    if "docx" in formats:
        from .render.docx import render_docx

        outputs["docx"] = render_docx(html, theme.template_dirs, theme.asset_dirs)
    return outputs


def write_outputs(out_dir: Path, name: str, outputs: dict[str, bytes]) -> list[Path]:
    """Write every output or none: each goes to a temporary file first, then is renamed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for fmt, data in outputs.items():
            staged.append((_staged(out_dir, data), out_dir / f"{name}.{fmt}"))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, final in staged:
        os.replace(temporary, final)
    return [final for _, final in staged]


def _staged(folder: Path, data: bytes) -> Path:
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    os.chmod(name, 0o644)
    return Path(name)


@dataclass
class Report:
    built: dict[Path, list[Path]] = field(default_factory=dict)
    errors: dict[Path, list[DataError]] = field(default_factory=dict)


def build(
    sources: list[Path],
    out_dir: Path,
    formats: Iterable[str] = DEFAULT_FORMATS,
    *,
    write: bool = True,
) -> Report:
    """Build each source; a bad file is reported and never stops the others."""
    report = Report()
    claimed: dict[str, Path] = {}
    for source in sources:
        name = output_name(source)
        if name in claimed:
            message = (
                f"même nom de sortie « {name} » que {claimed[name]} : renommez l'un des fichiers"
            )
            report.errors[source] = [DataError(source, 1, 1, "", message)]
            continue
        claimed[name] = source
        try:
            office = PressOffice.find(source)
            outputs = render(load(source, office), Theme.of(office), formats)
        except DataErrors as exc:
            report.errors[source] = exc.errors
            continue
        report.built[source] = write_outputs(out_dir, name, outputs) if write else []
    return report
