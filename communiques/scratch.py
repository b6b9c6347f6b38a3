"""The run's one temporary folder.

WeasyPrint copies its fonts into `$TMPDIR/weasyprint-*` and multiprocessing makes
`$TMPDIR/pymp-*`; processes that end with `os._exit` (the console script, its workers and
PDF helper) never run the code that removes them. Pointed at one private folder through
TMPDIR, which every process the run starts inherits, they are removed with it at the end,
even on error, so that a run writes nothing outside `--out`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A fresh temporary folder that is this process's (and its children's) TMPDIR while
    the block runs, and is removed with what it holds afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="communiques-"))
    previous_variable, previous_folder = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = previous_folder
        if previous_variable is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = previous_variable
        shutil.rmtree(folder, ignore_errors=True)
