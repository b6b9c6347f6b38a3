"""Field types of the data files: texts and their limits, languages, web and e-mail
addresses, telephone numbers, months, Markdown. Each validator raises its own French message
(a `PydanticCustomError`), which `messages` passes through as it is."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from ..links import link_allowed

Langue = Literal["fr", "en"]
LANGUES: tuple[Langue, ...] = ("fr", "en")
NOMS_LANGUES = {"fr": "français", "en": "anglais"}

# Limits that keep every communiqué within a bounded layout time (~5 s) and memory: a
# communiqué is one or two pages; far beyond that, the data is wrong.
MAX_TEXTE = 1_000
"""Characters of a plain text (a title, a name, an address)."""
MAX_MARKDOWN = 20_000
"""Characters of a Markdown text (chapô, corps…): about seven pages."""
MAX_ELEMENTS = 50
"""Items of a list (links, contacts, objectives, parent bodies)."""
MAX_LAUREATS = 500
"""Laureates printed in a communiqué: fifteen pages of table; a longer list belongs online."""
# What the layout time of a Markdown text grows with, beside its length (bench/markdown.py):
# WeasyPrint's line breaking is worse than linear in the inline boxes of a line and in the
# characters of a run it cannot break. At these limits the worst text takes under 2 s.
MAX_MISES_EN_FORME = 500
"""Code spans, emphasis, links of one text (`*a` × 9,000 took 80 s, 500 take 0.4 s)."""
MAX_LIGNES = 1_000
"""Paragraphs, list items, line breaks of one text (1,000 take 1.2 to 1.7 s, 22 pages)."""
MAX_IMBRICATION = 8
"""Levels of nested lists and quotes, or of nested emphasis (Markdown drops text past 20)."""
MAX_MOT = 1_000
"""Characters without a breaking space (`` `a` `` × 6,600, one run, took over 400 s)."""
MAX_MOT_COMPOSE = 40
"""Characters of a word made of several pieces (`**W**W`): WeasyPrint does not break it
between them, and past a line (about 50 W) the rest went off the page, unprinted."""


def _url(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = value.strip()
    if link_allowed(value):
        return value
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.path:  # no host: « https:/exemple.fr »
        raise PydanticCustomError("url", "adresse web invalide « {url} »", {"url": value})
    raise PydanticCustomError(
        "url",
        "adresse web invalide « {url} » : elle doit commencer par https://",
        {"url": value},
    )


def _markdown_links(value: str) -> str:
    """Markdown links follow the rule of link fields; Markdown itself would drop a
    `javascript:` link silently, and keep a `file:` or relative one."""
    from ..render.markdown import links

    for url in links(value):
        if not link_allowed(url):
            raise PydanticCustomError(
                "lien",
                "lien refusé « {url} » : seules les adresses https://, http://, mailto: et tel: "
                "sont acceptées",
                {"url": url},
            )
    return value


def _markdown_bounds(value: str) -> str:
    """A text within these bounds is laid out in a bounded time, whatever it holds."""
    from ..render.markdown import measure

    measures = measure(value)
    for count, limit, what in (
        (measures.formatting, MAX_MISES_EN_FORME, "trop de mises en forme dans ce texte"),
        (measures.lines, MAX_LIGNES, "trop de lignes et de paragraphes dans ce texte"),
        (measures.depth, MAX_IMBRICATION, "trop de niveaux imbriqués dans ce texte"),
        (measures.longest_run, MAX_MOT, "mot trop long (caractères sans espace)"),
        (
            measures.longest_glued,
            MAX_MOT_COMPOSE,
            "mot trop long pour une ligne, fait de plusieurs mises en forme collées",
        ),
    ):
        if count > limit:
            raise PydanticCustomError(
                "limite",
                "{what} ({count}) : {limit} au plus",
                {"what": what, "count": _number(count), "limit": _number(limit)},
            )
    return value


def _number(count: int) -> str:
    return f"{count:,}".replace(",", " ")


def _email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise PydanticCustomError(
            "email", "adresse e-mail invalide « {email} »", {"email": value}
        ) from None


def _telephone(value: Any) -> Any:
    """Stores the number in E.164 so every output can format it for its own language."""
    if not isinstance(value, str | int):
        return value
    import phonenumbers

    text = str(value)
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PydanticCustomError(
            "telephone", "numéro de téléphone invalide « {numero} »", {"numero": text}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _year_month(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        year, month = map(int, value.strip().split("-"))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        raise PydanticCustomError("year_month", "mois invalide « {v} »", {"v": value})
    return value


Url = Annotated[str, BeforeValidator(_url), Field(json_schema_extra={"format": "uri"})]
Email = Annotated[str, BeforeValidator(_email), Field(json_schema_extra={"format": "email"})]
Telephone = Annotated[str, BeforeValidator(_telephone), Field(description="Numéro de téléphone")]
YearMonth = Annotated[
    dt.date, BeforeValidator(_year_month), Field(description="Mois, au format AAAA-MM")
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXTE)]
Markdown = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_MARKDOWN,
        description="Texte Markdown : **gras**, *italique*, [lien](url)",
    ),
    AfterValidator(_markdown_bounds),
    AfterValidator(_markdown_links),
]
