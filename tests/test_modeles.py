"""The three modèles that ship, rendered to PDF and DOCX from small data files."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import docx_text, normalise, pdf_text, render_file

from communiques.build import Theme
from communiques.resolve import load
from communiques.sources import PressOffice

HEAD = "lieu: Lyon\ndate: 2021-10-01\nemetteur: daect\n"


def texts(office: Path, body: str) -> tuple[str, str]:
    """(PDF text, DOCX text) of a communiqué written in the office, normalised."""
    path = office / "communiques" / "essai.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    outputs = render_file(path, ("pdf", "docx"))
    return normalise(pdf_text(outputs["pdf"])), normalise(docx_text(outputs["docx"]))


def test_generic_communique_with_chapo_markdown_links_and_embargo(office: Path) -> None:
    body = (
        "titre: Inauguration de la maison de l'Europe\n"
        "chapo: La maison ouvre ses portes le 1er octobre.\n"
        "corps: |\n"
        "  Un premier paragraphe avec du **gras** et de l'*italique*.\n\n"
        "  - premier point\n  - second point\n\n"
        "  Voir [le programme](https://exemple.fr/programme).\n"
        "liens:\n  - {libelle: Dossier de presse, url: 'https://exemple.fr/dossier'}\n"
        "embargo: 2021-10-01T10:30:00+02:00\n"
        "contacts:\n  - {nom: Service presse, email: presse@exemple.fr}\n"
    )
    for text in texts(office, body):
        assert "Lyon, le 1er octobre 2021" in text
        assert "Sous embargo jusqu'au 1er octobre 2021 à 10 h 30" in text
        assert "La maison ouvre ses portes le 1er octobre." in text
        assert "Un premier paragraphe avec du gras et de l'italique." in text
        assert "premier point" in text and "second point" in text
        assert "Voir le programme." in text
        assert "Pour en savoir plus" in text and "Dossier de presse" in text
        assert "Service presse" in text and "presse@exemple.fr" in text
        assert "Secrétariat" not in text  # the communiqué's own contacts replace the émetteur's


def test_annonce_laureats_singular(office: Path) -> None:
    body = (
        "modele: annonce-laureats\nprogramme: expe-ct\ntitre: Un lauréat\n"
        "comite:\n  date: 2021-09-01\n  laureats:\n    - {nom: Ville de Brest, type: commune}\n"
    )
    for text in texts(office, body):
        assert (
            "Lors du comité de labellisation du 1er septembre 2021, Ville de Brest a reçu le label EXPE-CT."
            in text
        )
        assert "Consulter la fiche du lauréat au label EXPE-CT" in text
        assert "a lancé en juillet 2020 le programme de valorisation" in text


def test_annonce_laureats_associations_only_and_table_without_a_link(office: Path) -> None:
    programme = office / "programmes" / "expe-ct.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text[: text.index("url_laureats")], encoding="utf-8")
    body = (
        "modele: annonce-laureats\nprogramme: expe-ct\ntitre: Deux lauréats\n"
        "comite:\n  date: 2021-09-01\n  laureats:\n"
        "    - {nom: Cités Unies France, type: association}\n"
        "    - {nom: Régions de France, type: association}\n"
    )
    for text in texts(office, body):
        assert "2 associations d'élus ont reçu le label EXPE-CT." in text
        assert "Régions de France" in text and "Association d'élus" in text


def test_annonce_comite(office: Path) -> None:
    body = (
        "modele: annonce-comite\nprogramme: expe-ct\ntitre: Prochain comité EXPE-CT\n"
        "comite:\n  date: 2021-11-15\n  date_limite: 2021-11-01\n"
    )
    for text in texts(office, body):
        assert "Le prochain comité de labellisation EXPE-CT se réunira le 15 novembre 2021." in text
        assert "Les candidatures sont ouvertes jusqu'au 1er novembre 2021." in text
        assert "Votre collectivité possède une ou plusieurs expertises?" in text
        assert "Le détail de la procédure de labellisation se trouve sur France Diplomatie." in text


def test_inline_emetteur_without_logo_or_article(office: Path) -> None:
    path = office / "communiques" / "essai.yaml"
    path.write_text(
        "lieu: Rennes\ndate: 2022-03-01\ntitre: Ouverture\n"
        "emetteur:\n  nom: Région Bretagne\n  contacts:\n    - {nom: Presse, telephone: '02 99 27 10 10'}\n",
        encoding="utf-8",
    )
    outputs = render_file(path, ("pdf", "docx"))
    for text in (normalise(pdf_text(outputs["pdf"])), normalise(docx_text(outputs["docx"]))):
        assert "Rennes, le 1er mars 2022" in text and "Région Bretagne" in text
        assert "Tél.: 02 99 27 10 10" in text


@pytest.mark.parametrize("modele", ["communique", "annonce-laureats", "annonce-comite"])
def test_starter_files_are_valid_once_created(office: Path, modele: str) -> None:
    from click.testing import CliRunner

    from communiques.cli import main

    runner = CliRunner()
    result = runner.invoke(
        main, ["new", "--modele", modele, "--dossier", str(office), f"nouveau {modele}"]
    )
    assert result.exit_code == 0, result.output
    created = office / "communiques" / f"nouveau-{modele}.yaml"
    assert created.is_file()
    result = runner.invoke(main, ["check", str(created)])
    assert result.exit_code == 1  # until its example texts are replaced
    errors = [line for line in result.output.splitlines() if ": erreur: " in line]
    assert errors and all("texte d'exemple du fichier de départ" in line for line in errors)
    today = dt.date.today()
    text = created.read_text(encoding="utf-8").replace("Titre du communiqué", "Un vrai titre")
    text = text.replace("Nom du lauréat", "Commune de Figeac")
    for days in (-5, 10) if modele == "annonce-laureats" else (30, 10):  # comité, date limite
        text = text.replace(": AAAA-MM-JJ", f": {today + dt.timedelta(days)}", 1)
    for line in ("Le paragraphe d'introduction, en gras", "Le texte du communiqué, en Markdown"):
        text = text.replace(line, "Un texte")
    created.write_text(text.replace("Une ligne vide sépare deux paragraphes.", "Fin."), "utf-8")
    result = runner.invoke(main, ["check", str(created)])
    assert result.exit_code == 0, result.output


def test_each_ordered_list_counts_from_its_own_first_number(office: Path) -> None:
    """Markdown "2021. …" starts a list at 2021: so in the PDF (WeasyPrint ignores <ol start>)
    and in Word (a numbering of its own), and the list before it still counts 1, 2."""
    import io

    import docx

    path = office / "communiques" / "listes.yaml"
    path.write_text(
        HEAD + "titre: Listes\ncorps: |\n  Étapes :\n\n  1. candidater ;\n  2. être auditionné.\n\n"
        "  Calendrier :\n\n  2021. premier comité ;\n  2022. second comité.\n",
        encoding="utf-8",
    )
    outputs = render_file(path, ("pdf", "docx"))
    if shutil.which("pdftotext"):  # pypdf drops the list markers WeasyPrint draws outside
        pdf = subprocess.run(
            ["pdftotext", "-", "-"], input=outputs["pdf"], capture_output=True, check=True
        ).stdout.decode()
        assert "1. candidater" in pdf and "2. être auditionné" in pdf
        assert "2021. premier comité" in pdf and "2022. second comité" in pdf

    document = docx.Document(io.BytesIO(outputs["docx"]))
    numbered = [
        p for p in document.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None
    ]
    assert [normalise(p.text) for p in numbered] == [
        "candidater;", "être auditionné.", "premier comité;", "second comité."
    ]  # fmt: skip
    lists = [p._p.pPr.numPr.numId.val for p in numbered]
    assert lists[0] == lists[1] != lists[2] == lists[3]
    numbering = document.part.numbering_part.element
    starts = [numbering.num_having_numId(n).lvlOverride_lst[0].startOverride.val for n in lists]
    assert starts == [1, 1, 2021, 2021]


def test_a_reference_whose_list_style_numbers_nothing_still_renders(
    office: Path, tmp_path: Path
) -> None:
    """A press office's own reference.docx may have a plain « List Number » style."""
    import io

    import docx
    from conftest import ROOT

    from communiques.render.docx import render_docx
    from communiques.render.html import render_html

    reference = docx.Document(str(ROOT / "templates" / "reference.docx"))
    style = reference.styles["List Number"].element
    style.pPr.remove(style.pPr.numPr)
    reference.save(str(tmp_path / "reference.docx"))
    path = office / "communiques" / "liste.yaml"
    path.write_text(HEAD + "titre: Liste\ncorps: |\n  2021. premier ;\n  2022. second.\n")
    theme = Theme.of(PressOffice.find(path))
    html = render_html(load(path), theme.template_dirs)
    output = render_docx(html, (tmp_path, *theme.template_dirs), theme.asset_dirs)
    paragraphs = docx.Document(io.BytesIO(output)).paragraphs
    listed = [p.text for p in paragraphs if p.style.name == "List Number"]
    assert [normalise(text) for text in listed] == ["premier;", "second."]
