"""Data errors: every problem in a user's files is reported where it is, in French.

One type for all stages, so the CLI prints every error of a file at once whatever stage
found it, in the `path:line:column: field: message` form editors can jump to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class DataError:
    """One problem in a user's file. Line and column count from 1, as editors do."""

    path: Path
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DataErrors(Exception):
    """Raised by a stage that found one or more errors in the data; carries them all."""

    def __init__(self, errors: Iterable[DataError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __iter__(self) -> Iterator[DataError]:
        return iter(self.errors)
