"""Each library internal the adapters use, checked on the installed version: after an upgrade,
a failure here names what moved, instead of a wrong document somewhere else."""

from __future__ import annotations

import importlib
import io
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import ROOT

from communiques.adapters import docx as docx_adapter
from communiques.adapters import weasyprint as weasyprint_adapter


def require(condition: Any, internal: str) -> None:
    if not condition:
        pytest.fail(f"library internal moved or changed: {internal} (see communiques/adapters/)")


def test_python_docx_content_types_item() -> None:
    from docx.opc import pkgwriter

    require(hasattr(pkgwriter, "_ContentTypesItem"), "docx.opc.pkgwriter._ContentTypesItem")
    document = docx.Document(str(ROOT / "templates" / "reference.docx"))
    xml = docx_adapter.content_types_xml(document.part.package.parts)
    require(b"wordprocessingml.document.main+xml" in xml, "_ContentTypesItem.from_parts().blob")


def test_python_docx_before_marshal() -> None:
    from docx.opc.part import Part

    require(callable(getattr(Part, "before_marshal", None)), "docx.opc.part.Part.before_marshal")


def test_python_docx_numbering() -> None:
    from docx.oxml.numbering import CT_Numbering

    for name in ("num_having_numId", "add_num"):
        require(hasattr(CT_Numbering, name), f"docx.oxml.numbering.CT_Numbering.{name}")
    document = docx.Document(str(ROOT / "templates" / "reference.docx"))
    style = document.styles["List Number"].element
    numbering = document.part.numbering_part.element
    own = docx_adapter.restarted_numbering(numbering, style.pPr.numPr.numId.val, 7)
    require(own is not None, "CT_Numbering.num_having_numId on List Number's numId")
    require(
        numbering.xpath(f"w:num[@w:numId='{own}']//w:startOverride/@w:val") == ["7"],
        "CT_Num.add_lvlOverride().add_startOverride()",
    )


def test_python_docx_picture_inline() -> None:
    from docx.shared import Mm

    document = docx.Document(str(ROOT / "templates" / "reference.docx"))
    logo = (ROOT / "examples" / "daect" / "assets" / "logos").glob("*.png")
    data = next(logo).read_bytes()
    inline = docx_adapter.picture(document.part, data, Mm(22))
    require(inline.extent.cy == Mm(22), "docx.parts.story.StoryPart.new_pic_inline")


def test_python_docx_part_factory_loads_xml_parts() -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    docx_adapter.load_as_xml()
    document = docx.Document(str(ROOT / "templates" / "reference.docx"))
    fonts = next(r.target_part for r in document.part.rels.values() if r.reltype == RT.FONT_TABLE)
    require(hasattr(fonts, "element"), "docx.opc.part.PartFactory.part_type_for")


@pytest.fixture(scope="module")
def laid_out() -> Any:
    from communiques.render.pdf import _theme, import_weasyprint

    import_weasyprint()
    from weasyprint import HTML

    from communiques.build import Theme
    from communiques.sources import PressOffice

    theme = Theme.of(PressOffice.find(ROOT / "examples" / "daect" / "communiques"))
    fetcher, stylesheet, fonts = _theme(theme.asset_dirs, theme.template_dirs)
    html = (
        '<html lang="fr"><body><p id="texte">Un <a href="https://example.org/">lien</a></p>'
        '<table><tr><th scope="col">A</th></tr></table></body></html>'
    )
    document = HTML(string=html, url_fetcher=fetcher)
    return document.render(stylesheets=[stylesheet], font_config=fonts, pdf_tags=True)


def test_weasyprint_page_box(laid_out: Any) -> None:
    page = laid_out.pages[0]
    require(hasattr(page, "_page_box"), "weasyprint.document.Page._page_box")
    tags = {weasyprint_adapter.html_tag(box) for box in weasyprint_adapter.boxes(page)}
    require({"p", "a", "th"} <= tags, "weasyprint box.element_tag")


def test_weasyprint_link_annotation(laid_out: Any) -> None:
    """WeasyPrint sets `link_annotation` on a link's box and `mark` (its structure
    element) on a table cell's when it writes a tagged PDF."""
    seen: list[Any] = []

    def finisher(document: Any, pdf: Any) -> None:
        for box in weasyprint_adapter.boxes(document.pages[0]):
            if weasyprint_adapter.html_tag(box) == "a":
                seen.append(weasyprint_adapter.link_annotation(box))
            if weasyprint_adapter.html_tag(box) == "th":
                seen.append(weasyprint_adapter.structure_element(box))

    laid_out.write_pdf(io.BytesIO(), pdf_tags=True, finisher=finisher)
    require(seen and seen[0] is not None, "weasyprint box.link_annotation")
    require(any(s is not None and "S" in s for s in seen[1:]), "weasyprint box.mark (TH)")


def test_weasyprint_anchors_are_rectangles(laid_out: Any) -> None:
    rectangle = weasyprint_adapter.anchor_rectangle(laid_out.pages[0], "texte")
    require(rectangle is not None, "weasyprint Page.anchors (an element's id)")
    assert rectangle is not None
    x1, y1, x2, y2 = rectangle
    require(x2 > x1 and y2 > y1, "weasyprint Page.anchors as (x1, y1, x2, y2)")


def test_weasyprint_records_every_box_s_structure_element(laid_out: Any) -> None:
    """`record_structure_elements` wraps `weasyprint.pdf.tags._build_box_tree`: after it,
    a paragraph's box knows its /P and a link's its /Link."""
    from weasyprint.pdf import tags

    require(callable(getattr(tags, "_build_box_tree", None)), "weasyprint.pdf.tags._build_box_tree")
    weasyprint_adapter.record_structure_elements()
    seen: dict[str, Any] = {}

    def finisher(document: Any, pdf: Any) -> None:
        for box in weasyprint_adapter.boxes(document.pages[0]):
            element = weasyprint_adapter.structure_element(box)
            seen.setdefault(weasyprint_adapter.html_tag(box) or "", element)

    laid_out.write_pdf(io.BytesIO(), pdf_tags=True, finisher=finisher)
    require(seen.get("p") is not None and seen["p"]["S"] == "/P", "_build_box_tree yields /P")
    require(seen.get("a") is not None and seen["a"]["S"] == "/Link", "_build_box_tree (/Link)")
    require(seen.get("html") is None, "html, body and page boxes make no element")
    require(weasyprint_adapter.text_transform(laid_out.pages[0]._page_box) == "none",
            "weasyprint box.style['text_transform']")  # fmt: skip


def test_click_binds_gettext_in_each_module_the_adapter_rebinds() -> None:
    """Each click module that translates imports `_` (and `ngettext`) from gettext by name:
    the adapter rebinds exactly those; a module added or renamed by a new click is named."""
    import click

    from communiques.adapters import click as click_adapter

    folder = Path(click.__file__).parent
    translating = {
        f"click.{path.stem}"
        for path in folder.glob("*.py")
        if "from gettext import gettext as _" in path.read_text(encoding="utf-8")
    } - {"click._winconsole", "click._termui_impl"}
    require(
        translating == set(click_adapter.MODULES), f"click's modules using gettext: {translating}"
    )
    french = click_adapter.speak_french()
    for name in click_adapter.MODULES:
        module = importlib.import_module(name)
        require(module._ == french.gettext, f"{name}._")


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_weasyprint_images_encoded_once(mode: str, tmp_path: Any) -> None:
    """With adapters.weasyprint.image_cache, a second document drawing the same image makes
    the same PDF with no Pillow encoding (WeasyPrint's `RasterImage.get_x_object` encodes
    again for each document), the soft mask of a transparent image included."""
    from communiques.render.pdf import import_weasyprint

    import_weasyprint()
    from PIL import Image
    from weasyprint import HTML

    logo = tmp_path / "logo.png"
    Image.new(mode, (40, 20), (200, 30, 60, 128)[: len(mode)]).save(logo)
    html = f'<p>Texte</p><img src="{logo.as_uri()}">'

    def pdf(cache: dict[str, Any]) -> bytes:
        data = HTML(string=html).write_pdf(cache=cache, pdf_identifier=b"0" * 32)
        assert isinstance(data, bytes)
        return data

    expected = [pdf({}), pdf({})]
    encodes: list[str] = []
    save = Image.Image.save
    Image.Image.save = lambda self, *a, **k: (encodes.append(self.mode), save(self, *a, **k))[1]
    try:
        cache = weasyprint_adapter.image_cache()
        first = pdf(cache)
        encoded_first = len(encodes)
        second = pdf(cache)
    finally:
        Image.Image.save = save
    require(encoded_first > 0, "weasyprint RasterImage.get_x_object encodes with Pillow")
    assert [first, second] == expected
    assert len(encodes) == encoded_first, "the image was encoded again for the second PDF"
    if mode == "RGBA":
        require(b"/SMask" in first, "weasyprint RasterImage.get_x_object: SMask in extra")


def test_pydyf_compression_level() -> None:
    """pydyf compresses streams through its module's `zlib.compressobj`, which
    adapters.weasyprint.set_compression_level replaces."""
    import zlib

    import pydyf

    from communiques.render.pdf import import_weasyprint

    import_weasyprint()
    raw = b"".join(b"BT /F1 12 Tf %d 700 Td (Texte) Tj ET\n" % n for n in range(500))
    data = pydyf.Stream([raw], compress=True).data
    level = weasyprint_adapter.COMPRESSION_LEVEL
    require(zlib.compress(raw, level) in data, "pydyf.Stream.data through pydyf.zlib")
    assert zlib.compress(raw, level) != zlib.compress(raw, 9)
