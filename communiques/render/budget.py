"""The layout budget of one communiqué: the time it may take, and the memory a worker process
may hold, whatever the data's limits let through.

The limits of the data (model/fields.py) keep every accepted file within a few seconds; this
is the guard behind them, for what no limit foresaw (a template's loop, a new WeasyPrint
slowness). Past its time, the layout is stopped where it stands and the communiqué is
reported as too complex to lay out, on the field that weighs most; the batch goes on.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import DataErrors

if TYPE_CHECKING:
    from ..resolve import Resolved

LAYOUT_SECONDS = 30.0
"""Wall-clock seconds for one communiqué (all its formats and languages): the heaviest one
the limits accept (500 laureates, a 20,000-character body, a 1,000-line chapô) takes 5 s on
a shared 2-core machine (/tmp/limits/mem.py in the merge's report)."""
WORKER_MEMORY = 2 * 1024**3
"""Bytes of address space of a worker process: one with WeasyPrint loaded maps 0.1 GB, and
0.4 GB at its peak after laying out that heaviest communiqué."""
AGAIN_AFTER = 1.0
"""Seconds between reminders once the budget is spent: the work may be waiting in a
`finally` (for the PDF helper), where the first stop was absorbed."""


LAUREATE_CHARACTERS = 60
"""What a laureate weighs against a text's characters: a table row is a line and more."""


def too_complex(resolved: Resolved, why: str) -> DataErrors:
    """The error of a communiqué whose layout went over its budget, on the field that weighs
    most (the longest text, or the laureates), as that is the one to shorten."""
    communique = resolved.communique
    weights: dict[str, int] = {
        "chapo": len(communique.chapo or ""),
        "corps": len(communique.corps or ""),
        "comite.laureats": LAUREATE_CHARACTERS * len(communique.comite.laureats)
        if communique.comite
        else 0,
    }
    field = max(weights, key=lambda name: weights[name])
    message = (
        f"trop complexe à mettre en page ({why}) : raccourcissez ce texte, retirez-en des "
        "mises en forme ou publiez-en une partie en ligne"
    )
    loc = tuple(field.split(".")) if weights[field] else ("modele",)
    if resolved.sources is not None:
        return DataErrors([resolved.sources.communique.error(loc, message)])
    return DataErrors([resolved.refused(message)])


@contextlib.contextmanager
def time_budget(seconds: float, on_expiry: Callable[[], Exception]) -> Iterator[None]:
    """Raises `on_expiry()` in this thread when the block runs over `seconds`, and again every
    second until it ends. Signals reach the main thread only: elsewhere (the studio's
    threads) the block runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise on_expiry()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds, AGAIN_AFTER)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(limit: int = WORKER_MEMORY) -> None:
    """In a worker process only (never in the user's command itself): past `limit` bytes of
    address space, an allocation fails with MemoryError, reported on the communiqué, instead
    of the kernel killing a process, or the machine swapping."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
