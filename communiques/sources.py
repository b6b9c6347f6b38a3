"""The press office's layout: where its communiqués, references, templates and assets are.

Reading one YAML file is `yamlfile`'s job; this module only knows folders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import UsageError

if TYPE_CHECKING:
    from .office import Settings

BUILTIN_ROOT = Path(__file__).resolve().parent / "_builtin"
if not BUILTIN_ROOT.is_dir():  # running from a source checkout
    BUILTIN_ROOT = Path(__file__).resolve().parent.parent

SOURCE_SUFFIXES = (".yaml", ".yml")
HINT = "créez-en un avec `communiques init DOSSIER`, ou nommez-le avec --bureau DOSSIER"
NO_OFFICE = f"aucun bureau de presse ici ni au-dessus (fichier communiques.toml) : {HINT}"


@dataclass(frozen=True)
class PressOffice:
    """A press office folder: communiques.toml, communiques/, organisations/, programmes/,
    templates/, assets/.

    Its own templates/ and assets/ come before the built-in ones, so a team restyles its
    communiqués without touching the package.
    """

    root: Path

    @classmethod
    def find(cls, start: Path) -> PressOffice:
        """The office holding `start` (see office.py for where the search stops).

        From a folder (where the user stands), no office is a usage error; a file named on
        the command line outside any office is worked on where it is, with its folder's
        templates/ and assets/."""
        from . import office

        start = start.resolve()
        if (root := office.locate(start)) is not None:
            return cls(root)
        if start.is_dir():
            raise UsageError(NO_OFFICE)
        return cls(start.parent)

    @classmethod
    def named(cls, folder: Path) -> PressOffice:
        """The office the user named (`--bureau`): that folder, marked or not."""
        from . import office

        if not folder.is_dir():
            raise UsageError(f"{folder} n'est pas un dossier : indiquez le dossier du bureau")
        if office.is_tool_code(folder.resolve()):
            raise UsageError(f"{folder} contient le code de communiques, pas un bureau : {HINT}")
        return cls(folder.resolve())

    @cached_property
    def settings(self) -> Settings:
        from .office import read_settings

        return read_settings(self.root)

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return _existing(self.root / "templates", BUILTIN_ROOT / "templates")

    @property
    def asset_dirs(self) -> tuple[Path, ...]:
        return _existing(self.root / "assets", BUILTIN_ROOT / "assets")

    def reference_path(self, kind: str, name: str) -> Path:
        """organisations/<name>.yaml or programmes/<name>.yaml (.yml accepted)."""
        folder = self.root / kind
        for suffix in SOURCE_SUFFIXES:
            if (candidate := folder / f"{name}{suffix}").is_file():
                return candidate
        return folder / f"{name}.yaml"

    def holds(self, kind: str, path: Path) -> bool:
        """Whether `path` lies in the office's folder `kind` once symbolic links are
        resolved: a link leading out of the office is never read."""
        return path.resolve().is_relative_to((self.root / kind).resolve())

    def communique_files(self) -> Iterator[Path]:
        yield from _yaml_files(self.root / "communiques")


def _existing(*folders: Path) -> tuple[Path, ...]:
    return tuple(folder for folder in folders if folder.is_dir())


def _yaml_files(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())


def collect_sources(paths: list[Path]) -> list[Path]:
    """The communiqué files named on the command line: files as given, folders searched.

    A press office folder stands for its communiques/ folder.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            inner = path / "communiques"
            files.extend(_yaml_files(inner if inner.is_dir() else path))
        else:
            files.append(path)
    return list(dict.fromkeys(files))
