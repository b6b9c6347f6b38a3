"""No page holding only the contact block: kept with the paragraph before it when both fit
(the PDF's `break-before: avoid`, the DOCX's w:keepNext), whole, and no lone line
(widows and orphans of 2: CSS, Word's w:widowControl). Checked page by page on the text of
the PDF and of the DOCX as LibreOffice lays it out, on the 46-laureate communiqué and on
synthetic ones (bench/synthetic.py) of which, before, a third ended on such a page."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from conftest import render_file
from long_communique import long_outputs
from pictures import convert_without_liberation
from pypdf import PdfReader
from synthetic import generate
from test_docx import NS, part

SYNTHETIC = 12  # six of them ended on a page of contacts before the change


def page_texts(pdf: bytes) -> list[list[str]]:
    """The non-empty lines of each page, the running footer's two lines left out."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = [x.strip() for x in (page.extract_text() or "").splitlines() if x.strip()]
        pages.append([x for x in lines if not x.startswith(("Délégation", "57, boulevard"))
                      and "page " not in x])  # fmt: skip
    return pages


def contacts_alone(pdf: bytes) -> list[int]:
    """The pages (from 1) that begin with the contacts' heading."""
    return [n for n, lines in enumerate(page_texts(pdf), 1)
            if n > 1 and lines and lines[0].startswith("Contact")]  # fmt: skip


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, bytes]]:
    root = tmp_path_factory.mktemp("synthetic") / "bureau"
    return [render_file(p, ("pdf", "docx")) for p in generate(root, SYNTHETIC)]


def test_the_pdf_never_leaves_the_contacts_alone(
    synthetic: list[dict[str, bytes]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    several = [o for o in synthetic if len(PdfReader(io.BytesIO(o["pdf"])).pages) > 1]
    assert len(several) >= 6, "the synthetic set no longer has communiqués of several pages"
    for outputs in [*several, long_outputs(tmp_path_factory)]:
        assert contacts_alone(outputs["pdf"]) == []
        pages = page_texts(outputs["pdf"])
        assert all(len(lines) >= 2 for lines in pages), "a page holds a lone line"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_the_docx_never_leaves_the_contacts_alone(
    synthetic: list[dict[str, bytes]], tmp_path: Path
) -> None:
    several = [o for o in synthetic if len(PdfReader(io.BytesIO(o["pdf"])).pages) > 1][:4]
    for number, outputs in enumerate(several):
        folder = tmp_path / str(number)
        folder.mkdir()
        assert contacts_alone(convert_without_liberation(outputs["docx"], folder)) == []


def test_the_docx_keeps_the_contact_block_whole(tmp_path_factory: pytest.TempPathFactory) -> None:
    docx = long_outputs(tmp_path_factory)["docx"]
    paragraphs = part(docx, "word/document.xml").findall("w:body/w:p", NS)
    heading = next(i for i, p in enumerate(paragraphs) if "Contact" in "".join(p.itertext()))
    block = paragraphs[heading - 1 :]
    kept = [p.find("w:pPr/w:keepNext", NS) is not None for p in block]
    assert kept[0] and all(kept[2:-1]) and not kept[-1]  # [1] is the heading: by its style
    styles = part(docx, "word/styles.xml")
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    assert normal.find("w:pPr/w:widowControl", NS) is not None
