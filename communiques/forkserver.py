"""The server that forks `build`'s local workers, started as soon as the command knows it will
want workers: it imports WeasyPrint and python-docx (batch/preload.py, half a second) while
the command itself imports and reads the office, instead of after.

Light on purpose: importing it imports nothing of ours.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

PRELOAD = "communiques.batch.preload"


def context() -> BaseContext:
    """The forkserver context, with our preload added to what was already asked for (by
    default the main module, or a caller's own)."""
    asked = list(getattr(getattr(forkserver, "_forkserver", None), "_preload_modules", []))
    chosen = multiprocessing.get_context("forkserver")
    chosen.set_forkserver_preload(asked if PRELOAD in asked else [*asked, PRELOAD])
    return chosen


def start() -> None:
    """Start the server now, in the background (it ends with this process)."""
    context()
    forkserver.ensure_running()
