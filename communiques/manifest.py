"""build/manifest.json: what was built from what, so a rebuild redoes only what changed.

Each entry keeps a key made of the hashes of everything an output depends on (its source,
the organisation and programme files it references, the templates and assets it uses, the
project version and the output options). A build skips an entry whose key is unchanged and
whose outputs are still on disk with the bytes it wrote.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from . import __version__
from .files import write_atomic

MANIFEST = "manifest.json"
INDEX = "index.html"
OUTPUT_SUFFIXES = (".pdf", ".docx", ".html")


@dataclass(frozen=True)
class Output:
    file: str
    sha256: str
    size: int
    pages: int | None = None


@dataclass(frozen=True)
class Entry:
    """One communiqué in the archive."""

    source: str
    key: str
    inputs: tuple[str, ...]
    outputs: dict[str, Output]
    titre: str
    date: str
    emetteur: str
    langue: str = "fr"


@dataclass
class Manifest:
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest in `out_dir`; an absent or unreadable one means "build everything"."""
        try:
            raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            entries = {
                name: Entry(
                    **{**value, "inputs": tuple(value["inputs"])}
                    | {"outputs": {k: Output(**v) for k, v in value["outputs"].items()}}
                )
                for name, value in raw["entries"].items()
            }
        except (OSError, ValueError, KeyError, TypeError):
            return cls()
        return cls(entries)

    def save(self, out_dir: Path) -> None:
        data = {
            "generateur": f"communiques {__version__}",
            "entries": {name: asdict(self.entries[name]) for name in sorted(self.entries)},
        }
        write_atomic(out_dir / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1).encode())

    def is_current(self, name: str, key: str, out_dir: Path) -> bool:
        """True when `name` was built with `key` and its outputs are intact."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key:
            return False
        return all(
            (path := out_dir / output.file).is_file()
            and path.stat().st_size == output.size
            and file_hash(path) == output.sha256
            for output in entry.outputs.values()
        )

    def stale_files(self, out_dir: Path, keep: Iterable[str]) -> list[Path]:
        """Outputs in `out_dir` that no source produces any more."""
        wanted = {
            o.file
            for name in keep
            if name in self.entries
            for o in self.entries[name].outputs.values()
        }
        return (
            sorted(
                path
                for path in out_dir.iterdir()
                if path.suffix in OUTPUT_SUFFIXES
                and path.is_file()
                and path.name not in wanted
                and path.name != INDEX
            )
            if out_dir.is_dir()
            else []
        )


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _cached_file_hash(path: Path, mtime_ns: int, size: int) -> str:
    return file_hash(path)


def input_hash(path: Path) -> str:
    """Hash of an input file, computed once per process for files many sources share."""
    stat = path.stat()
    return _cached_file_hash(path, stat.st_mtime_ns, stat.st_size)


def build_key(inputs: Iterable[Path], options: Iterable[str]) -> str:
    """What an output depends on, in one hash. Paths are not in it, so the key of an archive
    moved to another folder is unchanged."""
    digest = hashlib.sha256(f"communiques {__version__}\n".encode())
    for option in options:
        digest.update(f"option {option}\n".encode())
    for path in inputs:
        digest.update(f"input {input_hash(path)}\n".encode())
    return digest.hexdigest()
