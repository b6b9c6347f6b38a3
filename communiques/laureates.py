"""Laureate types: the kinds of laureate a programme distinguishes (companies, schools,
people…), the words the comité's sentence and the laureates' table use for them, and the check
that each laureate's `type` is one of them.

A programme declares its types under `types_laureats`; one that declares none has the five
kinds of local authorities and associations the tool was first written for (`DEFAULTS`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cache
from typing import Any

from .errors import Diagnostic
from .model import Communique, Laureat, Programme, TypeLaureat
from .yamlfile import Document

_COLLECTIVITE = {
    "singulier": {"fr": "collectivité", "en": "local authority"},
    "pluriel": {"fr": "collectivités", "en": "local authorities"},
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "region": {"singulier": {"fr": "région", "en": "region"},
               "pluriel": {"fr": "régions", "en": "regions"}, "groupe": _COLLECTIVITE},
    "departement": {"singulier": {"fr": "département", "en": "department"},
                    "pluriel": {"fr": "départements", "en": "departments"},
                    "groupe": _COLLECTIVITE},
    "commune": {"singulier": {"fr": "commune", "en": "municipality"},
                "pluriel": {"fr": "communes", "en": "municipalities"}, "groupe": _COLLECTIVITE},
    "intercommunalite": {"singulier": {"fr": "intercommunalité", "en": "group of municipalities"},
                         "pluriel": {"fr": "intercommunalités",
                                     "en": "groups of municipalities"},
                         "groupe": _COLLECTIVITE},
    "association": {"singulier": {"fr": "association d'élus",
                                  "en": "association of local elected officials"},
                    "pluriel": {"fr": "associations d'élus",
                                "en": "associations of local elected officials"}},
}  # fmt: skip
"""The types of a programme that declares none, as a programme would write them."""


def types(programme: Programme | None, language: str) -> dict[str, TypeLaureat]:
    """The laureate types of `programme` (already read in `language`), or the defaults."""
    if programme is not None and programme.types_laureats:
        return dict(programme.types_laureats)
    return _defaults(language)


@cache
def _defaults(language: str) -> dict[str, TypeLaureat]:
    def pick(texts: dict[str, Any]) -> Any:
        if "fr" in texts and isinstance(texts["fr"], str):
            return texts.get(language, texts["fr"])
        return {key: pick(value) for key, value in texts.items()}

    return {key: TypeLaureat.model_validate(pick(value)) for key, value in DEFAULTS.items()}


def unknown_types(
    communique: Communique, document: Document, programme: Programme | None
) -> Iterator[Diagnostic]:
    """An error at the line of each laureate whose type its programme does not declare."""
    if communique.comite is None:
        return
    known = types(programme, "fr")
    declared = "types du programme" if programme and programme.types_laureats else "types"
    for index, laureat in enumerate(communique.comite.laureats):
        if laureat.type in known:
            continue
        message = f"type de lauréat inconnu « {laureat.type} »"
        if close := difflib.get_close_matches(laureat.type, list(known), n=1, cutoff=0.6):
            message += f" : vouliez-vous dire « {close[0]} » ?"
        message += f" ({declared} : {', '.join(known)})"
        own = programme is not None and bool(programme.types_laureats)
        suggestion = "" if own else "ou déclarez-le sous types_laureats dans le programme"
        yield replace(
            document.error(("comite", "laureats", index, "type"), message),
            suggestion=suggestion,
        )


def counted(
    laureats: Iterable[Laureat],
    kinds: dict[str, TypeLaureat],
    *,
    total: bool,
    number: Callable[[int], str],
    conjunction: str,
) -> str:
    """Who received the award, counted: « 3 entreprises et 2 écoles » (by group, in the
    order the programme declares its types), or with `total` « 11 collectivités et
    associations d'élus ». Types that share a `groupe` are counted under its name."""
    groups: dict[tuple[str, str], int] = {}
    for kind in kinds.values():  # the declared order, whatever the list's
        words = kind.groupe or kind
        groups.setdefault((words.singulier, words.pluriel), 0)
    for laureat in laureats:
        kind = kinds[laureat.type]
        words = kind.groupe or kind
        groups[(words.singulier, words.pluriel)] += 1
    present = [(n, words) for words, n in groups.items() if n]
    n_all = sum(n for n, _ in present)
    if not present:
        return f"{number(0)} {next(iter(groups))[0]}" if groups else number(0)
    if total or len(present) == 1:
        nouns = [words[0] if n_all == 1 else words[1] for _, words in present]
        return f"{number(n_all)} {_joined(nouns, conjunction)}"
    return _joined(
        [f"{number(n)} {words[0] if n == 1 else words[1]}" for n, words in present],
        conjunction,
    )


def _joined(parts: list[str], conjunction: str) -> str:
    """« a », « a et b », « a, b et c »."""
    if len(parts) < 2:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {conjunction} {parts[-1]}"


def upper_first(text: str) -> str:
    """« association d'élus » → « Association d'élus »; the rest left as written (a table
    cell starts with a capital, « école ESSEC » keeps its acronym)."""
    return text[:1].upper() + text[1:]
