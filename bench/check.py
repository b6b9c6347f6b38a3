"""How fast `check` answers, cold (a new process each time, as a user runs it): 30
communiqués and one, beside `build` of the same 30, in one run; medians of a few runs.

    .venv/bin/python bench/check.py [--runs 3] [--count 30]

Targets (issue #13): 30 files under 1,5 s, one file under 0,8 s, on the 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import generate

COMMAND = [sys.executable, "-m", "communiques"]


def seconds(args: list[str], cwd: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run([*COMMAND, *args], cwd=cwd, capture_output=True, text=True)
        samples.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):  # 1: the synthetic texts may have findings
            sys.exit(f"{' '.join(args)} : code {done.returncode}\n{done.stderr}")
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp) / "bureau"
        sources = generate(office, args.count)
        (office / "communiques.toml").write_text("", encoding="utf-8")
        one = [str(sources[0])]
        seconds(["check", *one], office, 1)  # caches (word lists) made once, as after install
        many = seconds(["check"], office, args.runs)
        single = seconds(["check", *one], office, args.runs)
        quick = seconds(["check", "--sans-mise-en-page"], office, args.runs)
        build = seconds(["build", "--force", "--out", str(Path(tmp) / "out")], office, 1)
    print(
        f"{os.cpu_count()} cœurs, {args.count} communiqués, médianes de {args.runs} essais, à froid"
    )
    print(f"check ({args.count} fichiers)           : {many:6.2f} s   (cible < 1,5 s)")
    print(f"check (1 fichier)              : {single:6.2f} s   (cible < 0,8 s)")
    print(f"check --sans-mise-en-page ({args.count})  : {quick:6.2f} s")
    print(f"build --force ({args.count} fichiers)    : {build:6.2f} s")
    print(f"ratio check / build            : {many / build:6.2f}")


if __name__ == "__main__":
    main()
