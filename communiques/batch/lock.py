"""One build at a time per output folder: the lock file `.verrou` and what it guards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildLocked

LOCK_FILE = ".verrou"


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per output folder: two would overwrite each other's files and
    manifest. The kernel's lock (flock) is released even when the build is killed; the file
    holds the PID for the message and is removed at the end."""
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_FILE
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.read(descriptor, 32).decode(errors="replace").strip()
            os.close(descriptor)
            who = (
                f"une autre construction (processus {other})" if other else "une autre construction"
            )
            raise BuildLocked(
                f"{who} écrit déjà dans {out_dir} : attendez qu'elle se termine"
            ) from None
        try:  # the file we locked may have been removed by the build that just finished
            if os.stat(path).st_ino == os.fstat(descriptor).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        for leftover in out_dir.glob(".*.part"):  # from a build that was killed
            leftover.unlink(missing_ok=True)
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)
