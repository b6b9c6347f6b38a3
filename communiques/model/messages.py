"""Validation errors in French: pydantic's errors become `Diagnostic`s placed at the YAML
marks of the value (or key) at fault, with a « vouliez-vous dire » for a misspelt key, a
missing field at the end of the mapping it belongs to with a line to add, and a date that
does not exist named as such."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Diagnostic
from ..yamlfile import Document, Loc, dotted
from .documents import UNION_TAGS

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
EXAMPLES = {
    "lieu": "Lyon",
    "date": "2026-06-02",
    "emetteur": "pref-ara",
    "titre": "Lancement de l'appel à projets Territoires d'innovation",
    "intitule": "programme de valorisation de l'expertise des collectivités",
    "nom": "Commune de Figeac",
    "type": "commune",
    "libelle": "Le dossier de presse",
    "url": "https://www.exemple.gouv.fr/dossier",
}
"""What a missing required field's line may look like, by field name (never a starter's
placeholder text, which check reports)."""
REFERENCES = {"emetteur": ("organisations", "une organisation"),
              "programme": ("programmes", "un programme")}  # fmt: skip


def french_errors(
    exc: ValidationError, document: Document, model: type[BaseModel], within: Loc
) -> list[Diagnostic]:
    if not isinstance(document.data, dict) and not within:
        return [document.error((), "le fichier doit contenir des champs (clé: valeur)")]
    errors = []
    for error in exc.errors(include_url=False):
        loc = (*within, *(p for p in error["loc"] if p not in UNION_TAGS))
        kind = error["type"]
        if kind == "missing" and (missing := _missing(document, loc)):
            errors.append(missing)
            continue
        message = _french_message(kind, error, model, loc[len(within) :])
        if "inline" in error["loc"] and kind in _MAPPING_EXPECTED and loc[-1] in REFERENCES:
            folder, described = REFERENCES[str(loc[-1])]
            message = f"le nom d'un fichier de {folder}/ ou {described} décrite ici attendu"
            message = message.replace("un programme décrite", "un programme décrit")
        errors.append(document.error(loc, message, key=kind == "extra_forbidden"))
    return errors


_MAPPING_EXPECTED = ("dict_type", "model_type", "model_attributes_type")


def _missing(document: Document, loc: Loc) -> Diagnostic | None:
    """A missing field, at the line after the last one of the mapping it belongs in (where
    it would be written), with a line to add; None when that mapping is not in the file."""
    parent = loc[:-1]
    keys = [
        mark for where, mark in document.key_marks.items()
        if len(where) == len(loc) and where[:-1] == parent
    ]  # fmt: skip
    if not keys or not document.text:
        return None
    last_line, column = max(keys)
    column = min(c for _, c in keys)
    lines = document.text.splitlines()
    end = last_line
    for number in range(last_line + 1, len(lines) + 1):
        text = lines[number - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if len(text) - len(text.lstrip(" ")) < column:  # a line of an enclosing mapping
            break
        end = number
    name = str(loc[-1])
    example = f"{name}: {EXAMPLES.get(name, '…')}"
    return Diagnostic(
        document.path, end + 1, column, dotted(loc), "champ obligatoire manquant",
        suggestion=f"ajoutez par exemple : {example}",
    )  # fmt: skip


def _french_message(kind: str, error: Any, model: type[BaseModel], loc: Loc) -> str:
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "extra_forbidden":
        known = sorted(_fields_at(model, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" : vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"champ inconnu{hint} (champs possibles : {', '.join(known)})"
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return (
            _impossible_date(value) or f"date invalide « {value} » : attendue au format AAAA-MM-JJ"
        )
    if kind in (
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_type",
        "timezone_aware",
    ):
        if impossible := _impossible_date(value):
            return impossible
        return (
            f"date et heure invalides « {value} » : attendues au format "
            "AAAA-MM-JJTHH:MM+02:00 (avec le fuseau horaire)"
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"valeur « {value} » non prévue : valeurs possibles : {expected}"
    if kind == "string_pattern_mismatch":
        return f"« {value} » : seulement des minuscules, des chiffres et des tirets"
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind == "string_too_long":
        return (
            f"texte trop long ({_count(len(value))} caractères) : "
            f"{_count(ctx.get('max_length', 0))} au plus"
        )
    if kind == "too_long":
        return _too_long(loc, ctx)
    if kind in ("string_type", "string_sub_type"):
        return "texte attendu"
    if kind == "list_type":
        return "liste attendue (une ligne « - » par élément)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "champs attendus (clé: valeur)"
    if kind in (
        "url",
        "email",
        "telephone",
        "contact",
        "one_line",
        "year_month",
        "lien",
        "limite",
        "date_heure",
    ):
        return str(error["msg"])
    return f"valeur invalide « {value} » ({error['msg']})"


def _impossible_date(value: Any) -> str | None:
    """« le 30 février 2026 n'existe pas » for a date written right that is not in the
    calendar; None for any other value."""
    found = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})(?!\d)", str(value))
    if not found:
        return None
    year, month, day = map(int, found.groups())
    try:
        dt.date(year, month, day)
        return None
    except ValueError:
        pass
    if not 1 <= month <= 12:
        return f"« {found[0].strip()} » : le mois {month:02d} n'existe pas (de 01 à 12)"
    name = MONTHS[month - 1]
    if day == 0:
        return f"« {found[0].strip()} » : il n'y a pas de jour 00 (le premier {name} est le 01)"
    days = calendar.monthrange(year, month)[1]
    if month == 2 and day == 29:
        why = f"{year} n'est pas une année bissextile"
    else:
        why = f"{name} {year} a {days} jours"
    return f"le {day} {name} {year} n'existe pas ({why})"


def _count(number: int) -> str:
    """1 000, as French writes it (a plain space, for terminals and grep)."""
    return f"{number:,}".replace(",", " ")


def _too_long(loc: Loc, ctx: dict[str, Any]) -> str:
    actual, limit = ctx.get("actual_length") or 0, ctx.get("max_length") or 0
    if loc and loc[-1] == "laureats":
        return (
            f"{_count(actual)} lauréats : {_count(limit)} au plus dans un communiqué ; "
            "publiez la liste en ligne (url_laureats du programme)"
        )
    return f"liste trop longue ({_count(actual)} éléments) : {_count(limit)} au plus"


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """The field names allowed at `loc`, to suggest the right one after a typo."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return set()
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin is not None:
        for arg in get_args(annotation):
            if found := _model_in(arg):
                return found
    return None
