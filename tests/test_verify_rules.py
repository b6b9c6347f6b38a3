"""The `verify` registry, and one check of each part on a tiny PDF made here with pikepdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf

from communiques.errors import ERROR, WARNING
from communiques.verify import CHECKS, RULES, verify_pdf
from communiques.verify.context import PARTS

PACKAGE = Path(__file__).resolve().parent.parent / "communiques" / "verify"


def test_every_rule_reported_is_declared_and_every_rule_declared_is_checked() -> None:
    source = "\n".join(p.read_text("utf-8") for p in PACKAGE.glob("*.py") if "pdfua" not in p.name)
    reported = set(re.findall(r'c\.(?:add|note)\(\s*"([^"]+)"', source))
    reported |= set(re.findall(r'"(PDF/[^"|]+)\|', source))  # counted per page by content.py
    assert reported == set(RULES)
    assert all(level in (ERROR, WARNING) for level in RULES.values())


def test_checks_run_in_the_order_of_the_parts() -> None:
    parts = [check.part for check in CHECKS]
    assert parts == sorted(parts, key=PARTS.index)
    assert {"metadonnees", "arbre", "contenu", "polices", "graphismes"} <= set(parts)


def tiny(change: object = None, xmp: str = "") -> bytes:
    """A one-page PDF with a line drawn, `xmp` as its metadata, changed by `change(pdf)`."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"0 0 m 10 10 l S")
    if xmp:
        pdf.Root.Metadata = pdf.make_stream(xmp.encode())
    if callable(change):
        change(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def claims(part: int) -> str:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"><rdf:Description xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        f'pdfaid:part="{part}" pdfaid:conformance="U"/></rdf:RDF></x:xmpmeta>'
    )


def rules(data: bytes) -> dict[str, str]:
    return {f.rule: f.level for f in verify_pdf(data)}


def test_structure_an_untagged_page() -> None:
    found = rules(tiny())
    assert {"PDF/UA-1 6.2-1", "PDF/UA-1 7.1-11", "PDF/UA-1 7.2-33", "PDF/UA-1 7.1-8"} <= set(found)
    assert not any(rule.startswith("PDF/A") for rule in found)  # nothing claims PDF/A


def test_content_a_line_neither_tagged_nor_an_artifact() -> None:
    def tree(pdf: pikepdf.Pdf) -> None:
        pdf.Root.StructTreeRoot = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot)
        )

    (finding,) = [f for f in verify_pdf(tiny(tree)) if f.rule == "PDF/UA-1 7.1-3"]
    assert (finding.page, finding.message) == (
        1,
        "contenu ni balisé ni marqué comme artefact (1 fois)",
    )


def test_fonts_a_font_not_embedded() -> None:
    def font(pdf: pikepdf.Pdf) -> None:
        helvetica = pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
        pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica))

    assert rules(tiny(font))["PDF/UA-1 7.21.4.1-1"] == ERROR


def test_metadata_a_pdfa_part_not_checked_is_a_warning() -> None:
    found = rules(tiny(xmp=claims(1)))
    assert found["PDF/A 6.6.4"] == WARNING
    assert "PDF/A 6.2.5" not in found


def test_archival_a_transfer_function_in_pdfa_2() -> None:
    def transfer(pdf: pikepdf.Pdf) -> None:
        state = pikepdf.Dictionary(TR=pikepdf.Name.Identity)
        pdf.pages[0].Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(G0=state))

    assert rules(tiny(transfer, claims(2)))["PDF/A 6.2.5"] == ERROR
    assert "PDF/A 6.2.5" not in rules(tiny(transfer))  # a PDF/UA file may
