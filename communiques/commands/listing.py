"""`communiques list`: the built archive, from the output folder's manifest."""

from __future__ import annotations

from pathlib import Path

from ..manifest import Entry, Manifest


def listing(out_dir: Path) -> list[Entry]:
    """The communiqués built into `out_dir`, newest first."""
    entries = Manifest.load(out_dir).entries.values()
    return sorted(entries, key=lambda e: e.date, reverse=True)
