"""Typography finished by the tool (issue #14): the spaces, superscripts and bindings a press
officer cannot type come out right in the PDF, the DOCX, the HTML and the e-mail alike."""

from __future__ import annotations

import io
import itertools
import shutil
from pathlib import Path

import docx
import lxml.html
import pytest
from conftest import EXAMPLE, pdf_text, render_file
from email_fixtures import NOW
from pypdf import PdfReader

from communiques.build import Theme
from communiques.l10n.typography import NBSP, NNBSP, english, french, remarks, superscripts
from communiques.mail.message import Composer, Options
from communiques.resolve import load
from communiques.sources import PressOffice

SENTENCE = (
    "Un budget de 12500 € soit 12,5% du total, dont 1 250 € réparti entre 11 collectivités "
    "le 24 mars 2021."
)
TYPESET = (
    f"Un budget de 12{NNBSP}500{NBSP}€ soit 12,5{NBSP}% du total, dont 1{NNBSP}250{NBSP}€ "
    f"réparti entre 11{NBSP}collectivités le 24{NBSP}mars{NBSP}2021."
)


def test_the_sentence_of_the_issue_gets_every_space_right() -> None:
    assert french(SENTENCE) == TYPESET
    assert list(remarks(SENTENCE)) == []


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("1 250 habitants", f"1{NNBSP}250{NBSP}habitants"),
        ("12500 €", f"12{NNBSP}500{NBSP}€"),
        ("1250000 euros", f"1{NNBSP}250{NNBSP}000{NBSP}euros"),
        ("12,5 %", f"12,5{NBSP}%"),
        ("3 M€", f"3{NBSP}M€"),
        ("le 1er avril", f"le 1er{NBSP}avril"),
        ("en juillet 2020", f"en juillet{NBSP}2020"),
        ("la 2e édition", f"la 2e{NBSP}édition"),
        ("M. Dupont et Mme Martin", f"M.{NBSP}Dupont et Mme{NBSP}Martin"),
        ("le n° 12", f"le n°{NBSP}12"),
        ("aujourd'hui l'État", "aujourd’hui l’État"),
        ('il dit "oui"', f"il dit «{NBSP}oui{NBSP}»"),
        ("Saint\u2010Étienne", "Saint-Étienne"),  # U+2010 is left to the layout's hyphen
    ],
)
def test_french_spaces_and_bindings(typed: str, typeset: str) -> None:
    assert french(typed) == typeset


@pytest.mark.parametrize(
    "kept",
    [
        "57, boulevard des Invalides, 75007 Paris",  # a postcode
        "75700 Paris cedex 07",
        "Tél. : 01 43 17 62 64",  # a phone number
        "en 2021, puis 2022",  # years
        "BP 12345, réf. 20210419",  # references
        "https://www.exemple.fr/12500 %",  # an address is left as written
        "ecrire-12500 euros@exemple.fr",
    ],
)
def test_numbers_that_are_not_quantities_are_not_grouped(kept: str) -> None:
    assert NNBSP not in french(kept)


def test_single_quotes_are_apostrophes_only_between_letters() -> None:
    assert french("'C'est l'été'") == "'C’est l’été'"
    (remark,) = remarks("Il a dit 'C'est l'été'.")
    assert remark.message == "apostrophes droites utilisées comme guillemets"
    assert remark.suggestion == "« C’est l’été »"


def test_no_false_double_space_before_an_e_mail_address() -> None:
    assert list(remarks("Écrire à secretariat@diplomatie.gouv.fr ou à a@b.fr.")) == []
    assert [r.message for r in remarks("Écrire  à a@b.fr")] == ["deux espaces de suite"]


def test_superscripts_are_endings_of_ordinals_and_mme() -> None:
    text = "le 1er avril, la 2e fois, Mme Martin, 3es assises, n° 12, n°s 3, un n° vert, https://x.fr/1er"
    assert [text[a:b] for a, b in superscripts(text)] == ["er", "e", "me", "es", "°", "°s"]
    assert superscripts("the 1st of April", "en") == []


def test_english_has_no_space_before_punctuation_but_binds_numbers() -> None:
    assert english("11 local authorities: yes!") == f"11{NBSP}local authorities: yes!"
    assert english("on 24 March 2021") == f"on 24{NBSP}March{NBSP}2021"


# --- in every output --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sentence_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    office = tmp_path_factory.mktemp("typo") / "bureau"
    shutil.copytree(EXAMPLE, office, ignore=shutil.ignore_patterns("build"))
    path = office / "communiques" / "budget.yaml"
    path.write_text(
        "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"
        "titre: Le 1er budget du plan grand froid\n"
        f"corps: |\n  {SENTENCE}\n\n  Mme Martin ouvre la 2e session (décision n° 12).\n"
        "  Écrire à ddt-consultation-ppa-agglomeration-lyonnaise-et-metropolitaine@rhone.gouv.fr\n"
        "contacts:\n  - {nom: Presse, telephone: '01 43 17 62 64'}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def outputs(sentence_office: Path) -> dict[str, bytes]:
    return render_file(sentence_office, ("pdf", "docx", "html"))


def test_html_has_the_spaces_and_real_superscripts(outputs: dict[str, bytes]) -> None:
    html = outputs["html"].decode()
    assert TYPESET in html
    root = lxml.html.document_fromstring(html)
    assert [s.text for s in root.iter("sup")] == ["er", "me", "e", "o"]
    title = root.find(".//h1")
    assert title is not None and title.text_content().endswith(f"grand{NBSP}froid")
    kept = [span.text for span in root.iterfind(".//span[@class='sans-cesure']")]
    assert "ddt-consultation-ppa-agglomeration-lyonnaise-et-metropolitaine@rhone.gouv.fr" in kept
    assert "Contact\u00a0:" in html and "Tél.\u00a0:" in html


def test_pdf_text_has_the_spaces(outputs: dict[str, bytes]) -> None:
    text = pdf_text(outputs["pdf"])
    for fragment in (
        f"12{NNBSP}500{NBSP}€",
        f"12,5{NBSP}%",
        f"1{NNBSP}250{NBSP}€",
        f"11{NBSP}collectivités",
        f"24{NBSP}mars{NBSP}2021",
        "Tél.\u00a0:",
    ):
        assert fragment in text, fragment


def test_pdf_sets_superscripts_smaller_and_raised(outputs: dict[str, bytes]) -> None:
    sizes: dict[str, float] = {}

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip() in ("er", "me", "o"):
            sizes.setdefault(text.strip(), size * tm[0])
        elif text.strip():
            sizes.setdefault("body", size * tm[0])

    PdfReader(io.BytesIO(outputs["pdf"])).pages[0].extract_text(visitor_text=visit)
    assert sizes["me"] < sizes["body"] and sizes["o"] < sizes["body"]  # « nᵒ 12 »


def test_docx_has_the_spaces_and_real_superscripts(outputs: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(outputs["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert TYPESET in text
    raised = [run.text for p in document.paragraphs for run in p.runs if run.font.superscript]
    assert raised == ["er", "me", "e", "o"]


def test_e_mail_bodies_have_the_spaces(sentence_office: Path, outputs: dict[str, bytes]) -> None:
    office = PressOffice.find(sentence_office)
    message = Composer(load(sentence_office, office), Theme.of(office), outputs["pdf"], Options())(
        None, NOW
    )
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    assert TYPESET in plain.get_content()
    assert "Le 1er\u00a0budget" in plain.get_content()  # plain text: on the line
    assert "décision n°\u00a012" in plain.get_content()
    root = lxml.html.document_fromstring(html.get_content())
    assert TYPESET in root.text_content()
    assert [s.text for s in root.iter("sup")] == ["er", "me", "e", "o"]


def test_an_e_mail_address_is_never_hyphenated(outputs: dict[str, bytes]) -> None:
    text = pdf_text(outputs["pdf"])
    assert "lyon‐" not in text and "lyonnaise-et-metropolitaine@rhone.gouv.fr" in text.replace(
        "\n", ""
    )


BROKEN_TITLE = "Le programme de revitalisation des petites villes Bourgs-centres de Bretagne"
"""Without the rule, this title's first line ends on « Bourgs- » (measured on the PDF)."""


def test_a_title_never_breaks_a_compound_at_its_hyphen(tmp_path: Path) -> None:
    import subprocess

    office = tmp_path / "bureau"
    shutil.copytree(EXAMPLE, office, ignore=shutil.ignore_patterns("build"))
    source = office / "communiques" / "titre.yaml"
    source.write_text(
        f"lieu: Paris\ndate: 2021-09-02\nemetteur: daect\ntitre: {BROKEN_TITLE}\n"
        "sous_titre: Auvergne-Rhône-Alpes\n",
        encoding="utf-8",
    )
    outputs = render_file(source, ("pdf", "docx", "html"))
    lines = [line.strip() for line in pdf_text(outputs["pdf"]).splitlines()]
    assert "Le programme de revitalisation des petites villes" in lines
    assert f"Bourgs-centres de{NBSP}Bretagne" in lines  # the compound whole, on one line
    if shutil.which("pdftotext"):
        (tmp_path / "titre.pdf").write_bytes(outputs["pdf"])
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "titre.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert "\nBourgs-centres de" in text and "Bourgs-\n" not in text
    html = lxml.html.fromstring(outputs["html"])
    assert [s.text for s in html.find_class("insecable")] == [
        "Bourgs-centres",
        "Auvergne-Rhône-Alpes",
    ]
    document = docx.Document(io.BytesIO(outputs["docx"]))
    title = next(p for p in document.paragraphs if p.text.startswith("Le programme"))
    assert title.text == f"{BROKEN_TITLE[:-9]}{NBSP}Bretagne"  # noBreakHyphen reads as "-"
    no_break = title._p.xpath(".//w:noBreakHyphen")
    assert len(no_break) == 1 and "-" not in "".join(t.text for t in title._p.xpath(".//w:t"))


LONG_WORDS = (
    "Les collectivités territoriales intercommunales bénéficient désormais "
    "d’accompagnements personnalisés, d’expérimentations territorialisées et de "
    "contractualisations pluriannuelles ; l’administration décentralisée encourage "
    "l’interministérialité, la déconcentration, la revitalisation commerciale, "
    "l’intercommunalité et la mutualisation des équipements départementaux des centres-bourgs."
)


def _broken_words(text: str) -> list[tuple[str, str]]:
    """(end of line, start of the next) for each line of `text` ending in a soft hyphen."""
    lines = text.splitlines()
    return [
        (line.split()[-1][:-1], after.split()[0].rstrip(",;."))
        for line, after in itertools.pairwise(lines)
        if line.endswith("\u00ad")
    ]


def test_a_word_hyphenated_at_a_line_end_is_copied_whole(tmp_path: Path) -> None:
    """ISO 32000-1 (14.8.2.2.3): in Tagged PDF, the hyphen of a word divided at a line end is
    a soft hyphen, U+00AD, which whoever reads the text removes to join the word; a typed
    hyphen stays U+002D. Read with pypdf and with pdftotext."""
    import re
    import subprocess

    office = tmp_path / "bureau"
    shutil.copytree(EXAMPLE, office, ignore=shutil.ignore_patterns("build"))
    source = office / "communiques" / "cesures.yaml"
    body = "\n\n  ".join([LONG_WORDS] * 3)
    source.write_text(
        f"lieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: Césures\ncorps: |\n  {body}\n",
        encoding="utf-8",
    )
    pdf = render_file(source, ("pdf",))["pdf"]
    words = set(re.findall(r"[\w’-]+", LONG_WORDS))
    texts = {"pypdf": pdf_text(pdf)}
    if shutil.which("pdftotext"):
        (tmp_path / "cesures.pdf").write_bytes(pdf)
        texts["pdftotext"] = subprocess.run(
            ["pdftotext", str(tmp_path / "cesures.pdf"), "-"], capture_output=True, text=True
        ).stdout
    for tool, text in texts.items():
        assert "\u2010" not in text, tool
        broken = _broken_words(text)
        assert len(broken) >= 3, tool
        assert all(head + tail in words for head, tail in broken), (tool, broken)
        joined = text.replace("\u00ad\n", "")
        assert "\u00ad" not in joined and "Les collectivités territoriales" in joined, tool
        assert joined.replace("-\n", "-").count("centres-bourgs") == 3, tool  # typed: kept
    if "pdftotext" not in texts:
        pytest.skip("pdftotext (poppler-utils) n’est pas installé : lu avec pypdf seulement")
