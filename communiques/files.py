"""Atomic writes: a reader, or a build killed half-way, only ever sees whole files; and what
a user reads when an output folder cannot be written.

The mechanism only: a communiqué's outputs are written by `build.write_outputs`, the one
place that does, whatever the command; the manifest, the archive index and caches use
`write_atomic` for their own files.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CommuniquesError, UsageError


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


@contextmanager
def writing_into(folder: Path, option: str = "--out") -> Iterator[None]:
    """An operating system's refusal to write in `folder` (read-only, full, not a folder,
    not creatable) becomes one French sentence with the fix, instead of a traceback: a
    usage error (2) when another folder is the fix, exit 1 when the disk is full. Other
    files' errors pass unchanged."""
    try:
        yield
    except OSError as exc:
        if exc.filename is not None and not _inside(Path(exc.filename), folder):
            raise
        raise unwritable(exc, folder, option) from None


def unwritable(exc: OSError, folder: Path, option: str = "--out") -> CommuniquesError:
    """The sentence for `exc`, met while writing in `folder`."""
    where = exc.filename or folder
    other = f"choisissez un autre dossier ({option} DOSSIER)"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        full = f"disque plein : {folder} n'a plus de place ; libérez-en puis relancez"
        return CommuniquesError(full)
    messages = {
        errno.EROFS: f"{folder} est sur un disque en lecture seule : {other}",
        errno.EACCES: f"vous n'avez pas le droit d'écrire dans {where} : {other}",
        errno.EPERM: f"vous n'avez pas le droit d'écrire dans {where} : {other}",
        errno.ENOTDIR: f"{folder} ne peut pas être un dossier (un élément du chemin est un "
        f"fichier) : {other}",
        errno.ENOENT: f"impossible d'écrire dans {folder} : {other}"
        if folder.is_dir()
        else f"impossible de créer le dossier {folder} ici : {other}",
        errno.ENAMETOOLONG: f"nom de fichier trop long dans {folder} : {other}",
        errno.EEXIST: f"{where} existe et n'est pas un dossier : {other}",
    }
    reason = exc.strerror or type(exc).__name__
    return UsageError(
        messages.get(exc.errno or 0, f"impossible d'écrire dans {where} ({reason}) : {other}")
    )


def _inside(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents or path in folder.parents
