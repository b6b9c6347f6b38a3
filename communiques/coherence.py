"""Rules between fields that the model alone cannot express, in one place for build and check.

`build` stops on the errors, `check` reports them and the warnings too: the two never
disagree on what is wrong. What a rule expects of a modèle (a programme, a comité to come)
comes from the modèle's declaration (`modeles.py`), never from its name.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from .errors import WARNING, Diagnostic
from .model import Communique
from .modeles import Modele
from .office import DEFAULT_ZONE
from .yamlfile import Document, Loc, dotted

RULE = "coherence"
WHAT = {
    "programme": "un programme", "comite": "un comite", "comite.date": "une date de comité",
    "comite.date_limite": "une date_limite", "comite.laureats": "des laureats",
    "corps": "un corps", "chapo": "un chapo", "liens": "des liens", "embargo": "un embargo",
}  # fmt: skip


@dataclass(frozen=True)
class Facts:
    """What the rules look at: the communiqué, its modèle and its own fields, and the
    document where they are written, for the place of each remark."""

    communique: Communique
    modele: Modele
    donnees: dict[str, Any]
    document: Document
    zone: str = DEFAULT_ZONE
    """The office's time zone (communiques.toml `fuseau`): the embargo's printed time."""


Rule = Callable[[Facts], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    """Registers a coherence rule (the model: WeasyPrint's `@property()` validators)."""
    RULES.append(function)
    return function


def check(facts: Facts) -> list[Diagnostic]:
    """Every remark of every rule, errors and warnings."""
    return [remark for each in RULES for remark in each(facts)]


def _at(facts: Facts, loc: Loc, message: str, **more: Any) -> Diagnostic:
    line, column = facts.document.mark(loc)
    return Diagnostic(facts.document.path, line, column, dotted(loc), message, rule=RULE, **more)


def _present(communique: Communique, field: str) -> bool:
    value: Any = communique
    for part in field.split("."):
        value = getattr(value, part, None)
        if value is None:
            return False
    return value not in ([], "")


@rule
def required_and_forbidden(facts: Facts) -> Iterator[Diagnostic]:
    declaration = facts.modele.declaration
    name = facts.modele.name
    for field in declaration.requis:
        if not _present(facts.communique, field):
            parent = tuple(field.split(".")[:-1])
            yield _at(facts, parent, f"le modèle {name} demande {WHAT[field]}")
    for field in declaration.interdit:
        if _present(facts.communique, field):
            yield _at(
                facts,
                tuple(field.split(".")),
                f"le modèle {name} n'utilise pas {field} : retirez-le",
            )


@rule
def comite_dates(facts: Facts) -> Iterator[Diagnostic]:
    communique, comite = facts.communique, facts.communique.comite
    if comite is None:
        return
    if facts.modele.declaration.comite == "apres":
        if comite.date < communique.date:
            yield _at(
                facts, ("comite", "date"), "le comité annoncé doit être postérieur au communiqué"
            )
        if comite.date_limite and comite.date_limite < communique.date:
            yield _at(
                facts,
                ("comite", "date_limite"),
                f"la date limite ({comite.date_limite:%d/%m/%Y}) est déjà passée à la date du "
                f"communiqué ({communique.date:%d/%m/%Y})",
                level=WARNING,
            )
    elif comite.date > communique.date:
        yield _at(
            facts,
            ("comite", "date"),
            f"le comité ({comite.date:%d/%m/%Y}) est postérieur au communiqué "
            f"({communique.date:%d/%m/%Y})",
        )
    if comite.date_limite and comite.date_limite > comite.date:
        yield _at(facts, ("comite", "date_limite"), "la date limite doit précéder le comité")


@rule
def own_field_dates(facts: Facts) -> Iterator[Diagnostic]:
    """A declared `apres:` between dates: « date_limite » after « ouverture », or after the
    communiqué's own date (« date »)."""
    for key, spec in facts.modele.declaration.donnees.items():
        value = facts.donnees.get(key)
        if spec.apres is None or not isinstance(value, dt.date):
            continue
        before = facts.communique.date if spec.apres == "date" else facts.donnees.get(spec.apres)
        if isinstance(before, dt.date) and value < before:
            what = "du communiqué" if spec.apres == "date" else f"de {spec.apres}"
            yield _at(
                facts,
                ("donnees", key),
                f"{spec.libelle} ({value:%d/%m/%Y}) précède la date {what} ({before:%d/%m/%Y})",
            )


@rule
def embargo(facts: Facts) -> Iterator[Diagnostic]:
    """The embargo is lifted on the communiqué's date: before it, it means nothing; after it,
    the date printed is probably wrong."""
    communique = facts.communique
    if communique.embargo is None:
        return
    lifted = communique.embargo.astimezone(ZoneInfo(facts.zone)).date()
    if lifted < communique.date:
        yield _at(
            facts,
            ("embargo",),
            f"l'embargo est levé le {lifted:%d/%m/%Y}, avant la date du communiqué "
            f"({communique.date:%d/%m/%Y})",
            suggestion=f"datez le communiqué du {lifted:%d/%m/%Y} ou retirez l'embargo",
        )
    elif lifted > communique.date:
        yield _at(
            facts,
            ("embargo",),
            f"l'embargo est levé le {lifted:%d/%m/%Y}, après la date du communiqué "
            f"({communique.date:%d/%m/%Y}) : un communiqué porte d'habitude la date de sa "
            "publication",
            level=WARNING,
            suggestion=f"date: {lifted.isoformat()}",
        )


@rule
def embargo_offset(facts: Facts) -> Iterator[Diagnostic]:
    """An embargo is printed in the office's time: written with another offset, the time
    printed is not the one written, which the writer should see before the journalists."""
    embargo = facts.communique.embargo
    if embargo is None:
        return
    local = embargo.astimezone(ZoneInfo(facts.zone))
    if embargo.utcoffset() == local.utcoffset():
        return
    yield _at(
        facts,
        ("embargo",),
        f"l'embargo est écrit avec le décalage {_offset(embargo)}, pas celui du bureau "
        f"({facts.zone}, {_offset(local)} à cette date) : il sera imprimé à l'heure du bureau, "
        f"le {local:%d/%m/%Y} à {local.hour} h {local:%M}",
        level=WARNING,
        suggestion=f"écrivez le même instant à l'heure du bureau : embargo: {local.isoformat()}",
    )


def _offset(moment: dt.datetime) -> str:
    """« +01:00 », « -11:00 »: the offset as written in an ISO date."""
    return moment.isoformat()[-6:] if moment.utcoffset() else "+00:00"


@rule
def laureates_once(facts: Facts) -> Iterator[Diagnostic]:
    """A laureate listed twice is counted twice in « 11 collectivités ont reçu le label »."""
    comite = facts.communique.comite
    if comite is None:
        return
    seen: dict[str, int] = {}
    for index, laureat in enumerate(comite.laureats):
        key = " ".join(unicodedata.normalize("NFC", laureat.nom).casefold().split())
        if key in seen:
            first_line = facts.document.mark(("comite", "laureats", seen[key]))[0]
            yield _at(
                facts,
                ("comite", "laureats", index, "nom"),
                f"« {laureat.nom} » est déjà dans la liste (ligne {first_line}) : "
                "il serait compté deux fois",
                suggestion="supprimez l'une des deux lignes",
            )
        else:
            seen[key] = index
