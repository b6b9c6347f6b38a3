"""Laureates named, wording owned by the programme (issue #14): a single laureate is named
in the sentence, `tableau-et-lien` prints the table and the link, the comité and what it
awards are the programme's words."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from conftest import docx_text, normalise, pdf_text, render_file

from communiques.errors import DataErrors
from communiques.resolve import for_language, load

ONE = "    - {nom: Ville de Brest, type: commune}\n"
TWO = ONE + "    - {nom: Région Bretagne, type: region}\n"


def _write(office: Path, laureats: str, extra: str = "", programme: str = "") -> Path:
    if programme:  # the example's own choices (lien, total) removed, then the test's
        path = office / "programmes" / "expe-ct.yaml"
        text = path.read_text(encoding="utf-8").replace("liste_laureats: lien", "")
        text = re.sub(r"(?m)^decompte: .*$", "", text)
        path.write_text(text + programme, encoding="utf-8")
    source = office / "communiques" / "essai.yaml"
    source.write_text(
        "modele: annonce-laureats\nlieu: Paris\ndate: 2021-09-02\nemetteur: daect\n"
        "programme: expe-ct\ntitre: Des lauréats\n"
        f"comite:\n  date: 2021-09-01\n{extra}  laureats:\n{laureats}",
        encoding="utf-8",
    )
    return source


def _outputs(outputs: dict[str, bytes]) -> list[str]:
    """The text of the PDF (pypdf), the DOCX (python-docx) and the HTML, as a reader sees it."""
    body = lxml.html.fromstring(outputs["html"]).body
    for cell in body.iter("td", "th"):  # cells read apart, as in the PDF
        cell.tail = " " + (cell.tail or "")
    html = body.text_content()
    return [
        normalise(pdf_text(outputs["pdf"])),
        normalise(docx_text(outputs["docx"])),
        normalise(html),
    ]


def _texts(office: Path, laureats: str, extra: str = "", programme: str = "") -> list[str]:
    source = _write(office, laureats, extra, programme)
    return _outputs(render_file(source, ("pdf", "docx", "html")))


def test_a_single_laureate_is_named(office: Path) -> None:
    for text in _texts(office, ONE):
        assert "du 1er septembre 2021, Ville de Brest a reçu le label EXPE-CT." in text


def test_table_and_link_by_default_with_url_laureats(office: Path) -> None:
    for text in _texts(office, TWO, programme="\n"):
        assert "2 collectivités ont reçu le label EXPE-CT." in text
        assert "Région Bretagne" in text and "Lauréats du label EXPE-CT" in text  # the table
        assert "Consulter la liste des 2 lauréats au label EXPE-CT" in text  # and the link


def test_the_comite_can_choose_the_table_only(office: Path) -> None:
    for text in _texts(office, TWO, extra="  liste_laureats: tableau\n"):
        assert "Région Bretagne" in text and "Consulter" not in text


def test_the_example_keeps_the_link_only(office: Path) -> None:
    for text in _texts(office, TWO):
        assert "Consulter la liste des 2 lauréats" in text and "Région Bretagne" not in text


def test_the_programme_names_its_jury_and_its_prize(office: Path) -> None:
    programme = "\ncomite_nom: le jury\nrecompense: le prix\n"
    for text in _texts(office, TWO, programme=programme):
        assert (
            "Lors du jury du 1er septembre 2021, 2 collectivités ont reçu le prix EXPE-CT." in text
        )
        assert "Lauréats du prix EXPE-CT" in text  # the table's caption
        assert "Consulter la liste des 2 lauréats au prix EXPE-CT" in text
        assert "procédure de candidature" in text and "label" not in text


@pytest.mark.parametrize(
    ("recompense", "caption", "link"),
    [
        ("la subvention", "Lauréats de la subvention EXPE-CT", "2 lauréats à la subvention"),
        ("l'aide", "Lauréats de l'aide EXPE-CT", "2 lauréats à l'aide EXPE-CT"),  # normalised '
        ("les trophées", "Lauréats des trophées EXPE-CT", "2 lauréats aux trophées EXPE-CT"),
    ],
)
def test_what_is_awarded_agrees_with_its_article(
    office: Path, recompense: str, caption: str, link: str
) -> None:
    html = _texts(office, TWO, programme=f'\nrecompense: "{recompense}"\n')[2]
    assert caption in html and link in html


def test_the_comite_announced_by_the_programme_s_name_for_it(office: Path) -> None:
    from communiques.build import Theme, render
    from communiques.sources import PressOffice

    programme = office / "programmes" / "expe-ct.yaml"
    programme.write_text(
        programme.read_text(encoding="utf-8")
        + "\ncomite_nom: {fr: la commission régionale, en: the regional board}\n",
        encoding="utf-8",
    )
    source = office / "communiques" / "comite.yaml"
    source.write_text(
        "modele: annonce-comite\nlieu: Paris\ndate: 2021-09-02\nemetteur: daect\n"
        "programme: expe-ct\ntitre: Le prochain comité\n"
        "comite: {date: 2021-10-01, date_limite: 2021-09-20}\n",
        encoding="utf-8",
    )
    for text in _outputs(render_file(source, ("pdf", "docx", "html"))):
        assert "La prochaine réunion de la commission régionale EXPE-CT aura lieu le " in text
    english = for_language(load(source), "en")
    outputs = render(english, Theme.of(PressOffice.find(source)), ("pdf", "docx", "html"))
    for text in _outputs(outputs):
        assert "The next meeting of the regional board (EXPE-CT) will take place on " in text


TYPES = """
recompense: {fr: le prix, en: the prize}
types_laureats:
  entreprise: {singulier: {fr: entreprise, en: company}, pluriel: {fr: entreprises, en: companies}}
  ecole: {singulier: {fr: école, en: school}, pluriel: {fr: écoles, en: schools}}
  personne: {singulier: personne, pluriel: personnes}
"""
COMPANIES_AND_SCHOOLS = "".join(
    f"    - {{nom: {nom}, type: {kind}}}\n"
    for nom, kind in [
        ("Lycée Jean-Moulin", "ecole"),
        ("Atelier Kerguelen", "entreprise"),
        ("Biscuiterie de Pont-Aven", "entreprise"),
        ("École de Brest", "ecole"),
        ("Chantiers de l'Atlantique", "entreprise"),
    ]
)


def test_the_programme_declares_its_laureate_types(office: Path) -> None:
    """Counted by type in the programme's order, with the verb agreeing; the table's category
    is the type's name, capitalised."""
    for text in _texts(office, COMPANIES_AND_SCHOOLS, programme=TYPES):
        assert "2021, 3 entreprises et 2 écoles ont reçu le prix EXPE-CT." in text
        assert "Atelier Kerguelen Entreprise" in text and "École de Brest École" in text


def test_one_of_a_type_is_singular(office: Path) -> None:
    laureats = "".join(COMPANIES_AND_SCHOOLS.splitlines(keepends=True)[:3])
    for text in _texts(office, laureats, programme=TYPES):
        assert "2021, 2 entreprises et 1 école ont reçu le prix EXPE-CT." in text


def test_the_english_edition_has_english_type_names(office: Path) -> None:
    from communiques.build import Theme, render
    from communiques.sources import PressOffice

    source = _write(office, COMPANIES_AND_SCHOOLS, programme=TYPES)
    resolved = for_language(load(source), "en")
    outputs = render(resolved, Theme.of(PressOffice.find(source)), ("pdf", "docx", "html"))
    for text in _outputs(outputs):
        assert "2021, 3 companies and 2 schools received the EXPE-CT prize." in text
        assert "Atelier Kerguelen Company" in text and "École de Brest School" in text


def test_default_types_counted_by_group(office: Path) -> None:
    """Without `types_laureats`, the four kinds of local authority are counted together as
    « collectivités »; the example programme says `decompte: total` for its original wording."""
    laureats = TWO + "    - {nom: Cités Unies France, type: association}\n"
    for text in _texts(office, laureats, programme="\n"):
        assert "2021, 2 collectivités et 1 association d'élus ont reçu le label EXPE-CT." in text
        assert "Région Bretagne Région" in text and "Cités Unies France Association d'élus" in text
    for text in _texts(office, laureats, programme="decompte: total\n"):
        assert "2021, 3 collectivités et associations d'élus ont reçu le label EXPE-CT." in text


def test_a_type_the_programme_does_not_declare_is_an_error_at_its_line(office: Path) -> None:
    source = _write(office, "    - {nom: Atelier Kerguelen, type: entreprse}\n", programme=TYPES)
    with pytest.raises(DataErrors) as caught:
        load(source)
    (error,) = list(caught.value)
    assert str(error).endswith(
        "essai.yaml:10:38: erreur: comite.laureats[0].type: type de lauréat inconnu "
        "« entreprse » : vouliez-vous dire « entreprise » ? "
        "(types du programme : entreprise, ecole, personne)"
    )


def test_without_declared_types_the_error_says_how_to_declare_them(office: Path) -> None:
    source = _write(office, "    - {nom: Atelier Kerguelen, type: entreprise}\n")
    with pytest.raises(DataErrors) as caught:
        load(source)
    (error,) = list(caught.value)
    assert error.line == 10 and error.field == "comite.laureats[0].type"
    assert error.message == (
        "type de lauréat inconnu « entreprise » "
        "(types : region, departement, commune, intercommunalite, association)"
    )
    assert error.suggestion == "ou déclarez-le sous types_laureats dans le programme"


@pytest.mark.parametrize(
    ("libelle", "sentence"),
    [
        ("Le dossier de candidature", "se trouve sur le dossier de candidature."),
        ("L'annuaire des programmes", "se trouve sur l'annuaire des programmes."),
        ("France Diplomatie", "se trouve sur France Diplomatie."),  # a name
        ("Légifrance", "se trouve sur Légifrance."),
        ("CNIL en ligne", "se trouve sur CNIL en ligne."),  # an acronym
    ],
)
def test_a_link_label_mid_sentence_keeps_a_name_s_capital_only(
    office: Path, libelle: str, sentence: str
) -> None:
    programme = f'url_procedure: {{libelle: "{libelle}", url: https://exemple.fr/}}\n'
    path = office / "programmes" / "expe-ct.yaml"
    text = re.sub(r"(?ms)^url_procedure:.*?(?=^url_laureats)", "", path.read_text("utf-8"))
    path.write_text(text + programme, encoding="utf-8")
    for output in _texts(office, TWO):
        assert "Le détail de la procédure de labellisation " + sentence in output


def test_the_rule_for_a_label_mid_sentence() -> None:
    from communiques.dictionary import missing
    from communiques.l10n.case import mid_sentence

    if missing("fr") or missing("en"):
        pytest.skip("dictionnaires Hunspell absents (make test les installe)")
    assert mid_sentence("Site de la préfecture") == "site de la préfecture"
    for name in ("Paris", "Tours Métropole", "L'Express", "Lyon Métropole", "EXPE-CT en ligne"):
        assert mid_sentence(name) == name
    assert mid_sentence("The application form", "en") == "the application form"
    assert mid_sentence("France Diplomacy", "en") == "France Diplomacy"
