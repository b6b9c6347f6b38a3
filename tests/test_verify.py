"""`communiques verify`: our outputs pass in every variant; files broken on purpose, one rule
at a time (with pikepdf, or by WeasyPrint without our fixes), fail with the finding expected."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pdf_checks
import pikepdf
import pytest
from click.testing import CliRunner
from pdf_checks import VARIANTS, elements, kind, open_pdf, untagged_pdf

from communiques.errors import ERROR, WARNING, Diagnostic
from communiques.verify import verify_pdf


@pytest.fixture
def variant_pdfs() -> dict[str, bytes]:
    return pdf_checks.variant_pdfs()


def rules(findings: list[Diagnostic], level: str = ERROR) -> set[str]:
    return {f.rule for f in findings if f.level == level}


def broken(data: bytes, change: Callable[[pikepdf.Pdf], None]) -> bytes:
    """`data` changed by `change`, saved by pikepdf as it is (no metadata rewritten)."""
    pdf = open_pdf(data)
    change(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_passes(variant_pdfs: dict[str, bytes], variant: str) -> None:
    assert verify_pdf(variant_pdfs[variant]) == []


def test_the_default_build_and_the_laureates_table_pass(
    seed_outputs: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert verify_pdf(seed_outputs["pdf"]) == []
    assert verify_pdf(pdf_checks.laureates_outputs(tmp_path_factory)["pdf"]) == []


def test_an_untagged_pdf_fails() -> None:
    findings = verify_pdf(untagged_pdf())
    assert {
        "PDF/UA-1 7.1-11",  # no structure tree
        "PDF/UA-1 6.2-1",  # not marked
        "PDF/UA-1 7.1-8",  # no XMP metadata
        "PDF/UA-1 5-1",  # no PDF/UA identification
        "PDF/UA-1 7.1-10",  # the window shows the file name
        "PDF/UA-1 7.18.5-1",  # links outside any Link element
    } <= rules(findings)
    assert (
        "document.pdf: erreur: PDF/UA-1 7.1-11: pas d'arbre de structure (/StructTreeRoot) : "
        "PDF non balisé" in [str(f) for f in findings]
    )


def test_weasyprints_own_tagging_fails_where_we_complete_it() -> None:
    """What render.tagging adds is what WeasyPrint 70 alone misses: the running footer is
    tagged content left out of the tree, images ask for interpolation in PDF/A, the XMP
    of a PDF/A file does not say it is PDF/UA, and each <br> is an empty NonStruct."""
    from conftest import SEED_COMMUNIQUE
    from weasyprint import HTML

    from communiques.build import Theme
    from communiques.render.html import render_html
    from communiques.render.pdf import _theme
    from communiques.resolve import load
    from communiques.sources import PressOffice

    office = PressOffice.find(SEED_COMMUNIQUE)
    theme = Theme.of(office)
    html = render_html(load(SEED_COMMUNIQUE, office), theme.template_dirs)
    fetcher, stylesheet, fonts = _theme(theme.asset_dirs, theme.template_dirs)

    def weasyprint(variant: str) -> bytes:
        document = HTML(
            string=html, base_url=theme.asset_dirs[0].as_uri() + "/", url_fetcher=fetcher
        )
        data = document.write_pdf(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant=variant, pdf_tags=True
        )
        assert isinstance(data, bytes)
        return data

    ua = verify_pdf(weasyprint("pdf/ua-1"))
    assert rules(ua) == {"PDF/UA-1 7.1-3", "element-vide"}
    assert [f.message for f in ua if f.level == ERROR and f.rule != "element-vide"] == [
        "contenu balisé dont l'élément est hors de l'arbre (8 fois)"  # footer: 2 more spans
    ]
    assert rules(ua, WARNING) == {"XMP dc:language"}
    archive = verify_pdf(weasyprint("pdf/a-3u"))
    assert rules(archive) == {"PDF/UA-1 7.1-3", "PDF/UA-1 5-1", "PDF/A 6.2.8", "element-vide"}


def _without_font_programs(pdf: pikepdf.Pdf) -> None:
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            del font.DescendantFonts[0].FontDescriptor["/FontFile2"]


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u"])
def test_a_font_not_embedded_fails(variant_pdfs: dict[str, bytes], variant: str) -> None:
    findings = verify_pdf(broken(variant_pdfs[variant], _without_font_programs))
    expected = {"PDF/UA-1 7.21.4.1-1"} | ({"PDF/A 6.2.11.4.1"} if variant == "pdf/a-3u" else set())
    assert rules(findings) == expected
    assert any(f.message.startswith("police ") and "non embarquée" in f.message for f in findings)


def test_glyph_widths_not_those_of_the_font_fail(variant_pdfs: dict[str, bytes]) -> None:
    def wider(pdf: pikepdf.Pdf) -> None:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        widths = font.DescendantFonts[0].W
        first_list = next(w for w in widths if isinstance(w, pikepdf.Array))
        first_list[0] = int(first_list[0]) + 50

    findings = verify_pdf(broken(variant_pdfs["pdf/a-2u"], wider))
    assert rules(findings) == {"PDF/UA-1 7.21.5-1", "PDF/A 6.2.11.5"}


def test_a_logo_without_alternative_text_fails(variant_pdfs: dict[str, bytes]) -> None:
    def no_alt(pdf: pikepdf.Pdf) -> None:
        for element, _ in elements(pdf):
            if kind(element) == "Figure":
                del element["/Alt"]

    findings = verify_pdf(broken(variant_pdfs["pdf/ua-1"], no_alt))
    assert [str(f) for f in findings] == [
        "document.pdf: erreur: PDF/UA-1 7.3-1: image (/Figure) sans texte de remplacement (/Alt)"
    ]


def test_a_skipped_heading_level_fails(variant_pdfs: dict[str, bytes]) -> None:
    def h3(pdf: pikepdf.Pdf) -> None:
        for element, _ in elements(pdf):
            if kind(element) == "H2":
                element.S = pikepdf.Name("/H3")

    findings = verify_pdf(broken(variant_pdfs["pdf/ua-1"], h3))
    assert [f.message for f in findings] == ["niveau de titre sauté : /H1 suivi de /H3"]


def test_a_link_without_description_fails(variant_pdfs: dict[str, bytes]) -> None:
    def undescribed(pdf: pikepdf.Pdf) -> None:
        del pdf.pages[0].Annots[0]["/Contents"]

    findings = verify_pdf(broken(variant_pdfs["pdf/ua-1"], undescribed))
    assert [(f.rule, f.page) for f in findings] == [("PDF/UA-1 7.18.5-2", 1)]


def test_a_pdfa_file_without_the_pdfua_extension_schema_fails(
    variant_pdfs: dict[str, bytes],
) -> None:
    def no_schema(pdf: pikepdf.Pdf) -> None:
        packet = bytes(pdf.Root.Metadata.read_bytes())
        start = packet.index(b'<rdf:Description rdf:about="" xmlns:pdfaExtension')
        end = packet.index(b"</rdf:Description>", start) + len(b"</rdf:Description>")
        pdf.Root.Metadata.write(packet[:start] + packet[end:])

    findings = verify_pdf(broken(variant_pdfs["pdf/a-3u"], no_schema))
    assert rules(findings) == {"PDF/A 6.6.2.3.1"}
    assert "{http://www.aiim.org/pdfua/ns/id/}part" in findings[0].message


def test_encryption_fails_in_pdfa(variant_pdfs: dict[str, bytes]) -> None:
    pdf = open_pdf(variant_pdfs["pdf/a-3u"])
    buffer = io.BytesIO()
    pdf.save(buffer, encryption=pikepdf.Encryption(owner="o", user="", allow=pikepdf.Permissions()))
    assert "PDF/A 6.1.3" in rules(verify_pdf(buffer.getvalue()))


def test_transparency_without_output_intent_fails_in_pdfa(variant_pdfs: dict[str, bytes]) -> None:
    def transparent(pdf: pikepdf.Pdf) -> None:
        del pdf.Root["/OutputIntents"]
        resources = pdf.pages[0].Resources
        resources.ExtGState["/half"] = pikepdf.Dictionary(ca=0.5, BM=pikepdf.Name("/Dissolve"))

    findings = verify_pdf(broken(variant_pdfs["pdf/a-2u"], transparent))
    assert {"PDF/A 6.2.10", "PDF/A 6.2.4.3"} <= rules(findings)
    assert "mode de fusion non standard : /Dissolve" in [f.message for f in findings]


def test_a_damaged_file_is_reported(variant_pdfs: dict[str, bytes]) -> None:
    (finding,) = verify_pdf(b"rien qui ressemble a un PDF")
    assert finding.rule == "qpdf" and finding.message.startswith("fichier PDF illisible")
    truncated = variant_pdfs["pdf/ua-1"][:-200]  # the cross-reference table cut off
    assert "qpdf" in rules(verify_pdf(truncated))


def test_cli_verify(variant_pdfs: dict[str, bytes], tmp_path: Path) -> None:
    from communiques.cli import main

    good = tmp_path / "bon.pdf"
    good.write_bytes(variant_pdfs["pdf/a-3u"])
    bad = tmp_path / "non-balise.pdf"
    bad.write_bytes(untagged_pdf())
    runner = CliRunner()
    result = runner.invoke(main, ["verify", str(good)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{good}: aucune erreur trouvée\n"
    result = runner.invoke(main, ["verify", str(good), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: erreur: PDF/UA-1 7.1-11: " in result.output
    result = runner.invoke(main, ["verify", "--format", "json", str(bad)])
    assert result.exit_code == 1
    (report,) = json.loads(result.output)
    assert report["chemin"] == report["path"] == str(bad)  # "path": until the next release
    (marked,) = [f for f in report["constats"] if f["regle"] == "PDF/UA-1 6.2-1"]
    assert marked["niveau"] == "erreur" and marked["page"] is None
    assert marked["message"] == "le catalogue ne déclare pas un PDF balisé (/MarkInfo /Marked)"
