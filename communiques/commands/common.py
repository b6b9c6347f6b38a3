"""What several commands share: finding the communiqués to work on, and naming the
communiqué an unexpected failure happened on."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import CommuniquesError, InternalError, UsageError
from ..sources import PressOffice, collect_sources


def find_sources(paths: Sequence[Path], here: Path | None = None) -> list[Path]:
    """The communiqué files under `paths`, or by default those of the press office `here`
    (the current folder) is in."""
    if paths:
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"introuvable : {', '.join(map(str, missing))}")
        return collect_sources(list(paths))
    office = PressOffice.find(here or Path.cwd())
    found = list(office.communique_files())
    if not found:
        raise UsageError(
            f"aucun communiqué dans {office.root / 'communiques'} : "
            "indiquez des fichiers ou un dossier"
        )
    return found


@contextmanager
def working_on(source: Path) -> Iterator[None]:
    """A bug met while working on `source` becomes an `InternalError` that names it; the
    errors the tool means to report pass unchanged."""
    try:
        yield
    except CommuniquesError:
        raise
    except Exception as exc:
        raise InternalError(f"{type(exc).__name__} : {exc}", source) from exc
