"""Builds that are killed, or that run at the same time: the output folder only ever holds
complete files, and a manifest whose every entry matches them.

These tests start real `communiques build` processes and kill them (SIGKILL, which no code
can intercept), the whole build or one of its workers.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from synthetic import generate

from communiques.batch import WORKER_LOST, Options, build, build_lock
from communiques.cli import main
from communiques.errors import BuildLocked
from communiques.files import write_all
from communiques.manifest import MANIFEST, file_hash

COMMAND = [sys.executable, "-m", "communiques", "build"]


def check_output_folder(out: Path) -> dict[str, dict[str, object]]:
    """Every file is whole, no temporary file looks like an output, and the manifest tells
    the truth about each file it lists. Returns the manifest's entries."""
    for path in out.iterdir():
        if path.name.startswith("."):  # the lock, a temporary file of a killed build
            assert path.name == ".verrou" or path.name.endswith(".part"), path
            continue
        assert path.suffix in (".pdf", ".docx", ".html", ".json"), path
        if path.suffix == ".pdf":
            assert len(PdfReader(io.BytesIO(path.read_bytes())).pages) >= 1, path
        elif path.suffix == ".docx":
            assert docx.Document(str(path)).paragraphs, path
    entries: dict[str, dict[str, object]] = json.loads((out / MANIFEST).read_text())["communiques"]
    for name, entry in entries.items():
        for output in entry["sorties"].values():  # type: ignore[attr-defined]
            path = out / output["fichier"]
            assert path.is_file(), (name, path)
            assert file_hash(path) == output["sha256"], (name, path)
    return entries


def descendants(pid: int) -> dict[int, int]:
    """Processes below `pid`, with their parent: {pid: ppid}."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    below: dict[int, int] = {}
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        below.update({child: parents[child] for child in frontier})
    return below


def wait_for(condition: object, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def running() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes a test starts: their whole group is killed at the end, whatever happens."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_a_build_killed_midway_leaves_whole_files_and_a_true_manifest(
    tmp_path: Path, running: list[subprocess.Popen[bytes]]
) -> None:
    root = tmp_path / "bureau"
    sources = generate(root, 6, seed=5)
    out = tmp_path / "sortie"
    assert not build(sources, Options(out, jobs=1)).errors
    before = {p.name: file_hash(p) for p in out.glob("*.pdf")}
    for source in sources:  # every output will change
        source.write_text(source.read_text().replace("lieu: ", "lieu: Saint-"))

    process = subprocess.Popen(
        [*COMMAND, str(root), "--out", str(out), "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    running.append(process)
    wait_for(lambda: (out / ".verrou").is_file())
    second = CliRunner().invoke(main, ["build", str(root), "--out", str(out)])
    assert second.exit_code == 1
    assert (
        f"une autre construction (processus {process.pid}) écrit déjà dans {out}" in second.output
    )

    # Killed as soon as it has rewritten a file, before its first periodic manifest save.
    wait_for(lambda: any(file_hash(out / n) != h for n, h in before.items()))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    entries = check_output_folder(out)
    assert len(entries) < len(sources), "killed before the end"

    report = build(sources, Options(out, jobs=1))
    assert not report.errors and report.built
    assert len(check_output_folder(out)) == len(sources)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


def test_a_killed_worker_is_reported_and_the_build_ends_cleanly(
    tmp_path: Path, running: list[subprocess.Popen[bytes]]
) -> None:
    root = tmp_path / "bureau"
    sources = generate(root, 10, seed=6)
    out = tmp_path / "sortie"
    process = subprocess.Popen(
        [*COMMAND, str(root), "--out", str(out), "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    running.append(process)
    wait_for(lambda: any(out.glob("*.pdf")) if out.is_dir() else False)
    workers = [pid for pid, parent in descendants(process.pid).items() if parent != process.pid]
    assert workers, "the build has workers"
    os.kill(workers[0], signal.SIGKILL)

    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    messages = stderr.decode()
    assert WORKER_LOST in messages and "Traceback" not in messages
    assert f": erreur: erreur interne : {WORKER_LOST}" in messages  # not a data error at 1:1
    entries = check_output_folder(out)
    assert 0 < len(entries) < len(sources)
    assert not (out / ".verrou").exists()
    assert len(build(sources, Options(out, jobs=1)).built) == len(sources) - len(entries)


def test_a_second_build_on_the_same_folder_is_refused_with_the_first_ones_pid(
    tmp_path: Path,
) -> None:
    out = tmp_path / "sortie"
    with build_lock(out), pytest.raises(BuildLocked) as raised:
        build([], Options(out))
    assert str(raised.value) == (
        f"une autre construction (processus {os.getpid()}) écrit déjà dans {out} : "
        "attendez qu'elle se termine"
    )
    (out / ".verrou").write_text("999999\n")  # left by a killed build: no lock held
    (out / ".abc.part").write_bytes(b"%PDF-1.7 half")
    build([], Options(out))
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_write_interrupted_midway_leaves_the_previous_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both outputs of a communiqué, or neither; never a truncated one."""
    pdf, docx_file = tmp_path / "a.pdf", tmp_path / "a.docx"
    pdf.write_bytes(b"ancien PDF")

    def killed(descriptor: int) -> None:
        if len(list(tmp_path.glob(".*.part"))) == 2:  # while flushing the second file
            raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", killed)
    with pytest.raises(KeyboardInterrupt):
        write_all([(pdf, b"nouveau PDF" * 1000), (docx_file, b"nouveau DOCX")])
    assert pdf.read_bytes() == b"ancien PDF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_a_process_killed_while_writing_leaves_a_whole_file(
    tmp_path: Path, running: list[subprocess.Popen[bytes]]
) -> None:
    """A process rewrites a 4 Mo file again and again until it is killed: the file is always
    one of its versions, whole."""
    target = tmp_path / "sortie.pdf"
    writer = (
        "import itertools, sys\n"
        "from pathlib import Path\n"
        "from communiques.files import write_atomic\n"
        "for i in itertools.count():\n"
        "    write_atomic(Path(sys.argv[1]), bytes([i % 256]) * 4_000_000)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", writer, str(target)], start_new_session=True)
    running.append(process)
    wait_for(target.is_file)
    time.sleep(0.5)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    data = target.read_bytes()
    assert len(data) == 4_000_000 and data == data[:1] * len(data)


def session_members(session: int) -> list[int]:
    """The live processes of a session (zombies, already gone but not yet reaped by init,
    hold nothing open)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == session and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def start_build(
    root: Path, out: Path, *options: str, running: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [*COMMAND, str(root), "--out", str(out), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    running.append(process)
    return process


@pytest.mark.parametrize(
    ("signum", "whole_group"),
    [
        (signal.SIGTERM, False),
        (signal.SIGHUP, False),
        (signal.SIGINT, False),
        (signal.SIGINT, True),
    ],
    ids=["SIGTERM", "SIGHUP", "SIGINT", "Ctrl-C"],
)
def test_a_signal_stops_the_workers_and_keeps_the_manifest_of_what_is_done(
    tmp_path: Path, running: list[subprocess.Popen[bytes]], signum: int, whole_group: bool
) -> None:
    root = tmp_path / "bureau"
    sources = generate(root, 10, seed=7)
    out = tmp_path / "sortie"
    process = start_build(root, out, "--jobs", "2", running=running)
    wait_for(lambda: len(list(out.glob("*.pdf"))) >= 2 if out.is_dir() else False)
    assert len(session_members(process.pid)) >= 3, "the build has workers and helpers"

    (os.killpg if whole_group else os.kill)(process.pid, signum)
    _, stderr = process.communicate(timeout=30)  # returns: nobody holds its output open
    assert process.returncode == 128 + signum
    messages = stderr.decode()
    assert messages.endswith("Interrompu.\n") and "Traceback" not in messages, messages
    wait_for(lambda: not session_members(process.pid), timeout=2)

    entries = check_output_folder(out)
    assert 2 <= len(entries) < len(sources)
    assert not (out / ".verrou").exists()
    report = build(sources, Options(out, jobs=1))
    assert len(report.built) == len(sources) - len(entries)
    assert len(report.skipped) == len(entries)


def test_workers_end_within_a_second_of_a_killed_build(
    tmp_path: Path, running: list[subprocess.Popen[bytes]]
) -> None:
    """SIGKILL cannot be caught: the workers, the forkserver and the resource tracker notice
    that the build is gone and end, releasing the caller's stdout and stderr."""
    root = tmp_path / "bureau"
    generate(root, 10, seed=8)
    out = tmp_path / "sortie"
    process = start_build(root, out, "--jobs", "2", running=running)
    wait_for(lambda: any(out.glob("*.pdf")) if out.is_dir() else False)
    assert len(session_members(process.pid)) >= 4  # build, tracker, forkserver, 2 workers

    os.kill(process.pid, signal.SIGKILL)
    killed = time.monotonic()
    process.communicate(timeout=5)
    wait_for(lambda: not session_members(process.pid), timeout=1)
    assert time.monotonic() - killed < 1.5


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_forced_build_keeps_its_progress(
    tmp_path: Path, running: list[subprocess.Popen[bytes]], signum: int
) -> None:
    """#13: Ctrl-C after some files of a `build --force`, then a plain `build`, redoes only
    the files that were left."""
    root = tmp_path / "bureau"
    sources = generate(root, 8, seed=9)
    out = tmp_path / "sortie"
    assert len(build(sources, Options(out, jobs=1)).built) == len(sources)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}

    process = start_build(root, out, "--force", "--jobs", "1", running=running)
    # Once three are rewritten, at least two are finished (the third may be half-way).
    wait_for(lambda: sum((out / n).stat().st_mtime_ns != t for n, t in before.items()) >= 3)
    os.kill(process.pid, signum)
    process.communicate(timeout=30)
    assert process.returncode == 128 + signum

    done = check_output_folder(out)
    assert 2 <= len(done) < len(sources)
    report = build(sources, Options(out, jobs=1))
    assert len(report.built) == len(sources) - len(done)
    assert len(report.skipped) == len(done)
