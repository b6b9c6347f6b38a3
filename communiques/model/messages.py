"""Validation errors in French: pydantic's errors become `Diagnostic`s placed at the YAML
marks of the value (or key) at fault, with a « vouliez-vous dire » for a misspelt key."""

from __future__ import annotations

import difflib
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Diagnostic
from ..sources import Document, Loc
from .documents import UNION_TAGS


def french_errors(
    exc: ValidationError, document: Document, model: type[BaseModel], within: Loc
) -> list[Diagnostic]:
    if not isinstance(document.data, dict) and not within:
        return [document.error((), "le fichier doit contenir des champs (clé: valeur)")]
    errors = []
    for error in exc.errors(include_url=False):
        loc = (*within, *(p for p in error["loc"] if p not in UNION_TAGS))
        kind = error["type"]
        message = _french_message(kind, error, model, loc[len(within) :])
        errors.append(document.error(loc, message, key=kind == "extra_forbidden"))
    return errors


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
        return f"date invalide « {value} » : attendue au format AAAA-MM-JJ"
    if kind in (
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_type",
        "timezone_aware",
    ):
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
