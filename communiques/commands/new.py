"""`communiques new`: a commented communiqué file, ready to fill in, from the starting file its
modèle declares (the package's modèles and the office's own alike), written in the office's
communiques/ folder."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

from .. import modeles
from ..errors import UsageError
from ..sources import PressOffice

DEFAULT_PLACE = "Paris"
_DATED_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")


def new(
    name: str,
    modele: str,
    office: PressOffice,
    today: dt.date | None = None,
    texts: Mapping[str, str] | None = None,
) -> Path:
    """Writes `communiques/<name>.yaml` in `office`; returns its path. Its date is the one the
    name starts with (`2026-06-02-essai`), otherwise `today`; its place the office's. Its
    example texts (« Titre du communiqué »), which check and build report until replaced,
    are replaced by `texts` when given (example → text)."""
    from slugify import slugify

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
    values = {
        "date": date_of(name, today or dt.date.today()).isoformat(),
        "lieu": office.settings.lieu or DEFAULT_PLACE,
        "emetteur": _first_id(office, "organisations", "mon-organisation"),
        "programme": _first_id(office, "programmes", "mon-programme"),
    }
    text = fill(declared.starter.read_text(encoding="utf-8"), values)
    for example, replacement in (texts or {}).items():
        text = text.replace(example, replacement)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def date_of(name: str, today: dt.date) -> dt.date:
    """The date a file name starts with, as press officers name them; otherwise `today`."""
    if not (found := _DATED_NAME.match(name)):
        return today
    try:
        return dt.date(*map(int, found.groups()))
    except ValueError:
        raise UsageError(
            f"le nom commence par la date {found[0]}, qui n'existe pas : corrigez-la "
            "(AAAA-MM-JJ) ou retirez-la"
        ) from None


def fill(text: str, values: dict[str, str]) -> str:
    """`{name}` placeholders replaced, each line's end-of-line comment kept at its column."""
    lines = []
    for line in text.splitlines(keepends=True):
        filled = line
        for key, value in values.items():
            filled = filled.replace(f"{{{key}}}", value)
        before, after = re.search(r" +#", line), re.search(r" +#", filled)
        if filled != line and before and after:
            code = filled[: after.start()]
            padding = " " * max(1, before.end() - 1 - len(code))
            filled = code + padding + filled[after.end() - 1 :]
        lines.append(filled)
    return "".join(lines)


def _first_id(office: PressOffice, kind: str, default: str) -> str:
    files = sorted((office.root / kind).glob("*.y*ml"))
    return files[0].stem if files else default
