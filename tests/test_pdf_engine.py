"""The quick WeasyPrint import loads the same libraries as WeasyPrint's own."""

from __future__ import annotations

import subprocess
import sys

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
