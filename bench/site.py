"""Benchmark of the archive site (issue #18): `build --site` on a 1,000-communiqué archive
already built, then after a one-communiqué change. Targets: < 10 s, then < 1 s.

    .venv/bin/python bench/site.py [--count 1000] [--formats docx] [--jobs 2]

The archive is built first without the site (not timed). By default as DOCX only, which
takes a minute instead of the PDF's several: the site never remakes a PDF or DOCX, it only
links them, so what it costs does not depend on them. `--formats pdf,docx` for the real thing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate

from communiques.batch import Options, build


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--formats", default="docx")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    formats = tuple(args.formats.split(","))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sources = generate(root / "bureau", args.count)
        out = root / "build"
        started = time.perf_counter()
        build(sources, Options(out, formats, args.jobs))
        print(
            f"archive de {len(sources)} communiqués ({args.formats}) : "
            f"{time.perf_counter() - started:.1f} s (non compté)"
        )
        with_site = Options(out, formats, args.jobs, site=True)
        for label in ("site complet (toutes les pages rendues)", "sans changement"):
            started = time.perf_counter()
            report = build(sources, with_site)
            total = time.perf_counter() - started
            assert report.site is not None
            print(
                f"{label} : {total:.2f} s en tout, dont site {report.site.seconds:.2f} s "
                f"({report.site.rendered} communiqués rendus, {len(report.site.written)} fichiers écrits)"
            )
        changed = sources[len(sources) // 2]
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text.replace('titre: "', 'titre: "Modifié : ', 1), encoding="utf-8")
        started = time.perf_counter()
        report = build(sources, with_site)
        total = time.perf_counter() - started
        assert report.site is not None and len(report.built) == 1
        print(
            f"un communiqué modifié : {total:.2f} s en tout (son {args.formats} refait), dont site "
            f"{report.site.seconds:.2f} s ({len(report.site.written)} fichiers écrits : "
            f"{', '.join(sorted(report.site.written)[:8])}…)"
        )


if __name__ == "__main__":
    main()
