"""One structure tree across pages (render/pagination.py) and the verify rules that would
have caught its absence (communiques/verify/pages.py), on a 46-laureate communiqué of three
pages and on a PDF of it made before the change (tests/tagging/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from long_communique import LAUREATES, long_outputs
from pdf_checks import elements, kids, kind, open_pdf, text_where

from communiques.verify import verify_pdf

BEFORE = Path(__file__).parent / "tagging" / "split-table-before-15.pdf"


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return long_outputs(tmp_path_factory)["pdf"]


def test_the_long_communique_has_three_pages(long_pdf: bytes) -> None:
    assert len(open_pdf(long_pdf).pages) == 3


def test_one_table_with_one_thead_and_every_row(long_pdf: bytes) -> None:
    pdf = open_pdf(long_pdf)  # kept open while its objects are read
    tree = [(kind(e), e) for e, _ in elements(pdf)]
    tables = [e for k, e in tree if k == "Table"]
    assert len(tables) == 1
    parts = [kind(k) for k in kids(tables[0])]
    assert parts.count("THead") == 1 and parts.count("TBody") == 1
    body = next(k for k in kids(tables[0]) if kind(k) == "TBody")
    assert len(kids(body)) == LAUREATES
    assert sum(1 for k, _ in tree if k == "TR") == LAUREATES + 1


def test_the_body_is_one_div(long_pdf: bytes) -> None:
    """The chapô's div (in the header block) and the body's: two, not one per page."""
    pdf = open_pdf(long_pdf)
    top = kids(pdf.Root.StructTreeRoot)[0]
    assert [kind(k) for k in kids(top)].count("Div") == 1


def test_the_repeated_header_is_a_pagination_artifact(long_pdf: bytes) -> None:
    tagged = text_where(long_pdf, lambda stack: not any(t == "/Artifact" for t, _ in stack))
    assert tagged.count("Catégorie") == 1
    artifacts = text_where(long_pdf, lambda stack: any(t == "/Artifact" for t, _ in stack))
    assert artifacts.count("Catégorie") == 1  # on page 2


def test_no_empty_structure_element(long_pdf: bytes) -> None:
    pdf = open_pdf(long_pdf)
    empty = [kind(e) for e, _ in elements(pdf) if not kids(e)]
    assert empty == []


def test_verify_is_clean_on_the_long_communique(long_pdf: bytes) -> None:
    assert [(d.rule, d.message) for d in verify_pdf(long_pdf)] == []


def test_verify_reports_the_split_table_of_a_pdf_made_before() -> None:
    findings = {(d.rule, d.page) for d in verify_pdf(BEFORE.read_bytes())}
    assert ("table-coupee", 2) in findings
    assert ("en-tete-repete", 2) in findings
    assert ("element-vide", 3) in findings


def test_strong_is_tagged_strong_and_role_mapped_to_span(seed_outputs: dict[str, bytes]) -> None:
    """« **promouvoir à l'international …** »: a Strong (a PDF 2.0 type, so mapped to Span
    for PDF/UA-1), never a NonStruct inside a paragraph; its text stays in the tree."""
    pdf = open_pdf(seed_outputs["pdf"])
    assert dict(pdf.Root.StructTreeRoot.RoleMap) == {"/Strong": "/Span"}
    tree = list(elements(pdf))
    strong = [e for e, _ in tree if kind(e) == "Strong"]
    assert strong and all(kids(e) for e in strong)
    in_paragraphs = [p for e, p in tree if kind(e) == "NonStruct" and p is not None]
    assert all(kind(p) not in ("P", "LBody", "TD") for p in in_paragraphs)
    html = seed_outputs["html"].decode()
    assert html.count("<strong") <= len(strong)  # one per fragment, a line each


def test_uppercased_ministries_are_read_in_mixed_case(seed_outputs: dict[str, bytes]) -> None:
    """The text layer says « MINISTÈRE DE L'EUROPE… » (CSS uppercase); the paragraph's
    /ActualText says it as written, so a screen reader does not spell it."""
    pdf = open_pdf(seed_outputs["pdf"])
    written = [str(e.ActualText) for e, _ in elements(pdf) if "/ActualText" in e]
    assert "Ministère de l’Europe et des Affaires étrangères" in written
    assert all(any(c.islower() for c in text) for text in written)
    glyphs = text_where(seed_outputs["pdf"], lambda stack: True)
    assert "MINISTÈRE DE L" in glyphs  # what it replaces
