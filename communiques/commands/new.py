"""`communiques new`: a commented communiqué file, ready to fill in, from a starting file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import UsageError
from ..sources import BUILTIN_ROOT, PressOffice

STARTERS = BUILTIN_ROOT / "templates" / "nouveau"
MODELES = ("communique", "annonce-laureats", "annonce-comite")
"""The starting files in STARTERS; to be read from the modèles' declarations (issue 11)."""


def new(name: str, modele: str, folder: Path) -> Path:
    """Writes `communiques/<name>.yaml` in the press office `folder` is in; returns its path."""
    from slugify import slugify

    if modele not in MODELES:
        raise UsageError(f"modèle inconnu : {modele} (modèles : {', '.join(MODELES)})")
    office = PressOffice.find(folder)
    target = office.root / "communiques" / f"{slugify(name) or 'communique'}.yaml"
    if target.exists():
        raise UsageError(f"{target} existe déjà : choisissez un autre nom")
    text = (STARTERS / f"{modele}.yaml").read_text(encoding="utf-8")
    text = text.replace("{date}", dt.date.today().isoformat())
    text = text.replace("{emetteur}", _first_id(office, "organisations", "mon-organisation"))
    text = text.replace("{programme}", _first_id(office, "programmes", "mon-programme"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _first_id(office: PressOffice, kind: str, default: str) -> str:
    files = sorted((office.root / kind).glob("*.y*ml"))
    return files[0].stem if files else default
