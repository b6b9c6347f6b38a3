"""What a batch has to do: the options, one task per communiqué whose inputs changed, the key
of those inputs (source, referenced files, theme files, options), and the manifest entry that
records what was built.

Whether a communiqué is unchanged is decided from the manifest and file hashes alone: no YAML
is parsed for a skipped file.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Diagnostic
from ..formats import DEFAULT_FORMATS
from ..manifest import Entry, Manifest, Output, build_key
from ..render.budget import LAYOUT_SECONDS
from ..resolve import Resolved, load
from ..sources import PressOffice
from ..themes import PortableTheme, Theme

if TYPE_CHECKING:
    from ..site.archive import SiteReport


@dataclass(frozen=True)
class Options:
    out_dir: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    prune: bool = False
    executor: str = "local"
    scheduler: str | None = None
    hosts: tuple[str, ...] = ()
    """Hosts rendering may fetch resources from (--hote-autorise); none by default."""
    pdf_variant: str | None = None
    """PDF/UA-1 by default; "pdf/a-3u" or "pdf/a-2u" for an archive (--pdf-variant, --archive)."""
    site: bool = False
    """Also write the archive site in out_dir/site/ (--site)."""
    layout_seconds: float = LAYOUT_SECONDS
    """The time one communiqué may take to lay out (render/budget.py)."""

    def key_options(self) -> tuple[str, ...]:
        hosts = (f"hosts={','.join(sorted(self.hosts))}",) if self.hosts else ()
        # Always named, so PDFs made before they were tagged are rebuilt once.
        variant = (f"pdf={self.pdf_variant or 'pdf/ua-1'}",) if "pdf" in self.formats else ()
        return (f"formats={','.join(sorted(self.formats))}", *hosts, *variant)


@dataclass(frozen=True)
class Task:
    """One communiqué to build. Local workers read the source themselves, in parallel; a
    remote worker gets it already resolved, with the key of its inputs."""

    name: str
    source: Path
    theme: Theme | PortableTheme
    formats: tuple[str, ...]
    key_options: tuple[str, ...]
    prepared: tuple[Resolved, str, tuple[str, ...]] | None = None
    hosts: tuple[str, ...] = ()
    pdf_variant: str | None = None
    layout_seconds: float = LAYOUT_SECONDS


@dataclass(frozen=True)
class Result:
    name: str
    source: Path
    outputs: dict[str, bytes] | None
    errors: list[Diagnostic]
    entry: Entry | None = None
    warnings: tuple[Diagnostic, ...] = ()
    """What `load` warned of (text lost to a comment, a coherence doubt): printed, not fatal."""


@dataclass
class Report:
    built: dict[Path, list[Path]] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)
    errors: dict[Path, list[Diagnostic]] = field(default_factory=dict)
    warnings: dict[Path, tuple[Diagnostic, ...]] = field(default_factory=dict)
    """The warnings of the communiqués built, which did not stop them."""
    stale: list[Path] = field(default_factory=list)
    """Outputs the tool wrote whose source is gone: `--nettoyer` deletes them."""
    foreign: list[Path] = field(default_factory=list)
    """Other files of the output folder that look like outputs: reported, never deleted."""
    pruned: bool = False
    seconds: float = 0.0
    site: SiteReport | None = None


Progress = Callable[[str, Path, int, int], None]
"""Called as (event, source, done, total) with event "construit", "inchangé" or "erreur"."""


def prepare(
    source: Path, theme: Theme, key_options: tuple[str, ...]
) -> tuple[Resolved, str, tuple[str, ...]]:
    """Read and resolve a source; the key of everything its outputs depend on."""
    resolved = load(source, PressOffice.find(source))
    inputs = [*resolved.inputs, *theme_files(theme, resolved.communique.modele)]
    key = build_key(inputs, [theme_listing(theme), *key_options])
    return resolved, key, tuple(str(p) for p in inputs)


def count_pages(pdf: bytes) -> int:
    import pikepdf  # qpdf reads a communiqué in under a millisecond, pypdf in about 20

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def theme_files(theme: Theme, modele: str) -> list[Path]:
    """The template and asset files a communiqué of this modèle is made with."""
    files: list[Path] = []
    for name in (f"{modele}.html.j2", "reference.docx"):
        found = next((d / name for d in theme.template_dirs if (d / name).is_file()), None)
        files.extend([found] if found else [])
    for folder in theme.template_dirs:
        files.extend(sorted(folder.glob("_*.j2")))
    for folder in theme.asset_dirs:
        for sub in ("css", "fonts"):
            files.extend(sorted(p for p in (folder / sub).rglob("*") if p.is_file()))
    return files


def unchanged(manifest: Manifest, name: str, source: Path, theme: Theme, options: Options) -> bool:
    """Decided from the manifest and file hashes alone: no YAML is parsed for a skipped file."""
    entry = manifest.entries.get(name)
    if entry is None or entry.source != str(source.resolve()):
        return False
    inputs = [Path(p) for p in entry.inputs]
    if not all(p.is_file() for p in inputs):
        return False
    key = build_key(inputs, [theme_listing(theme), *options.key_options()])
    return manifest.is_current(name, key, options.out_dir)


@cache
def theme_listing(theme: Theme) -> str:
    """Which theme files exist where: a template added to the office's own templates/ now
    shadows the built-in one, which changes every output although no known input changed."""
    listing = hashlib.sha256()
    for kind, folders in (("templates", theme.template_dirs), ("assets", theme.asset_dirs)):
        for index, folder in enumerate(folders):
            for path in sorted(folder.rglob("*")):
                listing.update(f"{kind}{index}/{path.relative_to(folder)}\n".encode())
    fonts = "" if theme.embed_fonts else ";incorporer_polices=false"
    return f"theme={listing.hexdigest()}{fonts}"


def entry_of(
    name: str, resolved: Resolved, outputs: dict[str, bytes], key: str, inputs: tuple[str, ...]
) -> Entry:
    """The manifest's record of a communiqué just built."""
    communique = resolved.communique
    return Entry(
        source=str(resolved.source.resolve()),
        key=key,
        inputs=inputs,
        outputs={
            fmt: Output(
                file=f"{name}.{fmt}",
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                pages=count_pages(data) if fmt.endswith("pdf") else None,
            )
            for fmt, data in outputs.items()
        },
        titre=communique.titre,
        date=communique.date.isoformat(),
        emetteur=resolved.emetteur.nom,
        langue=communique.langue,
    )
