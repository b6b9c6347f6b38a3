"""The registry of `check`: every proofreading rule, registered with `@rule(family, level)`
(the model: WeasyPrint's `@property()` validators), and what the rules read.

A rule is a function that yields diagnostics; its family (donnees, orthographe,
typographie, coherence, longueur) and its level are declared once, by the decorator, and
stamped on what it yields. Its stage says what it reads: the errors `load` raised
("chargement"), the communiqué as `load` returned it ("texte": a `Proofreading`), or the
same once the bodies are laid out ("mise en page"). Levels: an *error* is a fact that is wrong (a
date, a duplicate), a *warning* is what a careful reader would question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ..errors import Diagnostic, Level
from ..resolve import Resolved
from .passages import Passage, documents, passages

if TYPE_CHECKING:
    from .spelling import Speller

FAMILIES = ("donnees", "orthographe", "typographie", "coherence", "longueur")
Stage = Literal["chargement", "texte", "mise en page"]


@dataclass(frozen=True)
class Proofreading:
    """What the rules read: the communiqué as `load` returned it and its passages, the
    project's words, the templates' French strings as (template, line, text), and, once laid
    out, each edition with its body's height in pages."""

    resolved: Resolved
    passages: tuple[Passage, ...]
    speller: Speller
    templates: tuple[tuple[Path, int, str], ...] = ()
    bodies: tuple[tuple[Resolved, float], ...] = ()

    @classmethod
    def of(
        cls,
        resolved: Resolved,
        words: frozenset[str] = frozenset(),
        templates: Iterable[tuple[Path, int, str]] = (),
        english: str = "en-GB",
    ) -> Proofreading:
        """`english` is the spelling of English texts: en-GB, or en-US if the office says so."""
        from .spelling import Speller

        language = resolved.languages[0]
        found = tuple(p for document in documents(resolved) for p in passages(document, language))
        return cls(resolved, found, Speller(words, english), tuple(templates))


F = TypeVar("F", bound=Callable[..., Iterable[Diagnostic]])


@dataclass(frozen=True)
class Rule:
    """A proofreading rule: its name (unique), family, level and stage."""

    name: str
    family: str
    level: Level
    stage: Stage
    function: Callable[[Any], Iterable[Diagnostic]]

    def __call__(self, subject: Any) -> Iterator[Diagnostic]:
        """The function's findings with the rule's level and family (unless a finding names
        its own: an error of a coherence rule that stopped `load` stays « coherence »)."""
        for found in self.function(subject):
            yield replace(found, rule=found.rule or self.family, level=self.level)


RULES: dict[str, Rule] = {}


def rule(family: str, level: Level, *, stage: Stage = "texte") -> Callable[[F], F]:
    """Registers a rule of `family` whose findings have `level`, named after its function."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}")

    def register(function: F) -> F:
        name = function.__name__
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        RULES[name] = Rule(name, family, level, stage, function)
        return function

    return register


def run(subject: Any, stage: Stage = "texte") -> list[Diagnostic]:
    """The findings of every rule of `stage` on what that stage reads, sorted by place, each
    once."""
    found = {each for one in RULES.values() if one.stage == stage for each in one(subject)}
    return sorted(found)
