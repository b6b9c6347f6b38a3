"""`communiques new`: a commented communiqué file, ready to fill in, from the starting file its
modèle declares (the package's modèles and the office's own alike)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import modeles
from ..errors import UsageError
from ..sources import PressOffice


def new(name: str, modele: str, folder: Path) -> Path:
    """Writes `communiques/<name>.yaml` in the press office `folder` is in; returns its path."""
    from slugify import slugify

    office = PressOffice.find(folder)
    try:
        declared = modeles.find(modele, office.template_dirs)
    except LookupError:
        raise UsageError(modeles.unknown_message(modele, office.template_dirs)) from None
    if declared.starter is None:
        raise UsageError(
            f"le modèle {modele} n'a pas de fichier de départ (templates/nouveau/{modele}.yaml)"
        )
    target = office.root / "communiques" / f"{slugify(name) or 'communique'}.yaml"
    if target.exists():
        raise UsageError(f"{target} existe déjà : choisissez un autre nom")
    text = declared.starter.read_text(encoding="utf-8")
    text = text.replace("{date}", dt.date.today().isoformat())
    text = text.replace("{emetteur}", _first_id(office, "organisations", "mon-organisation"))
    text = text.replace("{programme}", _first_id(office, "programmes", "mon-programme"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _first_id(office: PressOffice, kind: str, default: str) -> str:
    files = sorted((office.root / kind).glob("*.y*ml"))
    return files[0].stem if files else default
