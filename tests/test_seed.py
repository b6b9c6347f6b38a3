"""The example press office regenerates the real communiqué of 19 April 2021, in both formats."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import ROOT, SEED_MARKDOWN, docx_text, normalise, pdf_text
from pypdf import PdfReader


def seed_sentences() -> list[str]:
    """Each line of the seed, Markdown removed, the original's typo "Annnonce" corrected, and
    the two faults of typography the tool now corrects (issue #14): « Tél. : » with its
    abbreviation point, and « Contacts : » over two contacts."""
    if not SEED_MARKDOWN.is_file():
        pytest.skip(f"seed file absent: {SEED_MARKDOWN}")
    text = SEED_MARKDOWN.read_text(encoding="utf-8").replace("Annnonce", "Annonce")
    text = text.replace("Tél:", "Tél. :").replace("**Contact :**", "**Contacts :**")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) → text
    lines = (re.sub(r"^#+\s*|\*\*", "", line).strip() for line in text.splitlines())
    return [normalise(line) for line in lines if line]


def test_the_seed_has_sentences_to_find() -> None:
    sentences = seed_sentences()
    assert len(sentences) >= 15
    assert "Paris, le 19 avril 2021" in sentences


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_sentence_of_the_seed_is_in_the_output(
    seed_outputs: dict[str, bytes], fmt: str
) -> None:
    text = normalise(
        pdf_text(seed_outputs["pdf"]) if fmt == "pdf" else docx_text(seed_outputs["docx"])
    )
    missing = [sentence for sentence in seed_sentences() if sentence not in text]
    assert not missing, f"absent du {fmt} : {missing}"
    assert "Annnonce" not in text


def test_pdf_and_docx_say_the_same_thing(seed_outputs: dict[str, bytes]) -> None:
    """Every DOCX paragraph is in the PDF and both have the same words (case is styling)."""
    pdf = normalise(pdf_text(seed_outputs["pdf"])).casefold()
    docx_paragraphs = [
        normalise(p).casefold() for p in docx_text(seed_outputs["docx"]).splitlines()
    ]
    docx_paragraphs = [p for p in docx_paragraphs if p and not p.startswith("page ")]
    assert docx_paragraphs
    assert [p for p in docx_paragraphs if p not in pdf] == []
    pagination = re.compile(r"page \d+ sur \d+")
    pdf_words = pagination.sub(" ", pdf).split()
    docx_words = " ".join(docx_paragraphs).split()
    assert sorted(pdf_words) == sorted(docx_words)


def test_pdf_metadata_language_and_page_footer(seed_outputs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(seed_outputs["pdf"]))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Annonce des lauréats au label EXPE-CT"
    assert meta.author == "Délégation pour l’action extérieure des collectivités territoriales"
    assert (
        meta.subject == "Programme de valorisation de l’expertise des collectivités territoriales"
    )
    assert meta["/CreationDate"].startswith("D:20210419")
    assert reader.trailer["/Root"]["/Lang"] == "fr-FR"
    pages = len(reader.pages)
    assert f"page {pages} sur {pages}" in normalise(reader.pages[-1].extract_text())


def test_pdf_embeds_only_the_shipped_liberation_fonts(seed_outputs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(seed_outputs["pdf"]))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not embedded"
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert fonts <= {"Liberation-Sans", "Liberation-Sans-Bold", "Liberation-Sans-Italic"}, fonts


def test_docx_metadata_styles_links_header_and_footer(seed_outputs: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(seed_outputs["docx"]))
    core = document.core_properties
    assert core.title == "Annonce des lauréats au label EXPE-CT"
    assert core.author == "Délégation pour l’action extérieure des collectivités territoriales"
    assert core.language == "fr-FR"
    assert core.created is not None and core.created.date().isoformat() == "2021-04-19"

    by_style = {p.style.name: p.text for p in document.paragraphs}
    assert by_style["Heading 1"] == "Annonce des lauréats au label\u00a0EXPE-CT"  # bound
    assert by_style["Lieu et date"] == "Paris, le 19\u00a0avril\u00a02021"
    assert by_style["Mention"] == "COMMUNIQUÉ DE PRESSE"
    assert by_style["Heading 2"] == "Contacts\u00a0:"  # two contacts
    assert "Contact" in by_style and "Subtitle" in by_style

    links = [(link.address, link.text) for p in document.paragraphs for link in p.hyperlinks]
    assert (
        "mailto:secretariat.dgm-aect@diplomatie.gouv.fr",
        "secretariat.dgm-aect@diplomatie.gouv.fr",
    ) in links
    assert ("tel:+33143176264", "01\u00a043\u00a017\u00a062\u00a064") in links
    texts = [text for address, text in links if address.startswith("https://")]
    assert texts == ["la liste des 11\u00a0lauréats au label EXPE-CT", "France Diplomatie"]

    section = document.sections[0]
    header = section.first_page_header
    header_xml = header.part.element
    assert header_xml.xpath(".//pic:pic"), "the logo is in the first-page header"
    assert "DAECT" in header_xml.xpath(".//wp:docPr/@descr")
    footer_xml = section.footer.part.element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml


def test_reference_docx_is_lean() -> None:
    names = zipfile.ZipFile(ROOT / "templates" / "reference.docx").namelist()
    assert not [
        n for n in names if "thumbnail" in n or "stylesWithEffects" in n or "customXml" in n
    ]
    assert (ROOT / "templates" / "reference.docx").stat().st_size < 20_000


def test_docx_is_byte_stable(seed_outputs: dict[str, bytes]) -> None:
    from conftest import SEED_COMMUNIQUE

    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    office = PressOffice.find(SEED_COMMUNIQUE)
    again = render(load(SEED_COMMUNIQUE, office), Theme.of(office), ("docx", "pdf"))
    assert again["docx"] == seed_outputs["docx"]
    assert again["pdf"] == seed_outputs["pdf"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_libreoffice_opens_the_docx(seed_outputs: dict[str, bytes], tmp_path: Path) -> None:
    source = tmp_path / "communique.docx"
    source.write_bytes(seed_outputs["docx"])
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = (tmp_path / "communique.pdf").read_bytes()
    text = normalise(pdf_text(converted))
    assert "Annonce des lauréats au label EXPE-CT" in text
    assert "Lors du comité de labellisation du 24 mars 2021" in text
