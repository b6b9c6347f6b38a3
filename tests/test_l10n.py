"""French localisation rules: dates, plurals, numbers, phone numbers, typography."""

from __future__ import annotations

import datetime as dt

import pytest

from communiques.l10n import NBSP, Localiser, french
from communiques.l10n.typography import NNBSP

fr = Localiser("fr")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2021, 4, 1), "1er avril 2021"),
        (dt.date(2021, 4, 19), "19 avril 2021"),
        (dt.date(2020, 12, 31), "31 décembre 2020"),
        (dt.date(2022, 2, 2), "2 février 2022"),
    ],
)
def test_dates_use_1er_for_the_first_of_the_month(day: dt.date, expected: str) -> None:
    assert fr.date(day).replace(NBSP, " ") == expected


def test_day_and_month_never_split_across_lines() -> None:
    assert fr.date(dt.date(2021, 4, 19)) == f"19{NBSP}avril 2021"


def test_month_year() -> None:
    assert fr.month(dt.date(2020, 7, 1)) == "juillet 2020"


def test_time_in_running_text() -> None:
    assert fr.time(dt.time(10, 5)) == f"10{NBSP}h{NBSP}05"


@pytest.mark.parametrize(
    ("count", "form"), [(0, "a reçu"), (1, "a reçu"), (2, "ont reçu"), (11, "ont reçu")]
)
def test_plural_follows_the_french_rule(count: int, form: str) -> None:
    assert fr.ngettext("a reçu", "ont reçu", count) == form


def test_thousands_separator_is_a_narrow_no_break_space() -> None:
    assert fr.number(1250) == f"1{NNBSP}250"
    assert fr.number(11) == "11"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [
        ("+33143176264", "01 43 17 62 64"),
        ("+33612345678", "06 12 34 56 78"),
        ("+442079460958", "+44 20 7946 0958"),
    ],
)
def test_phone_numbers_national_at_home_international_abroad(e164: str, shown: str) -> None:
    assert fr.phone(e164) == shown.replace(" ", NBSP)


@pytest.mark.parametrize(
    ("raw", "typeset"),
    [
        ("Tél: 01 43", f"Tél{NBSP}: 01 43"),
        ("Contact :", f"Contact{NBSP}:"),
        ("des expertises ?", f"des expertises{NNBSP}?"),
        ("savoir-faire!", f"savoir-faire{NNBSP}!"),
        ("Quoi ?!", f"Quoi{NNBSP}?!"),
        ("voici ; et", f"voici{NNBSP}; et"),
        ("l'action", "l’action"),
        ('il dit "bonjour"', f"il dit «{NBSP}bonjour{NBSP}»"),
        ("« oui »", f"«{NBSP}oui{NBSP}»"),
        ("Attendez...", "Attendez…"),
        ("à 10:30", "à 10:30"),
    ],
)
def test_typography(raw: str, typeset: str) -> None:
    assert french(raw) == typeset


@pytest.mark.parametrize(
    "untouched",
    [
        "https://exemple.fr/page?a=1&b=l'x:y;z!",
        "mailto:anne-marie.reingold@diplomatie.gouv.fr",
        "anne-marie.o'neil@exemple.fr",
        "tel:+33143176264",
    ],
)
def test_typography_never_touches_urls_or_addresses(untouched: str) -> None:
    assert french(f"voir {untouched} : merci") == f"voir {untouched}{NBSP}: merci"


def test_typography_is_applied_to_data_and_template_text_in_the_html(
    seed_outputs: dict[str, bytes],
) -> None:
    html = seed_outputs["html"].decode()
    assert f"Contacts{NBSP}:" in html  # from the template (two contacts)
    assert f"expertises{NNBSP}?" in html  # from the programme file
    assert "l’action extérieure" in html and "l'action" not in html
    assert 'href="mailto:secretariat.dgm-aect@diplomatie.gouv.fr"' in html
