"""A second process that lays out the PDF of a single communiqué while this one does the rest.

A cold `communiques build file.yaml` spends most of its time importing WeasyPrint, loading its
fonts and laying out a first page. Forked before the parent reads anything, the helper does
that on another core while the parent loads the data and writes the HTML and the DOCX; it
then receives the HTML and sends back the PDF. `communiques check` uses it the same way to
measure the laid-out body while it proofreads. Batches do not need it: their workers stay warm.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, cast

from ..errors import ResourceRefused
from .budget import LAYOUT_SECONDS, limit_memory, time_budget
from .pdf import _theme, pin_font_dates, render_pdf

T = TypeVar("T")


class PdfProcess:
    """Lays out PDFs in a forked child; if the child is gone, in this process instead."""

    def __init__(self, asset_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...]) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child_end = context.Pipe()
        # A daemon: killed when the build exits, even if it never needed a PDF.
        self._process = context.Process(
            target=_serve,
            args=(child_end, self._connection, asset_dirs, template_dirs, os.getpid()),
            daemon=True,
        )
        self._process.start()
        child_end.close()
        self._sent = 0
        self._replies: dict[int, tuple[str, object]] = {}
        """Replies read while waiting for a later one: that of a request nobody waited for
        (its caller gave up on an error) must not be taken for the next one's."""

    def submit(
        self,
        html: str,
        asset_dirs: tuple[Path, ...],
        template_dirs: tuple[Path, ...],
        hosts: tuple[str, ...] = (),
        *,
        variant: str | None = None,
    ) -> Callable[[], bytes]:
        """Start laying out `html` (as render_pdf would); call the result to wait for the PDF."""
        return self.call(render_pdf, html, asset_dirs, template_dirs, hosts, variant=variant)

    def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
        """Start `function(*args, **kwargs)` in the helper (a module-level function, sent by
        name); call the result to wait for its value."""
        self._sent += 1
        number = self._sent
        try:
            self._connection.send((number, function, args, kwargs))
        except OSError:
            return lambda: function(*args, **kwargs)

        def result() -> T:
            try:
                while number not in self._replies:
                    replied, status, value = self._connection.recv()
                    self._replies[replied] = status, value
            except (EOFError, OSError):  # the helper was killed: do it here
                return function(*args, **kwargs)
            status, value = self._replies.pop(number)
            if status == "refused":
                raise ResourceRefused(value)
            if status == "memory":
                raise MemoryError(value)
            if status == "error":
                raise RuntimeError(value)
            return cast(T, value)

        return result


def start(
    asset_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...], *, if_idle: bool = True
) -> PdfProcess | None:
    """A helper, where forking is safe (on Linux, from a process without other threads) and,
    `if_idle`, where it pays: when a second core is idle, as otherwise the two processes would
    take turns on one core."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return None
    from ..cores import idle_cores

    if if_idle and idle_cores() < 2:
        return None
    return PdfProcess(asset_dirs, template_dirs)


def _serve(
    connection: Connection,
    parent_end: Connection,
    asset_dirs: tuple[Path, ...],
    template_dirs: tuple[Path, ...],
    parent: int,
) -> None:
    from ..interruptions import follow

    # Killed with the parent, even in the middle of a layout (and were that unavailable,
    # the parent's end of the pipe, closed here, ends this process at its next read).
    follow(parent)
    parent_end.close()
    limit_memory()
    pin_font_dates()
    # Import WeasyPrint, load the fonts and the stylesheet while the parent reads the data;
    # should that fail, the request will say why.
    with contextlib.suppress(Exception):
        _theme(asset_dirs, template_dirs)
    while True:
        try:
            number, function, args, kwargs = connection.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:  # the parent reports a layout over budget; this one stops it, to serve the next
            with time_budget(LAYOUT_SECONDS, lambda: TimeoutError("mise en page trop longue")):
                reply: tuple[int, str, object] = (number, "ok", function(*args, **kwargs))
        except ResourceRefused as exc:
            reply = (number, "refused", str(exc))
        except MemoryError:  # past limit_memory: the parent reports the communiqué
            reply = (number, "memory", "")
        except Exception as exc:  # reported on the communiqué by the parent
            reply = (number, "error", f"{type(exc).__name__}: {exc}")
        connection.send(reply)
