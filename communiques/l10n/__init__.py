"""Localisation: how dates, numbers, phone numbers, plurals and punctuation read in French.

Pure functions of their arguments, bound to a language by `Localiser`, which the template
environment exposes as filters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from babel import Locale
from babel.dates import format_date, format_time
from babel.numbers import format_decimal

from .typography import NBSP, french

__all__ = ["NBSP", "Localiser", "french"]


@dataclass(frozen=True)
class Localiser:
    language: str = "fr"

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.language)

    def date(self, value: dt.date) -> str:
        """« 19 avril 2021 », and « 1er avril 2021 »: CLDR has no ordinal for the first day."""
        day = "1er" if value.day == 1 else str(value.day)
        return f"{day}{NBSP}{format_date(value, 'MMMM y', locale=self.locale)}"

    def month(self, value: dt.date) -> str:
        """« juillet 2020 »."""
        return format_date(value, "MMMM y", locale=self.locale)

    def time(self, value: dt.time | dt.datetime) -> str:
        """« 10 h 30 », the French way of writing a time in running text."""
        return format_time(value, f"H'{NBSP}h{NBSP}'mm", locale=self.locale)

    def number(self, value: int | float) -> str:
        """« 1 250 » with the narrow no-break space French uses between thousands."""
        return format_decimal(value, locale=self.locale)

    def phone(self, e164: str) -> str:
        """« 01 43 17 62 64 » at home, « +44 20 7946 0958 » abroad; never broken across lines."""
        import phonenumbers

        number = phonenumbers.parse(e164)
        national = phonenumbers.region_code_for_number(number) == "FR"
        style = (
            phonenumbers.PhoneNumberFormat.NATIONAL
            if national
            else phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        return phonenumbers.format_number(number, style).replace(" ", NBSP)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """Plural by the language's CLDR rule: in French 0 and 1 are singular."""
        return singular if self.locale.plural_form(abs(count)) == "one" else plural
