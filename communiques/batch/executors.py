"""Where communiqués are rendered: in this process, in a pool of local worker processes, or
on a Dask cluster; and how a worker starts (`warm_up`) and reports.

`render_task` never raises: a data error comes back as the communiqué's diagnostics, and a
bug (an unexpected exception) or a crashed worker as an internal error naming the
communiqué, so that one communiqué never stops the others.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Generator, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import forkserver
from ..build import render
from ..errors import REPORT_HINT, DataErrors, Diagnostic, ExecutorUnavailable
from ..interruptions import stop_pool
from ..render.budget import limit_memory, time_budget, too_complex
from ..themes import PortableTheme, Theme
from .planning import Options, Result, Task, entry_of, prepare

if TYPE_CHECKING:
    from ..render.pdf_process import PdfProcess

SCHEDULER_TIMEOUT = "10s"
INTERNAL = "interne"
"""The rule of a diagnostic that is the tool's fault, not the data's."""
WORKER_LOST = (
    "mise en page interrompue : un processus de travail s'est arrêté brutalement "
    "(mémoire épuisée ou signal) ; relancez la construction"
)


def internal_error(source: Path, what: str) -> Diagnostic:
    """A bug or a crash while building `source`: on the whole file (no line, as no place in
    it is at fault), with the hint to report it."""
    return Diagnostic(source, 0, 0, "", f"erreur interne : {what} ({REPORT_HINT})", rule=INTERNAL)


def render_task(task: Task, pdf_process: PdfProcess | None = None) -> Result:
    """Runs in a worker: never raises, so one bad communiqué cannot stop a batch."""
    try:
        if task.prepared is None:
            assert isinstance(task.theme, Theme)
            resolved, key, inputs = prepare(task.source, task.theme, task.key_options)
        else:
            resolved, key, inputs = task.prepared
        theme = task.theme.local() if isinstance(task.theme, PortableTheme) else task.theme
        over = f"plus de {task.layout_seconds:g} s"
        try:
            with time_budget(task.layout_seconds, lambda: too_complex(resolved, over)):
                outputs = render(
                    resolved,
                    theme,
                    task.formats,
                    task.hosts,
                    pdf_variant=task.pdf_variant,
                    pdf_process=pdf_process,
                )
        except MemoryError:  # past the worker's limit (render/budget.py)
            raise too_complex(resolved, "mémoire épuisée") from None
        entry = entry_of(task.name, resolved, outputs, key, inputs)
        return Result(task.name, task.source, outputs, [], entry, resolved.remarks)
    except DataErrors as exc:
        return Result(task.name, task.source, None, exc.errors)
    except Exception as exc:  # a bug must still not stop the batch, nor pass for a data error
        what = f"{type(exc).__name__}: {exc}"
        return Result(task.name, task.source, None, [internal_error(task.source, what)])


def execute(
    tasks: list[Task], options: Options, pdf_process: PdfProcess | None
) -> Generator[Result, None, None]:
    """Each task's result, in the order they finish."""
    if not tasks:
        return
    if options.executor == "dask":
        yield from _execute_dask(tasks, options.scheduler)
    elif options.jobs <= 1 or len(tasks) == 1:
        yield from (render_task(task, pdf_process) for task in tasks)
    else:
        yield from _execute_local(tasks, min(options.jobs, len(tasks)))


def _execute_local(tasks: list[Task], jobs: int) -> Iterator[Result]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    # forkserver: workers start clean (no inherited threads or half-imported state), forked
    # from a server that imported WeasyPrint once (batch/preload.py), and keep one
    # FontConfiguration for all their documents.
    pool = ProcessPoolExecutor(
        jobs, mp_context=forkserver.context(), initializer=warm_up, initargs=(os.getpid(),)
    )
    finished = False
    try:
        futures = {pool.submit(_in_worker, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory, signal)
                task = futures[future]
                yield Result(
                    task.name, task.source, None, [internal_error(task.source, WORKER_LOST)]
                )
        finished = True
    finally:
        if finished:
            pool.shutdown()
        else:  # interrupted, or the caller stopped reading: stop the workers now
            stop_pool(pool)


def _in_worker(task: Task) -> Result:
    """`render_task` in a local worker. After its first communiqué, what the worker keeps for
    good (modules, fonts, stylesheet, caches) is moved out of the cyclic garbage collector's
    sight: collections then take 6 ms a document instead of 13 (measured over 120)."""
    result = render_task(task)
    if not gc.get_freeze_count():
        gc.collect()  # first, so that no garbage is frozen with them
        gc.freeze()
    return result


def warm_up(command: int) -> None:
    """A fresh worker's start: it follows the `command`'s process (never outliving it), its
    memory is bounded, and the renderers are ready before its first document arrives."""
    from ..interruptions import follow

    follow(command)
    limit_memory()
    import_renderers()


def import_renderers() -> None:
    """python-docx and WeasyPrint imported, fonts dated reproducibly: what every worker needs
    before its first document (done once in the forkserver, then inherited)."""
    import docx  # noqa: F401

    from ..render.pdf import import_weasyprint, pin_font_dates

    pin_font_dates()
    import_weasyprint()


def _on_dask_worker(task: Task) -> Result:
    """`render_task` on a Dask worker, which our initialiser never ran on."""
    from ..render.pdf import pin_font_dates

    pin_font_dates()
    return render_task(task)


def _execute_dask(tasks: list[Task], scheduler: str | None) -> Iterator[Result]:
    """Sends the same pure task to a Dask cluster; templates and assets travel as bytes, once."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExecutorUnavailable(
            "Dask n'est pas installé : pip install 'communiques[dask]'"
        ) from None
    if not scheduler:
        raise ExecutorUnavailable("adresse du planificateur Dask manquante (--scheduler)")
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ExecutorUnavailable(
            f"planificateur Dask injoignable à {scheduler} ({exc}) ; "
            "démarrez-le (dask scheduler) ou vérifiez l'adresse"
        ) from None
    portable: dict[Theme, PortableTheme] = {}
    with client:
        futures = []
        for task in tasks:
            assert isinstance(task.theme, Theme)
            try:  # remote workers cannot read our files: resolve here
                prepared = prepare(task.source, task.theme, task.key_options)
            except DataErrors as exc:
                yield Result(task.name, task.source, None, exc.errors)
                continue
            if task.theme not in portable:
                portable[task.theme] = PortableTheme.of(task.theme)
            remote = replace(task, theme=portable[task.theme], prepared=prepared)
            futures.append(client.submit(_on_dask_worker, remote, pure=False))
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()
            future.release()
