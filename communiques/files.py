"""Atomic writes: a reader, or a build killed half-way, only ever sees whole files.

The mechanism only: a communiqué's outputs are written by `build.write_outputs`, the one
place that does, whatever the command; the manifest, the archive index and caches use
`write_atomic` for their own files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def stage(folder: Path, data: bytes, *, sync: bool = True) -> Path:
    """Write `data` to a hidden temporary file of `folder`, flushed to disk unless `sync` is
    false (the caller then flushes many at once)."""
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        os.chmod(name, 0o644)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def write_all(files: Iterable[tuple[Path, bytes]], *, many: bool = False) -> list[Path]:
    """Write every file or none: all are staged first, then renamed into place.

    With `many` (thousands of small files, the archive site), the staged files are flushed
    to disk by one `os.sync()` instead of one fsync each (10 s on a busy disk): the same
    guarantee, at a fraction of the cost."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((stage(path.parent, data, sync=not many), path))
        if many:
            os.sync()
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in staged:
        os.replace(temporary, path)
    return [path for _, path in staged]


def write_atomic(path: Path, data: bytes) -> None:
    write_all([(path, data)])
