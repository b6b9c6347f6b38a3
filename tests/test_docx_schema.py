"""Every DOCX we make is valid against the ECMA-376 transitional schemas, part by part.

Word offers to "repair" a file whose XML breaks the schema (an element out of order in
w:pPr, a required attribute missing) and may drop what it cannot place; LibreOffice and
python-docx accept such files silently, so only this check catches it.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, render_file
from long_communique import long_outputs, write_office
from lxml import etree
from ooxml import schema_errors, without_ignorable

REFERENCE = ROOT / "templates" / "reference.docx"


def test_the_reference_document_is_schema_valid() -> None:
    assert schema_errors(REFERENCE.read_bytes()) == []


def test_the_example_docx_is_schema_valid(seed_outputs: dict[str, bytes]) -> None:
    assert schema_errors(seed_outputs["docx"]) == []


def test_a_long_communique_with_table_and_lists_is_schema_valid(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    docx = long_outputs(tmp_path_factory)["docx"]
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = archive.read("word/document.xml")
    assert b"<w:tbl>" in document and b"<w:numPr>" in document  # what this test is about
    assert schema_errors(docx) == []


def test_an_english_edition_with_an_embargo_is_schema_valid(tmp_path: Path) -> None:
    source = write_office(tmp_path / "bureau", count=3)
    text = source.read_text(encoding="utf-8").replace("langue: fr", "langue: en")
    source.write_text(text + "embargo: 2021-04-19T10:00:00+02:00\n", encoding="utf-8")
    docx = render_file(source, ("docx",))["docx"]
    assert schema_errors(docx) == []


def test_the_check_finds_an_element_out_of_order() -> None:
    """The validator itself: a w:pBdr after w:jc (what reference.docx once had) is reported."""
    with zipfile.ZipFile(io.BytesIO(REFERENCE.read_bytes())) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    styles = etree.fromstring(files["word/styles.xml"])
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    mention = styles.find(f"{w}style[@{w}styleId='Mention']")
    assert mention is not None, "the Mention style is no longer found by this test"
    borders = mention.find(f"{w}pPr/{w}pBdr")
    borders.getparent().append(borders)  # after w:jc, as `append` once put it
    wrong = etree.tostring(styles)
    files["word/styles.xml"] = wrong
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    errors = schema_errors(buffer.getvalue())
    assert any(e.startswith("word/styles.xml:") and "pBdr" in e for e in errors), errors


def test_ignorable_namespaces_are_removed_before_validation() -> None:
    root = etree.fromstring(
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        b' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        b' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14">'
        b'<w:body><w:p w14:paraId="1"><w14:x/></w:p></w:body></w:document>'
    )
    cleaned = etree.tostring(without_ignorable(root))
    assert b"w14:" not in cleaned.replace(b"xmlns:w14", b"") and b"Ignorable" not in cleaned
