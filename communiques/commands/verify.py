"""`communiques verify`: our PDF/UA-1 and PDF/A-2/3 checks on any PDF, where veraPDF is
missing or to compare with its report (rules are named as veraPDF names them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import ERROR, Diagnostic
from .common import working_on


def verify(files: Sequence[Path]) -> dict[Path, list[Diagnostic]]:
    """Each PDF's findings, in the order given."""
    from ..verify import verify_pdf

    found: dict[Path, list[Diagnostic]] = {}
    for path in files:
        with working_on(path):
            found[path] = verify_pdf(path.read_bytes(), path)
    return found


def exit_code(found: dict[Path, list[Diagnostic]]) -> int:
    """1 when a PDF breaks at least one rule at the error level."""
    return int(any(f.level == ERROR for findings in found.values() for f in findings))
