"""The data family: what keeps a communiqué from being built (an unknown field, an invalid
date, a reference not found…), reported by `check` as `build` would, all at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import ERROR, DataErrors, Diagnostic
from .registry import rule


@rule("donnees", ERROR, stage="chargement")
def data_errors(errors: DataErrors) -> Iterator[Diagnostic]:
    """The errors `load` raised."""
    yield from errors
