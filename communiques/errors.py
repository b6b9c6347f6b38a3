"""Every failure the tool reports, as one family of exceptions, and the one diagnostic type.

A `Diagnostic` is one remark on a file (a data error, a proofreading warning, a PDF rule
broken), printed in one form everywhere, `path:line:col: niveau: champ: message → suggestion`,
which editors and terminals can jump to. A `CommuniquesError` is what stops a command: it
carries its exit code and its French message, and the CLI catches it in one place
(the model: click's `ClickException` and mkdocs' `exceptions.py`).

Exceptions here cross process boundaries (a worker's failure travels back to the parent), so
each one pickles: its constructor arguments are its `args`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Level = Literal["error", "warning"]
ERROR: Level = "error"
WARNING: Level = "warning"
LEVEL_NAMES: dict[str, str] = {ERROR: "erreur", WARNING: "avertissement"}

EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE of sysexits.h: the tool's fault, not the user's
REPORT_HINT = "signalez-le aux développeurs avec le fichier et ce message"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One remark on a file, at the line and column an editor jumps to (from 1; 0 when the
    remark is on the whole file, as for a PDF rule). Sorted by place, so a file reads top
    down."""

    path: Path
    line: int
    column: int
    field: str
    message: str
    level: Level = ERROR
    suggestion: str = ""
    rule: str = ""
    """The family of checks that found it (donnees, orthographe…) or the PDF rule's name."""
    page: int | None = None
    """The page of a PDF it is on, from 1."""

    def __str__(self) -> str:
        where = str(relative(self.path))
        if self.line:
            where += f":{self.line}:{self.column}"
        field = f"{self.field}: " if self.field else ""
        page = f"page {self.page} : " if self.page else ""
        hint = f" → {self.suggestion}" if self.suggestion else ""
        return f"{where}: {LEVEL_NAMES[self.level]}: {field}{page}{self.message}{hint}"

    def as_json(self) -> dict[str, Any]:
        """French keys, as users script them (`check --format json`, `verify --format json`);
        the English keys of version 0.1 follow, until the next release (deprecated)."""
        return {
            "chemin": str(relative(self.path)),
            "ligne": self.line or None,
            "colonne": self.column or None,
            "niveau": LEVEL_NAMES[self.level],
            "regle": self.rule,
            "champ": self.field,
            "message": self.message,
            "suggestion": self.suggestion or None,
            "page": self.page,
            **self._legacy_json(),
        }

    def _legacy_json(self) -> dict[str, Any]:
        """Deprecated: the keys of version 0.1, removed in the next release."""
        legacy: dict[str, Any] = {"level": self.level, "rule": self.rule, "field": self.field}
        if self.line:
            legacy |= {"path": str(relative(self.path)), "line": self.line, "column": self.column}
        return legacy


def relative(path: Path) -> Path:
    """A path as the user would type it from here: relative to the current folder when it is
    inside it, as given otherwise."""
    if not path.is_absolute():
        return path
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        pass
    try:
        return Path(os.path.realpath(path)).relative_to(os.path.realpath(Path.cwd()))
    except (ValueError, OSError):
        return path


class CommuniquesError(Exception):
    """What stops a command: a French sentence for the user and the exit code to leave with."""

    exit_code = EXIT_DATA

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""

    def lines(self) -> list[str]:
        """What the CLI prints, one line each."""
        return [f"erreur : {self.message}"]

    def __str__(self) -> str:
        return self.message


class UsageError(CommuniquesError):
    """The command was called wrongly: an option, a path, a contradiction between options."""

    exit_code = EXIT_USAGE


class DataErrors(CommuniquesError):
    """Raised by a stage that found one or more errors in the data; carries them all."""

    def __init__(self, errors: Iterable[Diagnostic]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(self.errors)

    @property
    def message(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.errors)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors,))


class ResourceRefused(CommuniquesError):
    """A file or URL a template, stylesheet or document asked for, that the resource rule
    refuses (outside the office, a host not allowed, too large) or cannot find."""


class BuildLocked(CommuniquesError):
    """Another build holds the output folder."""


class ExecutorUnavailable(CommuniquesError):
    """The executor asked for (a Dask cluster) cannot be used."""


class SendRefused(CommuniquesError):
    """An e-mail cannot be sent as asked (embargo, server, attachment). Printed « envoi
    refusé : » and the reason, whose own words never say « refusé » again."""

    def lines(self) -> list[str]:
        return [f"envoi refusé : {self.message}"]


class InternalError(CommuniquesError):
    """A bug or a crashed worker: the tool's fault, not the data's. Names what it was doing,
    so the user can report it, and never passes for a data error."""

    exit_code = EXIT_INTERNAL

    def __init__(self, message: str, source: Path | None = None) -> None:
        super().__init__(message, source)

    @property
    def source(self) -> Path | None:
        return self.args[1] if len(self.args) > 1 else None

    def lines(self) -> list[str]:
        where = f"{relative(self.source)}: " if self.source else ""
        return [f"{where}erreur interne : {self.message} ({REPORT_HINT})"]
