"""Stopping on a signal, and never outliving the command.

SIGTERM and SIGHUP stop a command as Ctrl-C (SIGINT) does: each raises `Interrupted`, a
KeyboardInterrupt, so that the same cleanup runs (workers stopped, the manifest of what is
done saved, the lock and the temporary folder removed) and the command exits with
128 + the signal's number (130, 143, 129).

The processes a command starts (layout workers, the PDF helper) follow it: each watches the
command's process and exits within a moment of its end, even after a SIGKILL, which no code
can intercept, so that none lives on holding the caller's stdout and stderr open.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
_POLL_SECONDS = 0.5  # where the parent cannot be watched through a pidfd


class Interrupted(KeyboardInterrupt):
    """The command was asked to stop by `signum`."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def exit_code(interruption: KeyboardInterrupt) -> int:
    """130 for a plain Ctrl-C (Python's own KeyboardInterrupt), 128 + n for signal n."""
    return interruption.exit_code if isinstance(interruption, Interrupted) else 128 + signal.SIGINT


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While the block runs in the main thread, SIGINT, SIGTERM and SIGHUP raise
    `Interrupted` in it; the previous handlers come back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise) for number in STOPPING_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def follow(parent: int) -> None:
    """In a process the command started: leave stopping to the command, and exit as soon as
    `parent` (the command's process) is gone.

    Ctrl-C in a terminal reaches the whole process group: the command stops its children
    itself, so they ignore it rather than print tracebacks of their own. A direct child asks
    the kernel to kill it with its parent (PR_SET_PDEATHSIG); a grandchild, such as a
    forkserver's worker, watches the parent's pidfd from a thread."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    if sys.platform == "linux" and os.getppid() == parent and _kill_with_parent():
        if os.getppid() != parent:  # it died before the request was made
            os._exit(1)
        return
    try:
        descriptor = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd here: look twice a second
        threading.Thread(target=_poll_for, args=(parent,), daemon=True).start()
        return
    threading.Thread(target=_wait_for, args=(descriptor,), daemon=True).start()


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Ends a pool at once, its work in progress abandoned (`shutdown` alone would wait for
    it). Its workers are terminated first; `shutdown` then only collects the pool's queues
    and locks, which the resource tracker would otherwise report as leaked. (The executor
    has no public way to reach its processes before Python 3.14.)"""
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _kill_with_parent() -> bool:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _wait_for(descriptor: int) -> None:
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    while not poller.poll():
        pass
    os._exit(1)


def _poll_for(parent: int) -> None:
    import time

    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass
        time.sleep(_POLL_SECONDS)
