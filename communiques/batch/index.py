"""build/index.html: the archive page, rendered from the manifest through the same sandboxed
template environment as the communiqués (render/html's `environment`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..files import write_atomic
from ..manifest import INDEX, Entry, Manifest
from ..sources import BUILTIN_ROOT

ARCHIVE_TEMPLATE = "_archive.html.j2"


def write_index(out_dir: Path, manifest: Manifest) -> None:
    """build/index.html: the archive by year, newest first, with links to each file."""
    from ..render.html import environment

    entries = sorted(manifest.entries.values(), key=lambda e: (e.date, e.titre), reverse=True)
    years: dict[str, list[Entry]] = {}
    for entry in entries:
        years.setdefault(entry.date[:4], []).append(entry)
    html = (
        environment((BUILTIN_ROOT / "templates",))
        .get_template(ARCHIVE_TEMPLATE)
        .render(
            years=years,
            total=len(entries),
            date=lambda iso: dt.date.fromisoformat(iso).strftime("%d/%m/%Y"),
        )
    )
    write_atomic(out_dir / INDEX, html.encode("utf-8"))
