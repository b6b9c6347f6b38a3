"""Themes: where a communiqué's templates and assets are looked up, the office's own before
the built-in ones; and the same files as bytes, for workers that do not share our disk."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .files import write_all
from .sources import PressOffice


@dataclass(frozen=True)
class Theme:
    """Where templates and assets are looked up, the office's own before the built-in ones;
    whether the DOCX embeds the fonts of the assets (the office's `incorporer_polices`)."""

    template_dirs: tuple[Path, ...]
    asset_dirs: tuple[Path, ...]
    embed_fonts: bool = True

    @classmethod
    def of(cls, office: PressOffice) -> Theme:
        embed = office.settings.incorporer_polices
        return cls(office.template_dirs, office.asset_dirs, embed)


@dataclass(frozen=True)
class PortableTheme:
    """A theme's files as bytes, for workers that do not share our disk (a Dask cluster).

    A worker writes them once into a cache folder named by their hash and renders from there.
    """

    digest: str
    template_layers: tuple[tuple[tuple[str, bytes], ...], ...]
    asset_layers: tuple[tuple[tuple[str, bytes], ...], ...]
    embed_fonts: bool = True

    @classmethod
    def of(cls, theme: Theme) -> PortableTheme:
        def layer(folder: Path) -> tuple[tuple[str, bytes], ...]:
            files = sorted(p for p in folder.rglob("*") if p.is_file())
            return tuple((p.relative_to(folder).as_posix(), p.read_bytes()) for p in files)

        templates = tuple(layer(d) for d in theme.template_dirs)
        assets = tuple(layer(d) for d in theme.asset_dirs)
        digest = hashlib.sha256(repr((templates, assets)).encode()).hexdigest()[:24]
        return cls(digest, templates, assets, theme.embed_fonts)

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
            self.embed_fonts,
        )
