"""build/manifest.json: what was built from what, so a rebuild redoes only what changed.

Each entry keeps a key made of the hashes of everything an output depends on (its source,
the organisation and programme files it references, the templates and assets it uses, the
project version and the output options). A build skips an entry whose key is unchanged and
whose outputs are still on disk with the bytes it wrote.

Its keys are French, as users read and script it (`communiques`, `cle`, `entrees`,
`sorties`, `fichier`, `taille`…). A manifest written by version 0.1, with English keys
(`entries`, `key`, `inputs`, `outputs`, `file`, `size`), is still read, until the next
release; it is rewritten with the French keys.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

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
    orphans: dict[str, Entry] = field(default_factory=dict)
    """Entries whose source is gone and whose outputs are still in the folder: kept (under
    "sans_source") so that `--nettoyer` knows, in a later run too, that the tool wrote them."""

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest in `out_dir`; an absent or unreadable one means "build everything"."""
        try:
            raw = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
            legacy = "communiques" not in raw  # deprecated: version 0.1's English keys
            names = _LEGACY_NAMES if legacy else _NAMES
            entries = {
                name: _entry(value, names)
                for name, value in raw["entries" if legacy else "communiques"].items()
            }
            orphans = {
                name: _entry(value, names) for name, value in raw.get("sans_source", {}).items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()
        return cls(entries, orphans)

    def save(self, out_dir: Path) -> None:
        data = {
            "generateur": f"communiques {__version__}",
            "communiques": {name: _json(self.entries[name]) for name in sorted(self.entries)},
        }
        if self.orphans:
            data["sans_source"] = {name: _json(self.orphans[name]) for name in sorted(self.orphans)}
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

    def written_files(self) -> set[str]:
        """The names of every output this manifest vouches the tool wrote."""
        return {
            output.file
            for entry in (*self.entries.values(), *self.orphans.values())
            for output in entry.outputs.values()
        }

    def leftovers(self, out_dir: Path, written: set[str]) -> tuple[list[Path], list[Path]]:
        """Outputs in `out_dir` that no current entry produces: those the tool wrote (named
        in `written`), which `--nettoyer` may delete, and the others, which it never does."""
        wanted = {o.file for entry in self.entries.values() for o in entry.outputs.values()}
        found = (
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
        return [p for p in found if p.name in written], [p for p in found if p.name not in written]


_NAMES = {
    "source": "source",
    "key": "cle",
    "inputs": "entrees",
    "outputs": "sorties",
    "titre": "titre",
    "date": "date",
    "emetteur": "emetteur",
    "langue": "langue",
    "file": "fichier",
    "sha256": "sha256",
    "size": "taille",
    "pages": "pages",
}
"""Each field's key in manifest.json."""
_LEGACY_NAMES = {name: name for name in _NAMES}
"""Deprecated: the keys of version 0.1, read until the next release."""
_OUTPUT_FIELDS = ("file", "sha256", "size", "pages")
_ENTRY_FIELDS = ("source", "key", "inputs", "titre", "date", "emetteur", "langue")


def _json(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {_NAMES[f]: getattr(entry, f) for f in _ENTRY_FIELDS}
    data[_NAMES["outputs"]] = {
        fmt: {_NAMES[f]: getattr(output, f) for f in _OUTPUT_FIELDS}
        for fmt, output in entry.outputs.items()
    }
    return data


def _entry(value: dict[str, Any], names: dict[str, str]) -> Entry:
    fields = {f: value[names[f]] for f in _ENTRY_FIELDS if names[f] in value}
    outputs = {
        fmt: Output(**{f: output[names[f]] for f in _OUTPUT_FIELDS if names[f] in output})
        for fmt, output in value[names["outputs"]].items()
    }
    return Entry(**{**fields, "inputs": tuple(fields["inputs"])}, outputs=outputs)


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
