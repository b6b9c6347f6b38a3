"""model: field types, documents, editions (languages), French messages and the schema, on
small in-memory documents (no file, no rendering)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from communiques.errors import DataErrors
from communiques.links import link_allowed
from communiques.model import (
    MAX_LAUREATS,
    Communique,
    Contact,
    Programme,
    edition,
    editions,
    parse,
    schema_text,
)
from communiques.yamlfile import Document

MINIMAL = {"lieu": "Paris", "date": "2021-04-19", "emetteur": "daect", "titre": "Annonce"}
SCHEMA = Path(__file__).resolve().parent.parent / "communiques" / "communique.schema.json"


def document(
    data: Any, marks: dict[tuple[str | int, ...], tuple[int, int]] | None = None
) -> Document:
    return Document(Path("c.yaml"), data, marks or {}, {})


def errors(data: Any, model: type = Communique) -> list[str]:
    with pytest.raises(DataErrors) as raised:
        parse(document(data), model)
    return [f"{e.field}: {e.message}" for e in raised.value]


def test_a_minimal_communique() -> None:
    communique = parse(document(MINIMAL), Communique)
    assert (communique.modele, communique.langue, communique.titre) == (
        "communique",
        "fr",
        "Annonce",
    )


def test_unknown_key_suggests_the_closest() -> None:
    [message] = errors({**MINIMAL, "titr": "x"})
    assert message.startswith(
        "titr: champ inconnu : vouliez-vous dire « titre » ? (champs possibles : "
    )


def test_missing_and_invalid_fields() -> None:
    data = {k: v for k, v in MINIMAL.items() if k != "lieu"} | {"date": "19/04/2021"}
    assert errors(data) == [
        "date: date invalide « 19/04/2021 » : attendue au format AAAA-MM-JJ",
        "lieu: champ obligatoire manquant",
    ]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "javascript:alert(1)",
            "adresse web invalide « javascript:alert(1) » : elle doit commencer par https://",
        ),
        ("https:/exemple.fr", "adresse web invalide « https:/exemple.fr »"),
        (
            "ftp://exemple.fr",
            "adresse web invalide « ftp://exemple.fr » : elle doit commencer par https://",
        ),
    ],
)
def test_link_fields_and_the_link_rule(url: str, message: str) -> None:
    assert errors({**MINIMAL, "liens": [{"libelle": "x", "url": url}]}) == [
        f"liens[0].url: {message}"
    ]
    assert not link_allowed(url)


def test_the_link_rule_allows_what_a_reader_may_follow() -> None:
    for url in ("https://a.fr", "http://a.fr/x", "mailto:presse@a.fr", "tel:+33143176264"):
        assert link_allowed(url), url
    assert errors({**MINIMAL, "corps": "[clic](javascript:alert(1))"}) == [
        "corps: lien refusé « javascript:alert(1) » : seules les adresses https://, http://, "
        "mailto: et tel: sont acceptées"
    ]


def test_contact_fields_are_normalised() -> None:
    contact = Contact.model_validate(
        {"telephone": "01 43 17 62 64", "email": " Presse@Exemple.FR "}
    )
    assert (contact.telephone, contact.email) == ("+33143176264", "Presse@exemple.fr")
    assert errors({"nom": "x"}, Contact) == [
        ": un contact doit avoir au moins un téléphone ou un e-mail"
    ]


def test_a_month_and_a_bare_url_for_a_link() -> None:
    programme = parse(
        document(
            {"nom": "X", "intitule": "y", "lancement": "2020-07", "url_procedure": "https://a.fr/p"}
        ),
        Programme,
    )
    assert programme.lancement is not None and programme.lancement.isoformat() == "2020-07-01"
    assert programme.url_procedure is not None and programme.url_procedure.libelle == "a.fr"


def test_limits_say_what_to_do() -> None:
    laureats = [{"nom": "Ville", "type": "commune"}] * (MAX_LAUREATS + 1)
    [message] = errors({**MINIMAL, "comite": {"date": "2021-03-24", "laureats": laureats}})
    assert message == (
        "comite.laureats: 501 lauréats : 500 au plus dans un communiqué ; "
        "publiez la liste en ligne (url_laureats du programme)"
    )
    [long] = errors({**MINIMAL, "titre": "x" * 1001})
    assert long == "titre: texte trop long (1 001 caractères) : 1 000 au plus"


def test_editions_and_their_marks() -> None:
    data = {**MINIMAL, "titre": {"fr": "Annonce", "en": "Announcement"}, "lieu": {"fr": "Paris"}}
    marks = {("titre", "en"): (5, 9), ("titre",): (4, 1)}
    source = document(data, marks)
    assert editions(source, Communique) == ("fr", "en")
    english, problems = edition(source, Communique, "en")
    assert english.data["titre"] == "Announcement" and english.data["langue"] == "en"
    assert english.value_marks[("titre",)] == (5, 9)  # errors point into the translation
    assert [(p.field, p.message) for p in problems] == [
        ("lieu", "traduction manquante en anglais (en)")
    ]
    assert parse(source, Communique, language="fr").titre == "Annonce"
    with pytest.raises(DataErrors):
        parse(source, Communique, language="en")


def test_unknown_language() -> None:
    assert errors({**MINIMAL, "langue": ["fr", "de"]}) == [
        "langue[1]: langue inconnue « de » (langues possibles : fr, en)"
    ]


def test_schema_file_follows_the_model() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == schema_text()
