"""Builds templates/reference.docx, the Word styles every DOCX communiqué is made with.

Run it once after changing a style here (`python scripts/make_reference_docx.py`); a
communication team may instead edit templates/reference.docx in Word directly, keeping the
style names. It starts from python-docx's default template and strips what does not belong in
our outputs: the thumbnail, the 438 KB stylesWithEffects part, customXml, stale metadata and
a hundred unused table styles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
FONT = "Arial"  # Liberation Sans, embedded in the PDF, has Arial's metrics
INK, ACCENT, MUTED = (
    RGBColor(0x1A, 0x1A, 0x1A),
    RGBColor(0x1F, 0x3A, 0x5F),
    RGBColor(0x5C, 0x66, 0x70),
)
KEEP = {
    "Normal", "Default Paragraph Font", "Normal Table", "No List", "Table Grid",
    "Heading 1", "Heading 2", "Heading 3", "Subtitle", "Body Text", "List Bullet",
    "List Number", "List Paragraph", "Header", "Footer", "Caption", "Strong", "Emphasis",
}  # fmt: skip


def main() -> None:
    document = docx.Document()
    _strip(document)
    styles = document.styles
    for style in list(styles):
        linked = style.name.removesuffix(" Char")
        if style.name not in KEEP and linked not in KEEP:
            style.element.getparent().remove(style.element)

    _defaults(document)
    _style(styles["Normal"], size=10.5, after=6, line=1.2, color=INK)
    _style(styles["Body Text"], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _style(styles["Heading 1"], size=17, bold=True, color=ACCENT, before=0, after=3)
    _style(styles["Heading 2"], size=11, bold=True, color=ACCENT, before=14, after=4)
    _style(styles["Heading 3"], size=10.5, bold=True, color=ACCENT, before=10, after=3)
    _style(styles["Subtitle"], size=12, bold=True, color=MUTED, after=18, italic=False)
    _style(styles["Caption"], size=9.5, bold=True, color=INK, after=3, italic=False)
    _style(styles["Header"], size=8.5, after=2, line=1.0)
    _style(styles["Footer"], size=7.5, color=MUTED, after=0, line=1.0)
    for name in ("List Bullet", "List Number"):
        _style(styles[name], after=3, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    new = _new_style
    new(styles, "Tutelle", base="Header", size=8.5, color=MUTED, caps=True, after=1)
    new(styles, "Émetteur", base="Header", size=9.5, bold=True, color=ACCENT, after=0)
    new(styles, "Lieu et date", align=WD_ALIGN_PARAGRAPH.RIGHT, before=12, after=18)
    mention = new(styles, "Mention", size=13, bold=True, color=ACCENT, after=18, before=4)
    mention.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _letter_spacing(mention, 30)
    _letter_spacing(styles["Subtitle"], 0)
    _borders(mention, ("top", "bottom"))
    new(
        styles,
        "Embargo",
        bold=True,
        color=RGBColor(0x8B, 0x1A, 0x1A),
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    new(styles, "Chapô", base="Body Text", bold=True, after=8)
    new(styles, "Renvoi", base="Body Text", bold=True)
    new(styles, "Contact", size=9.5, after=8, line=1.15)
    new(styles, "Pagination", base="Footer", align=WD_ALIGN_PARAGRAPH.RIGHT)
    link = styles.add_style("Lien hypertexte", 2)  # character style
    link.font.color.rgb, link.font.underline = ACCENT, True

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(18), Mm(22)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    # Justified lines ending in a manual line break are not stretched (Word's own option).
    compat = document.settings.element.find(qn("w:compat"))
    if compat is None:
        compat = OxmlElement("w:compat")
        document.settings.element.append(compat)
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))  # schema order: before useFELayout

    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(TARGET)
    print(f"{TARGET} ({TARGET.stat().st_size} octets)", file=sys.stderr)


def _strip(document: docx.document.Document) -> None:
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.rels.pop(rel_id)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            document.part.rels.pop(rel_id)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    core = document.core_properties
    core.author = core.last_modified_by = core.title = core.subject = core.keywords = ""
    core.comments = core.category = ""
    core.language = "fr-FR"
    core.revision = 1


def _defaults(document: docx.document.Document) -> None:
    """Arial and French in the document defaults, so every style, even new ones, inherits them."""
    r_pr = (
        document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    for old in r_pr.findall(qn("w:rFonts")) + r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "fr-FR")
    lang.set(qn("w:eastAsia"), "fr-FR")
    lang.set(qn("w:bidi"), "ar-SA")
    r_pr.insert(0, fonts)
    r_pr.append(lang)
    for style in document.styles:  # the default template's headings name theme fonts
        r_pr = style.element.rPr
        if r_pr is not None:
            for old in r_pr.findall(qn("w:rFonts")):
                r_pr.remove(old)


def _style(
    style: ParagraphStyle,
    *,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    caps: bool | None = None,
    color: RGBColor | None = None,
    before: float | None = None,
    after: float | None = None,
    line: float | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
) -> ParagraphStyle:
    font, paragraph = style.font, style.paragraph_format
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if caps is not None:
        font.all_caps = caps
    if color is not None:
        font.color.rgb = color
    if before is not None:
        paragraph.space_before = Pt(before)
    if after is not None:
        paragraph.space_after = Pt(after)
    if line is not None:
        paragraph.line_spacing = line
    if align is not None:
        paragraph.alignment = align
    return style


def _new_style(
    styles: docx.styles.styles.Styles, name: str, *, base: str = "Normal", **kwargs: object
) -> ParagraphStyle:
    style = styles.add_style(name, 1)
    style.base_style = styles[base]
    style.quick_style = True
    return _style(style, **kwargs)  # type: ignore[arg-type]


def _letter_spacing(style: ParagraphStyle, twentieths_of_point: int) -> None:
    r_pr = style.element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:spacing")):
        r_pr.remove(old)
    if twentieths_of_point:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(twentieths_of_point))
        r_pr.append(spacing)


def _borders(style: ParagraphStyle, sides: tuple[str, ...]) -> None:
    p_pr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        border = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "12"), ("space", "4"), ("color", "1F3A5F")):
            border.set(qn(f"w:{key}"), value)
        borders.append(border)
    p_pr.append(borders)


if __name__ == "__main__":
    main()
