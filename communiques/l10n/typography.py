"""French typography for running text, finished by the tool: no-break spaces, apostrophes,
guillemets, numbers and the superscripts of « 1er », « 2e », « Mme » (and the lighter English
rules).

Applied to every text node of the rendered document, whether it came from data or from a
template, so no author ever has to type a no-break space (Lexique des règles typographiques
en usage à l'Imprimerie nationale). URLs and e-mail addresses are left exactly as written.
What the tool cannot decide (a doubled space, a quote left open…) is said by `remarks`, which
`check` reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

NBSP = "\u00a0"  # before « : », inside « », before % and €, after a number, inside dates
NNBSP = "\u202f"  # narrow: before « ; ! ? », between the digit groups of a number

UNTOUCHABLE = re.compile(
    r"((?:https?://|mailto:|tel:|www\.)[^\s<>]+|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE
)
"""URLs and e-mail addresses: never respaced, never hyphenated, never spell-checked."""
_HIDDEN = re.compile("\ue000(\\d+)\ue001")
_SPACES = "[ \t\u00a0\u202f]*"
_SPACE = "[ \u00a0\u202f]"
MONTHS = (
    "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
    "décembre|decembre"
)
_MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
_LETTER = "[^\\W\\d_]"


def _group(match: re.Match[str]) -> str:
    """« 12500 » → « 12 500 », with narrow no-break spaces."""
    digits = match[1]
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NNBSP.join(groups)


_NUMBER = rf"\d{{1,3}}(?:{NNBSP}\d{{3}})*(?:,\d+)?"
"""A number once grouped: « 12 500 », « 12,5 », « 11 »; never a year or a postcode."""

_TYPED_HYPHEN = (re.compile("\u2010"), "-")
"""A typed U+2010 is an ordinary hyphen: in the PDF, U+2010 is only the layout's line-end
hyphen, which the text layer reads as a soft hyphen (`render.tagging`)."""

_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    _TYPED_HYPHEN,
    # An apostrophe is between two letters; a quote around words is left for `check`.
    (re.compile(rf"(?<={_LETTER})'(?={_LETTER})"), "’"),
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r'"\s*([^"]*?)\s*"'), f"«{NBSP}\\1{NBSP}»"),
    (re.compile(rf"«{_SPACES}"), f"«{NBSP}"),
    (re.compile(rf"(?<=\S){_SPACES}»"), f"{NBSP}»"),
    (re.compile(rf"(?<=[^\s;!?]){_SPACES}([;!?]+)"), f"{NNBSP}\\1"),
    (re.compile(rf"(?<=[^\s:]){_SPACES}:(?=\s|$)"), f"{NBSP}:"),
    # Digit groups typed with ordinary spaces: « 1 250 » (never phone numbers: groups of 3).
    (
        re.compile(r"(?<![\d,.])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d,]\d|\d)"),
        lambda m: re.sub("[ \u00a0]", NNBSP, m[0]),
    ),
    # Five digits or more typed without spaces, when they count something (« 12500 € »,
    # « 12500 habitants »): never a postcode (« 75007 Paris »), a phone number (leading 0),
    # a reference (« n° 12345 », « BP12345 ») or a year (four digits).
    (
        re.compile(
            r"(?<![\w.,/°-])([1-9]\d{4,})(?=(?:,\d+)?"
            rf"{_SPACE}?(?:€|%|k€|M€|Md€|(?!cedex)[a-zà-ÿœæ]))"
        ),
        _group,
    ),
    # Before a unit: « 12,5 % », « 1 250 € ».
    (re.compile(rf"(?<=\d){_SPACE}?(%|€|k€|M€|Md€|Mds€)(?!\w)"), f"{NBSP}\\1"),
    # A day, a month and its year never part: « 24 mars 2021 », « 1er avril ».
    (re.compile(rf"\b(1er|\d{{1,2}}){_SPACE}+({MONTHS})\b", re.IGNORECASE), f"\\1{NBSP}\\2"),
    (re.compile(rf"\b({MONTHS}){_SPACE}+(\d{{4}})\b", re.IGNORECASE), f"\\1{NBSP}\\2"),
    # A number and what it counts: « 11 collectivités », « 2e édition ».
    (re.compile(rf"(?<![\w.,{NNBSP}])({_NUMBER}|\d+(?:er|re|e|es)) (?={_LETTER})"), f"\\1{NBSP}"),
    # A title and the name: « M. Dupont », « Mme Martin »; « n° 12 ».
    (
        re.compile(r"\b(M\.|MM\.|Mme|Mmes|Mlle|Mlles|Dr|Pr|Me) (?=[A-ZÀ-Ý])"),
        f"\\1{NBSP}",
    ),
    (re.compile(r"(?<!\w)([nN]°s?) ?(?=\d)"), f"\\1{NBSP}"),
]


def french(text: str) -> str:
    """Return `text` with French typographic spacing and punctuation."""
    return _apply(text, _RULES)


_ENGLISH_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    _TYPED_HYPHEN,
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r'"\s*([^"]*?)\s*"'), "“\\1”"),
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTHS_EN}) (\d{{4}})\b"), f"\\1{NBSP}\\2{NBSP}\\3"),
    (re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})*(?:\.\d+)?) (?=[^\W\d_])"), f"\\1{NBSP}"),
]


def english(text: str) -> str:
    """Return `text` with English punctuation: curly apostrophes and quotes, a number bound
    to what it counts, and no space added before « ; ! ? : », which English does not have."""
    return _apply(text, _ENGLISH_RULES)


def rules_for(language: str) -> Callable[[str], str]:
    """The typography of `language`: French, or English's lighter rules."""
    return english if language == "en" else french


def _apply(
    text: str, rules: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]]
) -> str:
    """`rules` applied to `text`, URLs and e-mail addresses hidden from them."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\ue000{len(kept) - 1}\ue001"

    masked = UNTOUCHABLE.sub(hide, text)
    for pattern, replacement in rules:
        masked = pattern.sub(replacement, masked)
    return _HIDDEN.sub(lambda match: kept[int(match[1])], masked)


# --- superscripts -----------------------------------------------------------------------------

_SUPERSCRIPT = re.compile(
    r"(?<![\w.,])(?:\d+(er|re|ers|res|e|es|nd|nde|nds|ndes)|M(me|mes|lle|lles)|[nN](°s?)"
    r"(?=[ \u00a0]?\d))(?!\w)"
)
NUMERO = "°"
"""The sign typed for « numéro », set as a superscript « o » (Imprimerie nationale): « nᵒ 12 »;
plain text keeps « n° »."""


def superscripts(text: str, language: str = "fr") -> list[tuple[int, int]]:
    """The spans of `text` set as superscript: the ending of « 1er », « 2e », « Mme », the
    « ° » of « n° 12 » (never inside a URL or an e-mail address). English writes « 1st » on
    the line."""
    if language != "fr":
        return []
    hidden = [m.span() for m in UNTOUCHABLE.finditer(text)]
    spans = []
    for match in _SUPERSCRIPT.finditer(text):
        group = next(g for g in (1, 2, 3) if match[g])
        start, end = match.span(group)
        if not any(a <= start < b for a, b in hidden):
            spans.append((start, end))
    return spans


# --- what the tool cannot decide --------------------------------------------------------------


@dataclass(frozen=True)
class Remark:
    """A typographic fault the tool cannot correct by itself, at `start` in the text (with
    `context` characters before the fault itself, so a blank is found surely)."""

    start: int
    length: int
    message: str
    suggestion: str
    context: int = 0


_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0\u202f]{2,}(?=\S)")
_FIRST_OF_MONTH = re.compile(rf"\b1{_SPACE}+({MONTHS})\b", re.IGNORECASE)
_QUOTED = re.compile(rf"(?<![\w’'])'((?:[^'\n]|(?<={_LETTER})'(?={_LETTER})){{1,80}}?)'(?!\w)")
_ENGLISH_QUOTES = re.compile(r"“([^”\n]*)”")


def remarks(text: str, language: str = "fr") -> Iterator[Remark]:
    """What rendering cannot fix: which space is doubled by mistake, which quote was left
    open, that « 1 avril » should read « 1er avril ». URLs and e-mail addresses are skipped
    (without counting their edges as spaces)."""
    plain = UNTOUCHABLE.sub(lambda m: "x" * len(m[0]), text)
    for match in _DOUBLE_SPACE.finditer(plain):
        yield Remark(
            match.start() - 1, len(match[0]) + 2, "deux espaces de suite", "une seule espace", 1
        )
    if language != "fr":
        return
    for match in _FIRST_OF_MONTH.finditer(plain):
        yield Remark(
            match.start(),
            len(match[0]),
            f"« {match[0]} » : le premier du mois s'écrit 1er",
            f"« 1er {match[1]} »",
        )
    if plain.count('"') % 2:
        yield Remark(
            plain.rindex('"'),
            1,
            'guillemet droit (") sans son pendant',
            '« … » (ou une paire de "…")',
        )
    for match in _ENGLISH_QUOTES.finditer(plain):
        yield Remark(
            match.start(), len(match[0]), "guillemets anglais en français", f"« {match[1]} »"
        )
    for match in _QUOTED.finditer(plain):
        yield Remark(
            match.start(),
            len(match[0]),
            "apostrophes droites utilisées comme guillemets",
            f"« {match[1].replace(chr(39), '’')} »",
        )
