"""Accessible outputs, read back from the files: a tagged PDF in every variant (structure,
language, title, logo, headings, links, table, artifacts, fonts) and an accessible DOCX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pdf_checks
import pikepdf
import pytest
from click.testing import CliRunner
from conftest import SEED_COMMUNIQUE, normalise, render_file
from lxml import etree
from pdf_checks import (
    LOGO_ALT,
    VARIANTS,
    elements,
    kids,
    kind,
    open_pdf,
    parent_tree,
    render_seed,
    text_where,
    untagged_pdf,
    xmp,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "Annonce des lauréats au label EXPE-CT"
TITLE_BOUND = TITLE.replace(" EXPE", "\u00a0EXPE")  # a title never ends on a lone word


@pytest.fixture
def variant_pdfs() -> dict[str, bytes]:
    return pdf_checks.variant_pdfs()


@pytest.fixture
def laureates_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return pdf_checks.laureates_outputs(tmp_path_factory)


def test_the_default_pdf_is_pdf_ua_1(seed_outputs: dict[str, bytes]) -> None:
    """No option needed: `build` publishes the tagged PDF/UA-1 file."""
    pdf = open_pdf(seed_outputs["pdf"])
    assert 'pdfuaid:part="1"' in xmp(pdf)
    assert "pdfaid:part" not in xmp(pdf)
    assert seed_outputs["pdf"] == render_seed("pdf/ua-1")["pdf"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_pdf_is_tagged_with_language_and_title_in_the_window(
    variant_pdfs: dict[str, bytes], variant: str
) -> None:
    pdf = open_pdf(variant_pdfs[variant])
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.get("/MarkInfo").get("/Suspects") in (None, False)
    assert str(root.Lang) == "fr-FR"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == TITLE
    tops = kids(root.StructTreeRoot)
    assert [kind(t) for t in tops] == ["Document"]
    assert all(element.P is not None for element, _ in elements(pdf))
    metadata = xmp(pdf)
    assert f'<rdf:li xml:lang="x-default">{TITLE}</rdf:li>' in metadata  # dc:title
    assert "<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li></rdf:Bag></dc:language>" in metadata
    assert 'pdfuaid:part="1"' in metadata
    for page in pdf.pages:
        assert page.Tabs == "/S"


@pytest.mark.parametrize(("variant", "part"), [("pdf/a-3u", "3"), ("pdf/a-2u", "2")])
def test_archival_variants_identify_themselves(
    variant_pdfs: dict[str, bytes], variant: str, part: str
) -> None:
    data = variant_pdfs[variant]
    pdf = open_pdf(data)
    metadata = xmp(pdf)
    assert f'pdfaid:part="{part}"' in metadata
    assert 'pdfaid:conformance="U"' in metadata
    # pdfuaid is no schema PDF/A knows: the file describes it (ISO 19005-2, 6.6.2.3).
    assert (
        "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>"
        in metadata
    )
    assert pdf.pdf_version == "1.7"
    assert not pdf.is_encrypted
    (intent,) = pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    assert intent.DestOutputProfile.N == 3  # RGB, as the colours of the page
    images = [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image"
    ]
    assert images
    assert all(image.get("/Interpolate") is not True for image in images)
    assert all("/SMask" not in image for image in images)  # the logo has no alpha
    for annotation in pdf.pages[0].Annots:
        assert int(annotation.F) & 4  # printable


def test_logo_is_a_figure_with_the_organisations_alternative_text(
    laureates_outputs: dict[str, bytes],
) -> None:
    pdf = open_pdf(laureates_outputs["pdf"])
    figures = [e for e, _ in elements(pdf) if kind(e) == "Figure"]
    assert [str(f.Alt) for f in figures] == [LOGO_ALT]
    x0, y0, x1, y1 = (float(v) for v in figures[0].A.BBox)
    assert x1 > x0 and y1 > y0


def test_seed_logo_alt_is_the_one_of_its_organisation_file(seed_outputs: dict[str, bytes]) -> None:
    pdf = open_pdf(seed_outputs["pdf"])
    assert [str(e.Alt) for e, _ in elements(pdf) if kind(e) == "Figure"] == ["DAECT"]


def test_headings_are_in_order(seed_outputs: dict[str, bytes]) -> None:
    pdf = open_pdf(seed_outputs["pdf"])
    headings = [kind(e) for e, _ in elements(pdf) if re.fullmatch(r"H\d?", kind(e))]
    assert headings == ["H1", "H2"]  # the title, then "Contact :"


def test_links_are_tagged_and_read_as_their_text(seed_outputs: dict[str, bytes]) -> None:
    pdf = open_pdf(seed_outputs["pdf"])
    parents = parent_tree(pdf)
    in_tree = {e.objgen for e, _ in elements(pdf)}
    described = {}
    for annotation in pdf.pages[0].Annots:
        assert annotation.Subtype == "/Link"
        element = parents[int(annotation.StructParent)]
        assert kind(element) == "Link" and element.objgen in in_tree
        assert any(
            isinstance(k, pikepdf.Dictionary)
            and k.get("/Type") == "/OBJR"
            and k.Obj.objgen == annotation.objgen
            for k in kids(element)
        )
        described[str(annotation.Contents)] = str(annotation.A.URI)
    assert described["France Diplomatie"].startswith("https://www.diplomatie.gouv.fr/")
    assert described["la liste des 11 lauréats au label EXPE-CT"].startswith("https://")
    assert described["secretariat.dgm-aect@diplomatie.gouv.fr"].startswith("mailto:")
    assert described["01 43 17 62 64"] == "tel:+33143176264"  # spaces as read aloud
    assert not [text for text in described if text.startswith(("http", "mailto:", "tel:"))]


def _is_pagination(stack: list[tuple[str, object]]) -> bool:
    return any(
        tag == "/Artifact" and isinstance(p, pikepdf.Dictionary) and p.get("/Type") == "/Pagination"
        for tag, p in stack
    )


def _is_tagged(stack: list[tuple[str, object]]) -> bool:
    return any(isinstance(p, pikepdf.Dictionary) and "/MCID" in p for _, p in stack)


@pytest.mark.parametrize("variant", VARIANTS)
def test_running_footer_is_a_pagination_artifact_and_the_rest_is_tagged(
    variant_pdfs: dict[str, bytes], variant: str
) -> None:
    data = variant_pdfs[variant]
    footer = normalise(text_where(data, _is_pagination))
    assert footer.startswith("page 1 sur 1")
    assert "57, boulevard des Invalides, 75007 Paris" in footer
    tagged = normalise(text_where(data, _is_tagged))
    assert "page 1 sur" not in tagged
    assert TITLE in tagged and "Contacts:" in tagged
    # Every text-showing operator is in one or the other: nothing is left unmarked.
    assert normalise(text_where(data, lambda s: not (_is_tagged(s) or _is_pagination(s)))) == ""
    # Each marked-content id belongs to an element reachable from the root of the tree.
    pdf = open_pdf(data)
    in_tree = {e.objgen for e, _ in elements(pdf)}
    mapping = parent_tree(pdf)[int(pdf.pages[0].StructParents)]
    for instruction in pikepdf.parse_content_stream(pdf.pages[0]):
        if str(instruction.operator) == "BDC" and "/MCID" in instruction.operands[1]:
            assert mapping[int(instruction.operands[1].MCID)].objgen in in_tree


def test_laureates_table_has_header_cells(laureates_outputs: dict[str, bytes]) -> None:
    pdf = open_pdf(laureates_outputs["pdf"])
    (table,) = [e for e, _ in elements(pdf) if kind(e) == "Table"]
    parts = [kind(k) for k in kids(table) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    assert parts == ["Caption", "THead", "TBody"]
    (head_row,) = kids(kids(table)[1])
    headers = [k for k in kids(head_row) if kind(k) == "TH"]
    assert len(headers) == 2
    assert all(h.A.Scope == "/Column" for h in headers)
    ids = {str(h.ID) for h in headers}
    rows = kids(kids(table)[2])
    assert len(rows) == 11  # one per laureate
    for row in rows:
        cells = kids(row)
        assert [kind(c) for c in cells] == ["TD", "TD"]
        assert all({str(x) for x in c.A.Headers} <= ids for c in cells)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_font_is_embedded_and_subset(variant_pdfs: dict[str, bytes], variant: str) -> None:
    pdf = open_pdf(variant_pdfs[variant])
    fonts = [font for page in pdf.pages for font in page.Resources.Font.values()]
    assert len(fonts) >= 2  # regular and bold
    for font in fonts:
        assert font.Subtype == "/Type0"
        (descendant,) = font.DescendantFonts
        program = descendant.FontDescriptor.get("/FontFile2")
        assert program is not None and len(program.read_bytes()) > 1000, font.BaseFont
        assert re.match(r"^[A-Z]{6}\+Liberation-?Sans", str(font.BaseFont)[1:]), font.BaseFont
        assert str(descendant.FontDescriptor.FontName) == str(font.BaseFont)
        assert "/ToUnicode" in font


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3u"])
def test_pdf_bytes_do_not_depend_on_the_time(variant: str) -> None:
    first = render_seed(variant)["pdf"]
    time.sleep(1.5)
    assert render_seed(variant)["pdf"] == first
    metadata = xmp(open_pdf(first))
    assert set(re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z?", metadata)) == {"2021-04-19T00:00:00Z"}


def test_variants_have_different_identifiers(variant_pdfs: dict[str, bytes]) -> None:
    identifiers = {bytes(open_pdf(data).trailer.ID[0]) for data in variant_pdfs.values()}
    assert len(identifiers) == len(VARIANTS)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_tagging_does_not_change_the_look(variant_pdfs: dict[str, bytes], tmp_path: Path) -> None:
    """Page 1 of each variant, rasterised, is pixel for pixel the untagged layout."""

    def page_one(data: bytes, name: str) -> bytes:
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                f"{name}.pdf",
                name,
            ],
            cwd=tmp_path,
            check=True,
        )
        from PIL import Image

        return Image.open(tmp_path / f"{name}.png").convert("RGB").tobytes()

    reference = page_one(untagged_pdf(), "sans-balises")
    for variant, data in variant_pdfs.items():
        assert page_one(data, variant.replace("/", "-")) == reference, variant


def test_render_pdf_refuses_an_unknown_variant() -> None:
    from communiques.render.pdf import render_pdf

    with pytest.raises(ValueError, match="variante PDF inconnue : pdf/x-4"):
        render_pdf("<html lang=fr></html>", (Path("."),), (Path("."),), variant="pdf/x-4")


def test_build_archive_and_pdf_variant_options(office: Path) -> None:
    from communiques.cli import main

    out = office / "build"
    runner = CliRunner()
    args = ["build", str(office / "communiques"), "--out", str(out), "--format", "pdf", "-j", "1"]
    result = runner.invoke(main, [*args, "--archive"])
    assert result.exit_code == 0, result.output
    pdf_path = out / f"{SEED_COMMUNIQUE.stem}.pdf"
    assert 'pdfaid:part="3"' in xmp(open_pdf(pdf_path.read_bytes()))
    # Another variant is another build, not an output "unchanged" from the last one.
    result = runner.invoke(main, [*args, "--pdf-variant", "pdf/a-2u"])
    assert result.exit_code == 0 and "1 construit(s)" in result.output, result.output
    assert 'pdfaid:part="2"' in xmp(open_pdf(pdf_path.read_bytes()))
    result = runner.invoke(main, args)
    assert "1 construit(s)" in result.output
    assert "pdfaid" not in xmp(open_pdf(pdf_path.read_bytes()))
    result = runner.invoke(main, [*args, "--archive", "--pdf-variant", "pdf/ua-1"])
    assert result.exit_code == 2
    assert "--archive (pdf/a-3u) contredit --variante-pdf pdf/ua-1" in result.output


# --- DOCX -------------------------------------------------------------------------------------


def _docx_part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def test_docx_headings_use_word_heading_styles(seed_outputs: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(seed_outputs["docx"]))
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [("Heading 1", TITLE_BOUND), ("Heading 2", "Contacts\u00a0:")]
    styles = _docx_part(seed_outputs["docx"], "word/styles.xml")
    for style_id, level in (("Heading1", "0"), ("Heading2", "1")):
        (style,) = styles.iterfind(f"{W}style[@{W}styleId='{style_id}']")
        assert style.find(f"{W}name").get(f"{W}val") == f"heading {int(level) + 1}"  # built in
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(f"{W}val") == level


def test_docx_language_is_set_on_styles(seed_outputs: dict[str, bytes], office: Path) -> None:
    styles = _docx_part(seed_outputs["docx"], "word/styles.xml")
    (lang,) = styles.iterfind(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "fr-FR"
    assert docx.Document(io.BytesIO(seed_outputs["docx"])).core_properties.language == "fr-FR"
    # The English edition is spell-checked and read in English.
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    source = office / "communiques" / "english.yaml"
    source.write_text(
        "langue: en\nlieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: {fr: Titre, en: Title}\n",
        encoding="utf-8",
    )
    pressoffice = PressOffice.find(source)
    english = render(load(source, pressoffice), Theme.of(pressoffice), ("docx",))["docx"]
    (lang,) = _docx_part(english, "word/styles.xml").iterfind(
        f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang"
    )
    assert lang.get(f"{W}val") == "en-GB"


def test_docx_logo_has_alternative_text(laureates_outputs: dict[str, bytes]) -> None:
    header = _docx_part(laureates_outputs["docx"], "word/header1.xml")
    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    (doc_pr,) = header.iter(f"{wp}docPr")
    assert doc_pr.get("descr") == LOGO_ALT
    assert doc_pr.get("title") == LOGO_ALT


def test_docx_laureates_table_has_a_header_row_and_a_title(
    laureates_outputs: dict[str, bytes],
) -> None:
    document = docx.Document(io.BytesIO(laureates_outputs["docx"]))
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Lauréat", "Catégorie"]
    header_flags = [row._tr.find(f"{W}trPr/{W}tblHeader") is not None for row in table.rows]
    assert header_flags == [True] + [False] * 11
    caption = table._tbl.tblPr.find(f"{W}tblCaption")
    assert caption is not None and caption.get(f"{W}val") == "Lauréats du label EXPE-CT"


def test_docx_hyperlinks_have_meaningful_text(seed_outputs: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(seed_outputs["docx"]))
    links = {}
    for part in (document.part, document.sections[0].first_page_header.part):
        for link in part.element.iter(f"{W}hyperlink"):
            text = "".join(t.text or "" for t in link.iter(f"{W}t"))
            links[text] = part.rels[
                link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
            ].target_ref
    assert links["France Diplomatie"].startswith("https://www.diplomatie.gouv.fr/")
    assert (
        links["anne-marie.reingold@diplomatie.gouv.fr"]
        == "mailto:anne-marie.reingold@diplomatie.gouv.fr"
    )
    assert all(text.strip() and not text.startswith(("http", "mailto:", "tel:")) for text in links)


def test_headings_of_a_body_follow_the_title_without_gaps(office: Path) -> None:
    """An author's `###` under the title would skip a level (RGAA 9.1, PDF/UA-1 7.4.2)."""
    from communiques.verify import verify_pdf

    path = office / "communiques" / "titres.yaml"
    path.write_text(
        "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: Titres\ncorps: |\n"
        "  ### Contexte\n\n  Texte.\n\n  ##### Détail\n\n  Texte.\n\n  ### Suite\n",
        encoding="utf-8",
    )
    outputs = render_file(path, ("html", "pdf", "docx"))
    html = outputs["html"].decode()
    assert re.findall(r"<(h\d)[ >]", html)[:4] == ["h1", "h2", "h3", "h2"]
    assert [f for f in verify_pdf(outputs["pdf"]) if f.rule.startswith("PDF/UA-1 7.4")] == []
    styles = [p.style.name for p in docx.Document(io.BytesIO(outputs["docx"])).paragraphs]
    body = [s for s in styles if s.startswith("Heading")]
    assert body[:4] == ["Heading 1", "Heading 2", "Heading 3", "Heading 2"]
