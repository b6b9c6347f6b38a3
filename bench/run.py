"""Benchmarks of `communiques`, each printed as a ratio against a baseline measured in the same run.

    .venv/bin/python bench/run.py            # full run (about 20 minutes on 2 cores)
    .venv/bin/python bench/run.py --quick    # smaller archives, for a first look
    .venv/bin/python bench/run.py --sections 2,6   # only some sections

Medians throughout: the machine is shared and noisy. Baselines: bare WeasyPrint on our own
HTML (one process, one shared FontConfiguration: the floor for our engine), and the route
users take instead, DOCX → PDF with LibreOffice headless in one batch call.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from routes import against_libreoffice, beside_a_busy_core
from synthetic import generate

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "communiques"]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(command: list[str], cwd: Path | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def bare_weasyprint(sources: list[Path]) -> tuple[list[Any], list[str], Callable[[str], None]]:
    """Our resolved communiqués, their HTML, and WeasyPrint alone laying out such HTML in this
    process with one shared FontConfiguration: the floor for our engine."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from communiques.build import Theme
    from communiques.render.html import render_html
    from communiques.render.pdf import _fetcher_class
    from communiques.resolve import load
    from communiques.sources import PressOffice

    office = PressOffice.find(sources[0])
    theme = Theme.of(office)
    resolved = [load(source, office) for source in sources]
    htmls = [render_html(r, theme.template_dirs) for r in resolved]
    stylesheet = next(
        d / "css/communique.css" for d in theme.asset_dirs if (d / "css/communique.css").is_file()
    )
    fonts = FontConfiguration()
    css = CSS(filename=str(stylesheet), font_config=fonts)
    base = theme.asset_dirs[0].as_uri() + "/"
    # bare needs asset: URLs too
    fetcher = _fetcher_class()((*theme.asset_dirs, *theme.template_dirs))

    def bare(html: str) -> None:
        HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf(
            stylesheets=[css], font_config=fonts
        )

    for html in htmls[:2]:  # warm up
        bare(html)
    return resolved, htmls, bare


def warm_engine(sources: list[Path]) -> dict[str, float]:
    """(1): per-communiqué times in one warm process. The PDF step (`render_pdf`, tagging
    included) against bare WeasyPrint on the same HTML; the whole communiqué, PDF + DOCX, from
    its resolved data (HTML, typography, PDF, DOCX) as `build` renders it."""
    from communiques.build import Theme, render
    from communiques.render.pdf import render_pdf
    from communiques.sources import PressOffice

    theme = Theme.of(PressOffice.find(sources[0]))
    resolved, htmls, bare = bare_weasyprint(sources)
    render(resolved[0], theme, ("pdf", "docx"))
    gc.collect()  # as a worker of `build` does after its first communiqué (batch._in_worker)
    gc.freeze()
    ours_pdf, bare_pdf, whole = [], [], []
    for item, html in zip(resolved, htmls, strict=True):  # interleaved, so noise hits both alike
        started = time.perf_counter()
        bare(html)
        bare_pdf.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_pdf(html, theme.asset_dirs, theme.template_dirs)
        ours_pdf.append(time.perf_counter() - started)
        started = time.perf_counter()
        render(item, theme, ("pdf", "docx"))
        whole.append(time.perf_counter() - started)
    return {
        "ours_pdf": median_ms(ours_pdf),
        "bare_pdf": median_ms(bare_pdf),
        "whole": median_ms(whole),
    }


def bare_ceiling(sources: list[Path], jobs: int) -> float:
    """What `jobs` cores could build per second with WeasyPrint alone, PDF only, scaling
    perfectly: a throughput is bound by the mean time, not the median."""
    _, htmls, bare = bare_weasyprint(sources)
    started = time.perf_counter()
    for html in htmls:
        bare(html)
    return jobs * len(htmls) / (time.perf_counter() - started)


def worker_memory(sources: list[Path], documents: int) -> list[tuple[int, float]]:
    """(4) Peak RSS of one worker process rendering `documents` communiqués in a row, as a
    worker of `build` does (reading, PDF, DOCX, manifest entry)."""
    code = f"""
import resource, sys
from pathlib import Path
from communiques.batch import Task, _in_worker
from communiques.build import Theme
from communiques.sources import PressOffice
sources = [Path(p) for p in {[str(s) for s in sources]!r}]
theme = Theme.of(PressOffice.find(sources[0]))
tasks = [Task(s.stem, s, theme, ("pdf", "docx"), ()) for s in sources]
for n in range(1, {documents} + 1):
    _in_worker(tasks[n % len(tasks)])
    if n in (10, {documents} // 4, {documents} // 2, {documents}):
        print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    )
    return [(int(n), float(mb)) for n, mb in (line.split() for line in result.stdout.splitlines())]


def warm_section(sources: list[Path]) -> None:
    warm = warm_engine(sources)
    print("\n(1) Mise en page à chaud, par communiqué (médianes)")
    print(f"    WeasyPrint seul, même HTML    : {warm['bare_pdf']:7.1f} ms")
    ratio = warm["ours_pdf"] / warm["bare_pdf"]
    print(
        f"    communiques, étape PDF        : {warm['ours_pdf']:7.1f} ms   ratio {ratio:.2f} × (cible ≤ 1,05)"
    )
    print(
        f"    communiques, PDF + DOCX       : {warm['whole']:7.1f} ms   (contre la version 0.1, même exécution : bench/compare.py)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="small archives: 40 and 200 communiqués"
    )
    parser.add_argument(
        "--sections", default="1,2,3,4,5,6", help="sections to run, by number (default: all)"
    )
    parser.add_argument("--tours", type=int, default=5, help="rounds of sections 2 and 6")
    args = parser.parse_args()
    wanted = set(args.sections.split(","))
    archive_size, rebuild_size, warm_docs, memory_docs = (
        (50, 200, 15, 100) if args.quick else (200, 1000, 40, 1000)
    )
    jobs = 2

    print(
        f"Machine : {platform.processor() or platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}"
    )
    hb = subprocess.run(
        ["sh", "-c", "ldconfig -p | grep -c harfbuzz-subset"], capture_output=True, text=True
    ).stdout.strip()
    print(
        f"libharfbuzz-subset : {'présente' if hb not in ('', '0') else 'absente (fontTools, ~5 fois plus lent)'}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        office = Path(tmp) / "archive"
        sources = generate(office, archive_size)

        if "1" in wanted:
            warm_section(sources[:warm_docs])
        if "2" in wanted:
            print(
                "\n(2) Contre la voie habituelle : python-docx puis LibreOffice en un appel, "
                f"processus entiers, PDF + DOCX (médianes de {args.tours})"
            )
            for line in against_libreoffice(office, (50,) if args.quick else (50, 200), args.tours):
                print(line)
        if "6" in wanted:
            print("\n(6) -j 2 contre -j 1 quand un cœur est pris")
            busy = Path(tmp) / "occupee"
            generate(busy, 20 if args.quick else 40, seed=7)
            print(beside_a_busy_core(busy, args.tours))
        if not wanted & {"3", "4", "5"}:
            return

        build = [*CLI, "build", str(office), "--out", str(office / "build"), "--jobs", str(jobs)]
        seconds = statistics.median(timed([*build, "--force"]) for _ in range(3))
        rate = archive_size / seconds
        print(
            f"\n(3a) Archive de {archive_size} communiqués, PDF + DOCX, {jobs} processus : {seconds:.1f} s (médiane de 3), {rate:.1f} communiqués/s (cible ≥ 15/s)"
        )
        ceiling = bare_ceiling(sources, jobs)
        print(
            f"     plafond : WeasyPrint seul, PDF seulement, sur {jobs} cœurs parfaitement parallèles : {ceiling:.1f}/s"
        )

        big = Path(tmp) / "grande"
        generate(big, rebuild_size, seed=99)
        subprocess.run(
            [*CLI, "build", str(big), "--out", str(big / "build"), "--jobs", str(jobs)],
            check=True,
            capture_output=True,
        )
        rebuilds = [timed([*CLI, "build", str(big), "--out", str(big / "build")]) for _ in range(3)]
        print(
            f"\n(3b) Reconstruction sans changement de {rebuild_size} communiqués : {statistics.median(rebuilds):.2f} s (médiane de 3, cible < 2 s)"
        )

        memory = worker_memory(sources[:20], memory_docs)
        print("\n(4) Mémoire maximale d'un processus de mise en page (cible < 250 Mo, stable)")
        print("    " + ", ".join(f"{n} docs : {mb:.0f} Mo" for n, mb in memory))

        single = sources[0]
        cold = [
            timed([*CLI, "build", str(single), "--out", str(Path(tmp) / f"froid{i}")])
            for i in range(3)
        ]
        print(
            f"\n(5) Un communiqué à froid (build, PDF + DOCX) : {statistics.median(cold):.2f} s (médiane de 3, cible < 1 s)"
        )
        for name, command in (
            ("check --sans-mise-en-page", ["check", "--sans-mise-en-page", str(single)]),
            ("check (avec mise en page)", ["check", str(single)]),
            ("schema", ["schema"]),
            ("list", ["list", "--out", str(big / "build")]),
            ("--help", ["--help"]),
        ):
            samples = [timed([*CLI, *command]) for _ in range(5)]
            print(f"    {name:26s}: {statistics.median(samples):.2f} s (cible < 0,3 s)")


if __name__ == "__main__":
    main()
