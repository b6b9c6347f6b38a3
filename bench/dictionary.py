"""What `check` pays for its dictionary: Hunspell's French dictionary opened in a new process,
and one suggestion for each misspelling of tests/dictionary/fautes.tsv, with an empty cache
(medians; the figures the README's spelling section quotes).

    .venv/bin/python bench/dictionary.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MISSPELT = ROOT / "tests" / "dictionary" / "fautes.tsv"
MEASURE = """
import sys, time
started = time.perf_counter()
from communiques.dictionary import Dictionary
french = Dictionary.for_language("fr")
opened = time.perf_counter() - started
words = [line.split("\\t")[0] for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
started = time.perf_counter()
for word in words:
    french.suggest(word)
print(opened, (time.perf_counter() - started) / len(words))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    opened, suggested = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:  # no suggestion kept from a run before
            env = {**os.environ, "XDG_CACHE_HOME": cache}
            out = subprocess.run(
                [sys.executable, "-c", MEASURE, str(MISSPELT)],
                env=env, capture_output=True, text=True, check=True, cwd=ROOT,
            ).stdout.split()  # fmt: skip
        opened.append(float(out[0]))
        suggested.append(float(out[1]))
    print(f"dictionnaire français ouvert (import compris) : {statistics.median(opened):.3f} s")
    print(f"une suggestion, cache vide : {statistics.median(suggested) * 1000:.0f} ms "
          f"(médianes de {runs})")  # fmt: skip


if __name__ == "__main__":
    main()
