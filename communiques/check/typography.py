"""The typography family: what French typography asks and the rendering cannot fix by
itself (a doubled space, a quote left open, « 1 avril » for « 1er avril », a number cut at a
line's end).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import WARNING, Diagnostic
from .passages import HIDDEN_IN_TEXT, URL_FIELDS, Passage
from .registry import Proofreading, rule

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"

_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_FIRST_OF_MONTH = re.compile(rf"\b1[ \u00a0\u202f]+({MONTHS})\b", re.IGNORECASE)
_SINGLE_QUOTES = re.compile(r"(?<![\w’'])'([^'\n]{1,80}?)'(?![\w])")
_ENGLISH_QUOTES = re.compile(r"“([^”\n]*)”")
_BEFORE_UNIT = re.compile(r"(\d+(?:[,.]\d+)?)( ?)(%|€)")
_THOUSANDS = re.compile(r"(?<![\d ])\d{1,3}(?: \d{3})+(?![\d])")


@rule("typographie", WARNING)
def typography(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """Each text's typography."""
    for passage in proofreading.passages:
        yield from _typography(passage)


def _typography(text: Passage) -> Iterator[Diagnostic]:
    """What the French typography of the rendering cannot fix by itself.

    Rendering already puts no-break spaces before « : ; ! ? », curls apostrophes and turns a
    pair of "…" into « … »; it cannot know which space is doubled by mistake, which quote was
    left open, or that « 1 avril » should read « 1er avril ».
    """
    if text.field in URL_FIELDS:
        return
    value = HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]) if "@" in m[0] else m[0], text.value)
    for match in _DOUBLE_SPACE.finditer(value):
        yield text.finding(
            "deux espaces de suite",
            "une seule espace",
            at=match.start() - 1,
            length=len(match[0]) + 2,
            shift=1,
        )
    if text.language != "fr":
        return
    for match in _FIRST_OF_MONTH.finditer(value):
        yield text.finding(
            f"« {match[0]} » : le premier du mois s'écrit 1er",
            f"« 1er {match[1]} »",
            at=match.start(),
            length=len(match[0]),
        )
    plain = HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]), value)
    if plain.count('"') % 2:
        yield text.finding(
            'guillemet droit (") sans son pendant',
            '« … » (ou une paire de "…")',
            at=plain.rindex('"'),
        )
    for match in _ENGLISH_QUOTES.finditer(plain):
        yield text.finding(
            "guillemets anglais en français",
            f"« {match[1]} »",
            at=match.start(),
        )
    for match in _SINGLE_QUOTES.finditer(plain):
        yield text.finding(
            "apostrophes droites utilisées comme guillemets",
            f"« {match[1]} »",
            at=match.start(),
            length=len(match[0]),
        )
    for match in _BEFORE_UNIT.finditer(plain):
        yield text.finding(
            f"espace insécable manquante avant « {match[3]} »",
            f"« {match[1]}\u00a0{match[3]} » (espace insécable)",
            at=match.start(),
            length=len(match[0]),
        )
    for match in _THOUSANDS.finditer(plain):
        yield text.finding(
            f"« {match[0]} » : espaces ordinaires dans un nombre, coupable en fin de ligne",
            f"« {match[0].replace(' ', chr(0x202F))} » (espaces fines insécables)",
            at=match.start(),
            length=len(match[0]),
        )
