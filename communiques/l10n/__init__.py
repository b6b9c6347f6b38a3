"""Localisation: how dates, numbers, phone numbers, plurals and punctuation read in French
and in English.

Pure functions of their arguments, bound to a language by `Localiser`, which the template
environment exposes as filters and as its gettext functions. The templates are written in
French; `translations` gives the compiled catalog of another language (communiques/locale/).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from .typography import NBSP, english, french, rules_for

__all__ = [
    "HTML_LANG", "NBSP", "Localiser", "decimal", "english", "french", "rules_for", "translations",
]  # fmt: skip

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
SOURCE_LANGUAGE = "fr"
"""The language the templates are written in: its catalog is the identity."""
HTML_LANG = {"fr": "fr-FR", "en": "en-GB"}
"""The language tag of each language's documents (HTML, PDF, DOCX): British English, as the
European institutions write it."""
_CLDR_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


def decimal(value: float, digits: int | None = 1) -> str:
    """A number in a message to the user, the French way: « 8,1 », « 1 250 », « 0,5 »;
    `digits` decimals, or as many as it has (up to three) when None."""
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale="fr_FR")


@cache
def translations(language: str) -> Any:
    """The compiled catalog of `language`; none for the templates' own language."""
    from babel.support import NullTranslations, Translations

    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(LOCALE_DIR), [language], domain="messages")


@dataclass(frozen=True)
class Localiser:
    language: str = "fr"

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(_CLDR_LOCALE.get(self.language, self.language))

    @property
    def english(self) -> bool:
        return self.language == "en"

    def date(self, value: dt.date) -> str:
        """« 19 avril 2021 », and « 1er avril 2021 »: CLDR has no ordinal for the first day.

        In English « 19 April 2021 » and « 1 April 2021 »: British style, no ordinal.
        """
        day = "1er" if value.day == 1 and not self.english else str(value.day)
        return f"{day}{NBSP}{format_date(value, 'MMMM y', locale=self.locale)}"

    def month(self, value: dt.date) -> str:
        """« juillet 2020 »."""
        return format_date(value, "MMMM y", locale=self.locale)

    def time(self, value: dt.time | dt.datetime) -> str:
        """« 10 h 30 », the French way of writing a time in running text; « 10:30 » in English."""
        pattern = "HH:mm" if self.english else f"H'{NBSP}h{NBSP}'mm"
        return format_time(value, pattern, locale=self.locale)

    def number(self, value: int | float) -> str:
        """« 1 250 » with the narrow no-break space French uses between thousands; « 1,250 »."""
        return format_decimal(value, locale=self.locale)

    def phone(self, e164: str) -> str:
        """« 01 43 17 62 64 » at home, « +44 20 7946 0958 » abroad; never broken across lines.

        An English edition is read abroad: every number is international (« +33 1 43 17 62 64 »).
        """
        import phonenumbers

        number = phonenumbers.parse(e164)
        national = phonenumbers.region_code_for_number(number) == "FR" and not self.english
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if national
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(number, style).replace(" ", NBSP)

    @cached_property
    def catalog(self) -> Any:
        return translations(self.language)

    def gettext(self, message: str) -> str:
        """`message`, written in French, in this language."""
        return str(self.catalog.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form the language's CLDR rule chooses (in French 0 and 1 are singular, in
        English only 1), translated from the templates' French."""
        one = self.locale.plural_form(abs(count)) == "one"
        return str(self.catalog.ngettext(singular, plural, 1 if one else 2))
