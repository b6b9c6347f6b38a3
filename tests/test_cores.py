"""How many processes a build uses by default: the idle cores this process may use, never
more than the communiqués, and workers that start with WeasyPrint already imported."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLE

from communiques import cores


def run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_default_jobs_never_more_than_the_documents_or_the_idle_cores() -> None:
    idle = cores.idle_cores()
    assert 1 <= idle <= cores.usable_cores()
    assert cores.default_jobs(0) == cores.default_jobs(1) == 1
    assert cores.default_jobs(cores.DOCUMENTS_PER_WORKER - 1) == 1
    assert 1 <= cores.default_jobs(1000) <= cores.usable_cores()


@pytest.mark.skipif(not hasattr(__import__("os"), "sched_setaffinity"), reason="Linux only")
def test_only_the_cores_this_process_may_use() -> None:
    """A process pinned to one core (taskset, a container's cpuset) builds with one."""
    assert (
        run(
            "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
            "from communiques import cores; print(cores.usable_cores(), cores.default_jobs(1000))"
        )
        == "1 1"
    )


def test_a_busy_core_is_not_idle() -> None:
    """A CPU-bound process started beside us (seen at once, unlike the 1-minute load
    average) takes a core from what a build would use."""
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        assert cores.busy_cores() >= 1
        assert cores.idle_cores() <= max(1, cores.usable_cores() - 1)
    finally:
        burner.kill()
        burner.wait()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_the_workers_forkserver_has_weasyprint_imported() -> None:
    assert (
        run(
            "import multiprocessing.forkserver as fs, os, sys\n"
            "from communiques import forkserver\n"
            "forkserver.start()\n"
            "print('communiques.build' in sys.modules, end=' ')  # started before our imports\n"
            "process = forkserver.context().Process(target=os.getpid)\n"
            "process.start(); process.join()\n"
            "maps = open(f'/proc/{fs._forkserver._forkserver_pid}/maps').read()\n"
            "print('libpango' in maps, forkserver.PRELOAD in fs._forkserver._preload_modules)"
        )
        == "False True True"
    )


@pytest.mark.skipif(sys.platform != "linux", reason="the PDF helper forks on Linux only")
def test_a_single_build_has_no_pdf_helper_without_a_second_idle_core() -> None:
    """Pinned to one core, a single build lays its PDF out itself: a helper would only take
    turns with it."""
    assert (
        run(
            "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
            "from communiques.render.pdf_process import start\n"
            "from pathlib import Path\nfrom communiques.sources import PressOffice\n"
            f"office = PressOffice(Path({str(EXAMPLE)!r}))\n"
            "helper = start(office.asset_dirs, office.template_dirs)\n"
            "forced = start(office.asset_dirs, office.template_dirs, if_idle=False)\n"
            "print(helper is None, forced is not None)"
        )
        == "True True"
    )
