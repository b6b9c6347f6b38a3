"""Two checkouts of communiques, one warm process each, timed turn by turn on the example
(PDF + DOCX): a ratio measured in the same run, whatever the machine's load.

    .venv/bin/python bench/compare.py /chemin/de/la/reference [tours] [formats]

Each checkout builds its own copy of the example (an older checkout may not read today's),
three times a round; the median of the rounds is printed, in processor time of the process (time.process_time): on a shared machine, wall-clock time
mostly measures the neighbours.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVE = """
import gc, sys, time
sys.argv = ["warm"]
from pathlib import Path
from communiques.build import Theme, render
try:  # not in older checkouts
    from communiques.render.pdf import pin_font_dates
    pin_font_dates()
except ImportError:
    pass
from communiques.resolve import load
from communiques.sources import PressOffice
source = Path(sys.stdin.readline().strip())
formats = tuple(sys.stdin.readline().split())
office = PressOffice.find(source)
theme = Theme.of(office)
render(load(source, office), theme, formats)
gc.collect()
gc.freeze()
print("ready", flush=True)
for line in sys.stdin:
    started = time.process_time()
    for _ in range(int(line)):
        render(load(source, office), theme, formats)
    print(time.process_time() - started, flush=True)
"""


def start(checkout: Path, source: Path, formats: list[str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE],
        cwd=checkout,
        env={"PYTHONPATH": str(checkout), "PATH": "/usr/bin:/bin"},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin and process.stdout
    process.stdin.write(f"{source}\n{' '.join(formats)}\n")
    process.stdin.flush()
    assert process.stdout.readline().strip() == "ready"
    return process


def timed(process: subprocess.Popen[str], count: int) -> float:
    assert process.stdin and process.stdout
    process.stdin.write(f"{count}\n")
    process.stdin.flush()
    return float(process.stdout.readline()) / count


def main() -> None:
    reference = Path(sys.argv[1]).resolve()
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    formats = sys.argv[3].split(",") if len(sys.argv) > 3 else ["pdf", "docx"]
    example = Path("examples", "daect", "communiques", "2021-04-19-expe-ct.yaml")
    before = start(reference, reference / example, formats)
    after = start(ROOT, ROOT / example, formats)
    samples: dict[str, list[float]] = {"référence": [], "ce dépôt": []}
    for _ in range(rounds):
        samples["référence"].append(timed(before, 3))
        samples["ce dépôt"].append(timed(after, 3))
    for process in (before, after):
        assert process.stdin
        process.stdin.close()
        process.wait()
    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    for name, value in medians.items():
        print(f"{name:10s}: {value:6.1f} ms de processeur par communiqué ({', '.join(formats)})")
    print(f"ratio ce dépôt / référence : {medians['ce dépôt'] / medians['référence']:.3f}")


if __name__ == "__main__":
    main()
