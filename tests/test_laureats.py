"""Laureates named, wording owned by the programme (issue #14): a single laureate is named
in the sentence, `tableau-et-lien` prints the table and the link, the comité and what it
awards are the programme's words."""

from __future__ import annotations

from pathlib import Path

from conftest import docx_text, normalise, pdf_text, render_file

ONE = "    - {nom: Ville de Brest, type: commune}\n"
TWO = ONE + "    - {nom: Région Bretagne, type: region}\n"


def _texts(office: Path, laureats: str, extra: str = "", programme: str = "") -> list[str]:
    if programme:
        path = office / "programmes" / "expe-ct.yaml"
        text = path.read_text(encoding="utf-8").replace("liste_laureats: lien", "")
        path.write_text(text + programme, encoding="utf-8")
    source = office / "communiques" / "essai.yaml"
    source.write_text(
        "modele: annonce-laureats\nlieu: Paris\ndate: 2021-09-02\nemetteur: daect\n"
        "programme: expe-ct\ntitre: Des lauréats\n"
        f"comite:\n  date: 2021-09-01\n{extra}  laureats:\n{laureats}",
        encoding="utf-8",
    )
    outputs = render_file(source, ("pdf", "docx"))
    return [normalise(pdf_text(outputs["pdf"])), normalise(docx_text(outputs["docx"]))]


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
