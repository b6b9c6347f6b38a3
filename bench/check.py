"""How fast `check` answers, cold (a new process each time, as a user runs it): 30
communiqués and one, beside `build` of the same 30, in one run; medians of a few runs.

    .venv/bin/python bench/check.py [--runs 3] [--count 30]

Targets (issue #13): 30 files under 1,5 s, one file under 0,8 s, on the 2-core machine.

`check` keeps in the user's cache folder what it need not redo (each body's measure,
Hunspell's suggestions): here a private one. « cache vide » empties it before each run (the
first check after an install or an update); « après une modification » edits the body of
one file before each run, as a user does between two checks (that body is laid out again,
the others' measures are read back).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from synthetic import generate

COMMAND = [sys.executable, "-m", "communiques"]


def seconds(
    args: list[str], cwd: Path, runs: int, before: Callable[[int], object] = lambda _: None
) -> float:
    """The median wall time of `runs` runs, `before(run)` called (untimed) before each."""
    samples = []
    for run in range(runs):
        before(run)
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
        cache = Path(tmp) / "cache"
        os.environ["XDG_CACHE_HOME"] = str(cache)
        one = [str(sources[0])]

        def empty(_: int) -> None:
            shutil.rmtree(cache, ignore_errors=True)

        def edit(run: int) -> None:
            text = sources[0].read_text(encoding="utf-8")
            edited = text.replace("corps: |\n", f"corps: |\n  Version {run + 2} du texte.\n\n", 1)
            assert edited != text, "no body to edit"
            sources[0].write_text(edited, encoding="utf-8")

        seconds(["check"], office, 1)  # the cache filled once, as after a first check
        cold = seconds(["check"], office, args.runs, empty)
        seconds(["check"], office, 1)
        many = seconds(["check"], office, args.runs, edit)
        same = seconds(["check"], office, args.runs)
        single = seconds(["check", *one], office, args.runs, edit)
        single_cold = seconds(["check", *one], office, args.runs, empty)
        quick = seconds(["check", "--sans-mise-en-page"], office, args.runs)
        build = seconds(["build", "--force", "--out", str(Path(tmp) / "out")], office, 1)
    n = args.count
    print(f"{os.cpu_count()} cœurs, {n} communiqués, médianes de {args.runs} essais, à froid")
    print(f"check ({n}), après une modification : {many:6.2f} s   (cible < 1,5 s)")
    print(f"check ({n}), rien de modifié        : {same:6.2f} s")
    print(f"check ({n}), cache vide             : {cold:6.2f} s")
    print(f"check (1), après une modification  : {single:6.2f} s   (cible < 0,8 s)")
    print(f"check (1), cache vide              : {single_cold:6.2f} s")
    print(f"check --sans-mise-en-page ({n})      : {quick:6.2f} s")
    print(f"build --force ({n})                  : {build:6.2f} s")
    print(
        f"ratio check / build                : {many / build:6.2f} (cache vide : {cold / build:.2f})"
    )


if __name__ == "__main__":
    main()
