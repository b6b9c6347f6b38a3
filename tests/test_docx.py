"""The DOCX as Word lays it out: the PDF's table, header, footer, hyphenation and metadata,
read back from the XML parts (python-docx has no API for most of them)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import render_file
from long_communique import LAUREATES, long_outputs, write_office
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


@pytest.fixture(scope="module")
def long_docx(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return long_outputs(tmp_path_factory)["docx"]


def test_laureates_table_as_in_the_pdf(long_docx: bytes) -> None:
    body = part(long_docx, "word/document.xml")
    (table,) = body.findall(".//w:body/w:tbl", NS)
    widths = [int(c.get(f"{W}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    assert widths == [7824, 1814]  # 138 and 32 mm, as the PDF's columns
    rows = table.findall("w:tr", NS)
    assert len(rows) == LAUREATES + 1
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert rows[1].find("w:trPr/w:tblHeader", NS) is None
    borders = table.find("w:tblPr/w:tblBorders", NS)
    assert borders.find("w:insideV", NS).get(f"{W}val") == "nil"
    assert borders.find("w:insideH", NS).get(f"{W}val") == "single"
    styles = {p.get(f"{W}val") for p in table.findall(".//w:pStyle", NS)}
    assert styles == {"Cellule"}
    document = docx.Document(io.BytesIO(long_docx))
    assert document.styles["Cellule"].paragraph_format.space_after == 0


def test_header_puts_the_logo_beside_the_text_with_a_rule(long_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(long_docx))
    header = document.sections[0].first_page_header.part.element
    (table,) = header.findall("w:tbl", NS)
    logo_cell, text_cell = table.findall("w:tr/w:tc", NS)
    assert logo_cell.xpath(".//pic:pic")
    assert text_cell.find("w:tcPr/w:tcBorders/w:left", NS).get(f"{W}val") == "single"
    assert [p.get(f"{W}val") for p in text_cell.findall(".//w:pStyle", NS)][-1] == "Emetteur"


def test_footer_on_one_line_with_its_rule(long_docx: bytes) -> None:
    document = docx.Document(io.BytesIO(long_docx))
    footer = document.sections[0].footer.part.element
    assert footer[0].tag == f"{W}tbl", "the footer starts with its table, no empty paragraph"
    left, right = footer.findall("w:tbl/w:tr/w:tc", NS)
    assert "PAGE" in etree.tostring(right).decode() and "page" in "".join(right.itertext())
    assert "Délégation" in "".join(left.itertext())
    top = footer.find("w:tbl/w:tblPr/w:tblBorders/w:top", NS)
    assert top.get(f"{W}val") == "single"


def test_contacts_kept_with_what_precedes(long_docx: bytes) -> None:
    body = part(long_docx, "word/document.xml")
    paragraphs = body.findall("w:body/w:p", NS)
    heading = next(i for i, p in enumerate(paragraphs) if "Contact" in "".join(p.itertext()))
    assert paragraphs[heading - 1].find("w:pPr/w:keepNext", NS) is not None


def test_settings_hyphenation_compatibility_and_metadata(long_docx: bytes) -> None:
    settings = part(long_docx, "word/settings.xml")
    assert settings.find("w:autoHyphenation", NS) is not None
    assert settings.find("w:zoom", NS).get(f"{W}percent") == "100"
    mode = settings.xpath(
        "w:compat/w:compatSetting[@w:name='compatibilityMode']/@w:val", namespaces=NS
    )
    assert mode == ["15"]
    assert settings.find("w:themeFontLang", NS).get(f"{W}val") == "fr-FR"
    app = part(long_docx, "docProps/app.xml")
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.findtext(f"{ns}Application") == "communiques"
    assert app.findtext(f"{ns}AppVersion") == "00.0100"
    assert app.find(f"{ns}Words") is None
    fonts = part(long_docx, "word/fontTable.xml")
    chain = {f.get(f"{W}name"): f.find("w:altName", NS).get(f"{W}val") for f in fonts}
    assert chain == {"Liberation Sans": "Arial", "Arial": "Helvetica"}


def test_style_ids_are_ascii_and_links_use_the_builtin_style(long_docx: bytes) -> None:
    styles = part(long_docx, "word/styles.xml")
    ids = styles.xpath("w:style/@w:styleId", namespaces=NS)
    assert all(i.isascii() for i in ids) and "Chapo" in ids and "Hyperlink" in ids
    body = part(long_docx, "word/document.xml")
    assert set(body.xpath(".//w:hyperlink//w:rStyle/@w:val", namespaces=NS)) == {"Hyperlink"}


def test_english_edition_sets_the_theme_font_language(tmp_path: Path) -> None:
    source = write_office(tmp_path / "bureau", count=2)
    source.write_text(source.read_text("utf-8").replace("langue: fr", "langue: en"), "utf-8")
    settings = part(render_file(source, ("docx",))["docx"], "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(f"{W}val") == "en-GB"


def docx_of_body(office: Path, corps: str) -> Any:
    """The DOCX of a communiqué whose `corps` is `corps` (YAML block lines), read back."""
    path = office / "communiques" / "listes.yaml"
    path.write_text(
        "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: T\ncorps: |\n" + corps,
        encoding="utf-8",
    )
    return docx.Document(io.BytesIO(render_file(path, ("docx",))["docx"]))


def test_a_nested_list_is_written_once_after_its_item(office: Path) -> None:
    """Found by the fuzz strategies' nested lists: each nested item was also printed inside
    its parent item's paragraph."""
    document = docx_of_body(office, "  - Alpha\n    - Bravo\n      1. Charlie\n  - Delta\n")
    items = [
        (p.style.name, p.text.strip())
        for p in document.paragraphs
        if p.style.name.startswith("List")
    ]
    assert items == [
        ("List Bullet", "Alpha"),
        ("List Bullet", "Bravo"),
        ("List Number", "Charlie"),
        ("List Bullet", "Delta"),
    ]


def test_an_item_of_several_paragraphs_keeps_its_order(office: Path) -> None:
    """Found by `make fuzz`: in a loose list, an item's second paragraph came after the list
    nested between them (« A B A » written « A A B »)."""
    document = docx_of_body(office, "  Avant\n  - Un\n      - Deux\n\n\n\n      Trois\n\n  Après\n")
    texts = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    start = texts.index("Avant")
    assert texts[start : start + 5] == ["Avant", "Un", "Deux", "Trois", "Après"]


def test_code_inside_an_item_is_kept(office: Path) -> None:
    """Found by `make fuzz`: an indented code block inside a list item was dropped."""
    document = docx_of_body(office, "  Avant\n  - Un\n\n\n        - Deux\n\n  Après\n")
    texts = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    start = texts.index("Avant")
    assert texts[start : start + 4] == ["Avant", "Un", "- Deux", "Après"]
