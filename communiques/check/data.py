"""The data family: what keeps a communiqué from being built (an unknown field, an invalid
date, a reference not found…), reported by `check` as `build` would, all at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import ERROR, WARNING, DataErrors, Diagnostic
from .registry import rule


@rule("donnees", ERROR, stage="chargement")
def data_errors(errors: DataErrors) -> Iterator[Diagnostic]:
    """The errors `load` raised."""
    yield from (each for each in errors if each.level == ERROR)


@rule("donnees", WARNING, stage="chargement")
def reading_warnings(errors: DataErrors) -> Iterator[Diagnostic]:
    """What reading the file warned of, raised with its errors (text lost to a comment may
    explain an empty title)."""
    yield from (each for each in errors if each.level == WARNING)
