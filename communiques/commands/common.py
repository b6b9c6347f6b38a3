"""What several commands share: finding the communiqués to work on, and naming the
communiqué an unexpected failure happened on."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import CommuniquesError, InternalError, UsageError
from ..sources import PressOffice, collect_sources


def find_sources(
    paths: Sequence[Path], office: Callable[[], PressOffice] | None = None
) -> list[Path]:
    """The communiqué files under `paths`, or by default those of the press office (by
    default the one the current folder is in; asked only when no path is given)."""
    if paths:
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise UsageError(f"introuvable : {', '.join(map(str, missing))}")
        return collect_sources(list(paths))
    found_office = office() if office else PressOffice.find(Path.cwd())
    found = list(found_office.communique_files())
    if not found:
        raise UsageError(
            f"aucun communiqué dans {found_office.root / 'communiques'} : "
            "créez-en un avec `communiques new NOM`, ou indiquez des fichiers"
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
