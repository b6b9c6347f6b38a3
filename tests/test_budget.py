"""The layout budget (render/budget.py): behind the limits of the data, a communiqué that
takes too long or too much memory to lay out is stopped in its worker and reported on the
field that weighs most; the other communiqués of the batch are built."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from communiques.batch import Options, Task
from communiques.batch.executors import execute
from communiques.batch.planning import prepare
from communiques.build import Theme
from communiques.resolve import Resolved
from communiques.sources import PressOffice

BACKQUOTES = "`a`" * 6_600
"""The issue's reproducer: over 400 s of layout before the limits."""
TOO_COMPLEX = (
    "trop complexe à mettre en page ({why}) : raccourcissez ce texte, retirez-en des mises "
    "en forme ou publiez-en une partie en ligne"
)


def unchecked(resolved: Resolved, **fields: str) -> Resolved:
    """`resolved` with `fields` set past the model's validation: what a limit the data
    rules forgot would let through."""
    return replace(resolved, communique=resolved.communique.model_copy(update=fields))


def task_of(source: Path, theme: Theme, **fields: str) -> Task:
    resolved, key, inputs = prepare(source, theme, ())
    prepared = (unchecked(resolved, **fields), key, inputs)
    return Task(
        source.stem, source, theme, ("pdf", "docx"), (), prepared=prepared, layout_seconds=3
    )


def test_a_layout_over_its_budget_is_stopped_and_the_batch_goes_on(office: Path) -> None:
    """Three communiqués on two workers, one with the backquoted body: after its 3 seconds
    it is reported on `corps`, at its line; the two others are laid out."""
    seed = office / "communiques" / "2021-04-19-expe-ct.yaml"
    text = seed.read_text(encoding="utf-8")
    sources = [seed]
    for name in ("b-lent", "c-autre"):
        sources.append(office / "communiques" / f"{name}.yaml")
        sources[-1].write_text(text + "corps: Le texte.\n", encoding="utf-8")
    theme = Theme.of(PressOffice.find(seed))
    tasks = [task_of(seed, theme), task_of(sources[1], theme, corps=BACKQUOTES)]
    tasks.append(task_of(sources[2], theme))
    options = Options(jobs=2)
    started = time.perf_counter()
    results = {result.name: result for result in execute(tasks, options, None)}
    assert time.perf_counter() - started < 60
    line = len(text.splitlines()) + 1
    assert [str(error) for error in results["b-lent"].errors] == [
        f"{sources[1]}:{line}:8: erreur: corps: " + TOO_COMPLEX.format(why="plus de 3 s")
    ]
    assert results["b-lent"].outputs is None
    for name in ("2021-04-19-expe-ct", "c-autre"):
        outputs = results[name].outputs
        assert not results[name].errors and outputs and outputs["pdf"].startswith(b"%PDF")


WORKER_LIMIT = """
import resource
from concurrent.futures import ProcessPoolExecutor
import multiprocessing
import os
from communiques.batch.executors import warm_up
from communiques.render.budget import WORKER_MEMORY

def limit():
    return resource.getrlimit(resource.RLIMIT_AS)[0]

if __name__ == "__main__":
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=warm_up, initargs=(os.getpid(),)
    ) as pool:
        assert pool.submit(limit).result() == WORKER_MEMORY
    assert limit() == resource.RLIM_INFINITY, "never in the command itself"
"""


def test_a_worker_s_address_space_is_bounded(tmp_path: Path) -> None:
    script = tmp_path / "limite.py"
    script.write_text(WORKER_LIMIT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
