"""The PDF engine: WeasyPrint's quick import, and the helper process of single builds."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

LOADED = (
    "from weasyprint.text import ffi; import ctypes.util; "
    "print([name for name in ('harfbuzz_subset', 'harfbuzz_vector', 'pangoft2', 'fontconfig')"
    " if getattr(ffi, name) is not None], ctypes.util.find_library.__module__)"
)


def run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout


def test_the_quick_import_loads_what_weasyprint_loads() -> None:
    quick = run(
        "from communiques.render.pdf import import_weasyprint; import_weasyprint(); " + LOADED
    )
    assert quick == run("import weasyprint; " + LOADED)
    assert "harfbuzz_subset" in quick  # installed by scripts/system-deps.sh: 5× faster subsetting
    assert quick.split()[-1] == "ctypes.util"  # find_library is given back


FALLBACK = """
import os, sys, time
from pathlib import Path
from communiques.build import Theme, render
from communiques.render.pdf import import_weasyprint, pin_font_dates
from communiques.resolve import load
from communiques.sources import PressOffice

pin_font_dates()  # as the CLI, a batch worker and the PDF helper do when they start
before = dict(os.environ)
import_weasyprint()
import weasyprint.pdf.fonts as fonts

fonts.harfbuzz_subset = None  # as on a machine without libharfbuzz-subset0
subset = fonts.Font._fonttools_subset
used = []
fonts.Font._fonttools_subset = lambda *args: (used.append(1), subset(*args))[1]
source = Path(sys.argv[1])
theme = Theme.of(PressOffice.find(source))
first = render(load(source), theme, ("pdf",))["pdf"]
time.sleep(1.1)  # fontTools dates fonts to the second
second = render(load(source), theme, ("pdf",))["pdf"]
assert used, "fontTools did not subset"
assert dict(os.environ) == before, "rendering changed the environment"
print(first == second)
"""


def test_pdfs_are_reproducible_without_harfbuzz_subset_too(office: Path) -> None:
    """WeasyPrint's fallback, fontTools, dates each subset font with the current time unless
    SOURCE_DATE_EPOCH is set: processes set it when they start (pin_font_dates), and
    rendering itself leaves the environment alone."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    source = office / "communiques" / "2021-04-19-expe-ct.yaml"
    result = subprocess.run(
        [sys.executable, "-c", FALLBACK, str(source)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


HELPER = """
import hashlib, os, signal, sys
from pathlib import Path
from communiques.build import Theme
from communiques.render.html import render_html
from communiques.errors import ResourceRefused
from communiques.render.pdf import render_pdf
from communiques.render.pdf_process import start
from communiques.resolve import load
from communiques.sources import PressOffice

source = Path(sys.argv[1])
office = PressOffice.find(source)
theme = Theme.of(office)
helper = start(office.asset_dirs, office.template_dirs, if_idle=False)
assert helper is not None, "a process without threads may fork"
html = render_html(load(source, office), theme.template_dirs)
dirs = (theme.asset_dirs, theme.template_dirs)

def digest(pdf):
    return hashlib.sha256(pdf).hexdigest()[:16]

print("helper", digest(helper.submit(html, *dirs)()))
print("here", digest(render_pdf(html, *dirs)))
try:
    helper.submit(html.replace("</head>", '<link rel="stylesheet" href="/etc/passwd"></head>'), *dirs)()
except ResourceRefused as exc:
    print("refused", exc)
os.kill(helper._process.pid, signal.SIGKILL)
helper._process.join()
print("after kill", digest(helper.submit(html, *dirs)()))
"""


def test_the_helper_process_lays_out_the_same_pdf(tmp_path: Path) -> None:
    """Same bytes as in this process; a refused resource is still refused; a killed helper
    costs only time (the PDF is then made here)."""
    from conftest import SEED_COMMUNIQUE

    lines = run_script(HELPER, str(SEED_COMMUNIQUE)).splitlines()
    assert lines[0].split()[1] == lines[1].split()[1] == lines[3].split()[2]
    assert lines[0].startswith("helper ") and lines[3].startswith("after kill ")
    assert lines[2].startswith("refused ") and "/etc/passwd" in lines[2]


def test_the_helper_ends_with_its_parent_even_killed() -> None:
    from conftest import SEED_COMMUNIQUE

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HELPER.split("html = ")[0]
            + "print(helper._process.pid, flush=True)\nos.kill(os.getpid(), signal.SIGKILL)",
            str(SEED_COMMUNIQUE),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    helper_pid = int(parent.stdout.readline())
    parent.wait()
    deadline = time.monotonic() + 30  # it first finishes warming up, then reads end of file
    while Path(f"/proc/{helper_pid}").exists() and _state(helper_pid) != "Z":
        assert time.monotonic() < deadline, "the helper outlived its parent"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return "Z"


def run_script(code: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout
