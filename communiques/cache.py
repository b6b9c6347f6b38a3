"""The user's cache folder ($XDG_CACHE_HOME/communiques/, by default ~/.cache/communiques/):
what `check` need not do again while the user types, as JSON written atomically.

An entry is found by a key made of everything its value was computed from, and every table
is salted with the tool's own code (`code_fingerprint`): a new version, or an edited
source checkout, never reads what an older one wrote. The cache only ever saves time: one
that cannot be read or written is ignored, and a value is never an instruction (JSON, never
pickle: the folder is the user's, not the tool's).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .files import stage

FORMAT = 1
"""The layout of the cache's files; part of every salt."""
MAX_ENTRIES = 4000
"""Per table: the entries last used are kept (a table is a few hundred kilobytes at most)."""
FORMER_FILES = re.compile(r"mots-[a-z]{2,3}-\d+-\d+(-par-frequence)?\.txt")
"""What versions before Hunspell kept here: a dictionary's word list, 1.5 MB each."""


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "communiques"


@cache
def code_fingerprint() -> str:
    """The tool's version and the size and date of each of its own modules: a checkout
    whose code changed is a new version for the cache."""
    package = Path(__file__).resolve().parent
    return digest(__version__, FORMAT, files_fingerprint([package]))


def files_fingerprint(folders: Iterable[Path]) -> str:
    """The name, size and modification time of every file under `folders` (a theme, a
    dictionary folder): enough to tell that one changed, without reading them."""
    parts: list[str] = []
    for index, root in enumerate(folders):  # by place in the list: an office may move
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            relative = os.path.relpath(dirpath, root)
            for name in sorted(filenames):
                with contextlib.suppress(OSError):
                    stat = os.stat(os.path.join(dirpath, name))
                    parts.append(f"{index}/{relative}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


def digest(*parts: object) -> str:
    return hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()[:32]


def read_json(path: Path) -> Any:
    """The JSON value of `path`, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any) -> None:
    """Written whole or not at all, never flushed to disk one by one (a cache lost to a
    power cut is only time lost); a cache that cannot be written is left alone."""
    with contextlib.suppress(OSError):
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        os.replace(stage(path.parent, data, sync=False), path)
        _forget_former_files(path.parent)


@cache
def _forget_former_files(cache_folder: Path) -> None:
    """Removes, once per process, the files only an older version of the tool wrote here and
    none reads any more; their names say they are ours, anything else is left alone."""
    with contextlib.suppress(OSError), os.scandir(cache_folder) as entries:
        for entry in entries:
            if FORMER_FILES.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


class Table:
    """A bounded key → value map in one file (a body's measure by its HTML, Hunspell's
    suggestions by word), read at the first look-up and written by `save` if it changed.
    Two commands saving at once may lose each other's new entries, never corrupt one."""

    def __init__(self, name: str, salt: str) -> None:
        self.path = folder() / f"{name}.json"
        self.salt = digest(code_fingerprint(), salt)
        self._entries: dict[str, Any] | None = None
        self._changed = False

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            stored = read_json(self.path)
            valid = isinstance(stored, dict) and stored.get("sel") == self.salt
            entries = stored.get("entrees") if valid else None
            self._entries = entries if isinstance(entries, dict) else {}
        return self._entries

    def get(self, key: str) -> Any:
        value = self.entries.pop(key, None)
        if value is not None:  # last used last: what `save` keeps, should it write
            self.entries[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self.entries.pop(key, None)
        self.entries[key] = value
        self._changed = True

    def save(self) -> None:
        if not self._changed:
            return
        kept = dict(list(self.entries.items())[-MAX_ENTRIES:])
        write_json(self.path, {"sel": self.salt, "entrees": kept})
        self._changed = False
