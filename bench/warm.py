"""A warm process building the example's communiqué again and again (PDF + DOCX), for
profilers: `py-spy record -o profile.svg -- .venv/bin/python bench/warm.py 60`.

Prints the median time per communiqué; the first one (imports, fonts) is left out.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daect" / "communiques" / "2021-04-19-expe-ct.yaml"


def main() -> None:
    from communiques.build import Theme, render
    from communiques.render.pdf import pin_font_dates
    from communiques.resolve import load
    from communiques.sources import PressOffice

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    formats = tuple(sys.argv[2].split(",")) if len(sys.argv) > 2 else ("pdf", "docx")
    pin_font_dates()
    office = PressOffice.find(EXAMPLE)
    theme = Theme.of(office)
    render(load(EXAMPLE, office), theme, formats)
    gc.collect()  # as a worker of `build` does after its first communiqué
    gc.freeze()
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        render(load(EXAMPLE, office), theme, formats)
        samples.append(time.perf_counter() - started)
    print(f"{statistics.median(samples) * 1000:.1f} ms par communiqué ({', '.join(formats)})")


if __name__ == "__main__":
    main()
