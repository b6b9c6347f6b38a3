"""The editor's form, made from the data model: which fields, in which order, with which
input, label and hint; required fields and hints come from `model.Communique` itself, so a
field made required there is marked required here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import laureates, modeles
from ..errors import DataErrors
from ..model import Communique, Programme, parse
from ..sources import PressOffice
from ..yamlfile import load_shared_yaml


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    """ligne, date, markdown, emetteur, programme, modele, comite, liens, contacts."""
    required: bool
    hint: str
    translatable: bool


# (key, label, kind, translatable): the order of the form, that of a communiqué's page.
_LAYOUT = (
    ("modele", "Modèle", "modele", False),
    ("lieu", "Lieu", "ligne", True),
    ("date", "Date du communiqué", "date", False),
    ("emetteur", "Émetteur", "emetteur", False),
    ("programme", "Programme", "programme", False),
    ("titre", "Titre", "ligne", True),
    ("sous_titre", "Sous-titre", "ligne", True),
    ("chapo", "Chapô", "markdown", True),
    ("comite", "Comité de labellisation", "comite", False),
    ("corps", "Corps du texte", "markdown", True),
    ("liens", "Liens", "liens", False),
    ("contacts", "Contacts presse", "contacts", False),
    ("embargo", "Embargo (date et heure avec fuseau)", "ligne", False),
)


def fields(modele: str, template_dirs: tuple[Path, ...]) -> list[Field]:
    """The form's fields for a communiqué of `modele`: its declaration says which it requires
    (marked so) and whether it has a comité at all."""
    try:
        requis: list[str] = list(modeles.find(modele, template_dirs).declaration.requis)
    except (LookupError, DataErrors):  # an unknown modèle: check says so beside its field
        requis = []
    model_fields = Communique.model_fields
    result = []
    for key, label, kind, translatable in _LAYOUT:
        if kind == "comite" and "comite" not in requis:
            continue
        info = model_fields[key]
        required = info.is_required() or key in requis
        result.append(Field(key, label, kind, required, info.description or "", translatable))
    return result


def languages(data: dict[str, Any]) -> list[str]:
    """The languages the form shows side by side: those of `langue`, or of the texts."""
    langue = data.get("langue")
    if isinstance(langue, list):
        return [str(x) for x in langue]
    if isinstance(langue, str):
        return [langue]
    found = [v for v in data.values() if isinstance(v, dict) and set(v) <= {"fr", "en"} and v]
    return list(found[0]) if found else ["fr"]


def laureate_types(office: PressOffice, data: dict[str, Any]) -> list[tuple[str, str]]:
    """The laureate types the form offers, `(key, name)`: those of the communiqué's programme
    (its file, or the one written inline), the defaults when it declares none or cannot be
    read (check says why at its field), and any other type a row already has, so that
    saving never changes it."""
    programme: Programme | None = None
    reference = data.get("programme")
    try:
        if isinstance(reference, str) and reference.strip():
            path = office.reference_path("programmes", reference.strip())
            if office.holds("programmes", path):
                programme = parse(load_shared_yaml(path), Programme, language="fr")
        elif isinstance(reference, dict):
            programme = Programme.model_validate(reference)
    except (DataErrors, OSError, ValueError):
        programme = None
    kinds = [(key, kind.singulier) for key, kind in laureates.types(programme, "fr").items()]
    comite = data.get("comite")
    rows = comite.get("laureats") if isinstance(comite, dict) else None
    for row in rows if isinstance(rows, list) else []:
        kind = row.get("type") if isinstance(row, dict) else None
        if isinstance(kind, str) and kind not in dict(kinds):
            kinds.append((kind, kind))
    return kinds
