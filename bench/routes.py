"""Whole-process comparisons run by bench/run.py, each a ratio measured in the same run.

- `against_libreoffice`: `communiques build` (PDF + DOCX, default --jobs) against the route
  users know: the DOCX written with python-docx, then LibreOffice converting every DOCX to
  PDF in one call (both formats too), for 50 and 200 communiqués. The DOCX are ours
  (`build --format docx`): the same pages as our PDF, with the logo, header and footer a
  house's Word template gives; a bare python-docx document without them converts faster
  and would compare another page.
- `beside_a_busy_core`: `-j 2` against `-j 1` while a CPU-bound process holds one core.

Rounds alternate the two sides, so that the machine's load hits both alike; medians.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "communiques"]


def _seconds(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def against_libreoffice(office: Path, sizes: tuple[int, ...], rounds: int) -> list[str]:
    """Lines of the report: for each size, seconds per communiqué of each route and the ratio."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return ["    sauté : soffice absent (LibreOffice Writer)"]
    from communiques.cores import default_jobs

    everything = sorted((office / "communiques").glob("*.yaml"))
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profil"
        convert = [soffice, f"-env:UserInstallation=file://{profile}", "--headless"]
        convert += ["--convert-to", "pdf", "--outdir"]
        subprocess.run([*convert, tmp, str(ROOT / "templates" / "reference.docx")],
                       check=True, capture_output=True)  # fmt: skip  # the profile, once
        for size in sizes:
            if size > len(everything):
                continue
            part = Path(tmp) / f"bureau-{size}"
            for sub in ("organisations", "programmes", "assets"):
                shutil.copytree(office / sub, part / sub, dirs_exist_ok=True)
            (part / "communiques").mkdir(parents=True, exist_ok=True)
            for source in everything[:size]:
                shutil.copy(source, part / "communiques" / source.name)
            ours, theirs, jobs = [], [], set()
            for turn in range(rounds):
                out = Path(tmp) / f"sortie-{size}-{turn}"
                jobs.add(default_jobs(size))  # what the build is about to choose
                ours.append(_seconds([*CLI, "build", str(part), "--out", str(out), "--force"]))
                route = Path(tmp) / f"voie-{size}-{turn}"
                write = [*CLI, "build", str(part), "--out", str(route), "--format", "docx"]
                seconds = _seconds(write)
                docx_files = sorted(str(p) for p in route.glob("*.docx"))
                seconds += _seconds([*convert, str(route), *docx_files])
                assert len(list(route.glob("*.pdf"))) == size, "LibreOffice n'a pas tout converti"
                theirs.append(seconds)
            mine, route_ = statistics.median(ours), statistics.median(theirs)
            lines.append(
                f"    {size:3d} communiqués : communiques {mine / size * 1000:4.0f} ms/doc "
                f"(--jobs par défaut : {'/'.join(map(str, sorted(jobs)))}) ; python-docx + "
                f"LibreOffice {route_ / size * 1000:4.0f} ms/doc (DOCX puis 1 appel) ; "
                f"ratio {route_ / mine:.2f} × (cible ≥ 1,5)"
            )
    return lines


def beside_a_busy_core(office: Path, rounds: int) -> str:
    """`-j 2` against `-j 1` on `office`, with a CPU-bound process started beside them for as
    long as the rounds take (and never longer than 15 minutes)."""
    burner = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time\nend = time.time() + 900\nwhile time.time() < end: pass",
        ]
    )
    try:
        time.sleep(0.5)
        samples: dict[int, list[float]] = {1: [], 2: []}
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(rounds):
                for jobs in (1, 2):
                    command = [*CLI, "build", str(office), "--out", f"{tmp}/j{jobs}", "--force"]
                    samples[jobs].append(_seconds([*command, "--jobs", str(jobs)]))
    finally:
        burner.kill()
        burner.wait()
    one, two = statistics.median(samples[1]), statistics.median(samples[2])
    count = len(list((office / "communiques").glob("*.yaml")))
    return (
        f"    {count} communiqués, un cœur pris par un autre processus : -j 1 {one:.2f} s, "
        f"-j 2 {two:.2f} s (médianes de {rounds}) : -j 2 / -j 1 = {two / one:.2f} "
        "(cible ≤ 1,05)"
    )
