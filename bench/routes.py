"""Whole-process comparisons run by bench/run.py, each a ratio measured in the same run.

- `against_libreoffice`: `communiques build` (PDF + DOCX, default --jobs) against the route
  users know: a python-docx script filling the house's Word template, then LibreOffice
  converting every DOCX to PDF in one call (both formats too), for 50 and 200 communiqués.
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

PYTHON_DOCX_ROUTE = """
import sys
from pathlib import Path
import docx
from ruamel.yaml import YAML

template, out = Path(sys.argv[1]), Path(sys.argv[2])
yaml = YAML(typ="safe")
for source in sys.argv[3:]:
    data = yaml.load(Path(source).read_text(encoding="utf-8"))
    document = docx.Document(str(template))
    document.add_paragraph(f"{data['lieu']}, le {data['date']}")
    document.add_paragraph("COMMUNIQUÉ DE PRESSE")
    document.add_heading(data["titre"], level=1)
    if data.get("sous_titre"):
        document.add_paragraph(data["sous_titre"])
    if data.get("chapo"):
        document.add_paragraph(data["chapo"]).runs[0].bold = True
    for paragraph in data.get("corps", "").split("\\n\\n"):
        document.add_paragraph(paragraph)
    laureats = (data.get("comite") or {}).get("laureats") or []
    if laureats:
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Lauréat", "Catégorie"
        for laureat in laureats:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = laureat["nom"], laureat["type"]
    document.add_paragraph("Contact presse : Service presse")
    document.save(str(out / (Path(source).stem + ".docx")))
"""


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
            sources = sorted((part / "communiques").glob("*.yaml"))
            ours, theirs = [], []
            for turn in range(rounds):
                out = Path(tmp) / f"sortie-{size}-{turn}"
                ours.append(_seconds([*CLI, "build", str(part), "--out", str(out), "--force"]))
                route = Path(tmp) / f"voie-{size}-{turn}"
                route.mkdir()
                write = [sys.executable, "-c", PYTHON_DOCX_ROUTE]
                write += [str(ROOT / "templates" / "reference.docx"), str(route)]
                seconds = _seconds([*write, *map(str, sources)])
                docx_files = sorted(str(p) for p in route.glob("*.docx"))
                seconds += _seconds([*convert, str(route), *docx_files])
                assert len(list(route.glob("*.pdf"))) == size, "LibreOffice n'a pas tout converti"
                theirs.append(seconds)
            mine, route_ = statistics.median(ours), statistics.median(theirs)
            lines.append(
                f"    {size:3d} communiqués : communiques {mine / size * 1000:4.0f} ms/doc "
                f"(--jobs par défaut, ici {default_jobs(size)}) ; python-docx + LibreOffice "
                f"{route_ / size * 1000:4.0f} ms/doc (1 processus + 1 appel) ; "
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
