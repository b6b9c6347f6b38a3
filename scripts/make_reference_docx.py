"""Builds templates/reference.docx, the Word styles every DOCX communiqué is made with.

Run it once after changing a style here (`python scripts/make_reference_docx.py`); a
communication team may instead edit templates/reference.docx in Word directly, keeping the
style names. It starts from python-docx's default template and strips what does not belong in
our outputs: the thumbnail, the 438 KB stylesWithEffects part, customXml, stale metadata,
revision ids, fonts nobody uses and a hundred unused table styles. Every element it adds is
put at its place in the schema's sequence (`wordml.put`): Word refuses elements out of order.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from lxml.etree import SubElement

from communiques.adapters.docx import load_as_xml
from communiques.render.wordml import borders, put, remove

TARGET = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
FONT = "Liberation Sans"  # the PDF's font; Arial, which has its metrics, stands in for it
# The font table's fallbacks, each font with the one Word takes when it is missing (altName),
# all in the "swiss" (sans-serif) family: Liberation Sans → Arial → Helvetica → sans-serif.
FONT_TABLE = (("Liberation Sans", "Arial"), ("Arial", "Helvetica"))
ARIAL_PANOSE = "020B0604020202020204"  # Liberation Sans has Arial's, as it has its metrics
# Our styles: (display name, shown in French in Word; ASCII id, which Word and tools key on).
STYLE_IDS = {
    "Tutelle": "Tutelle",
    "Émetteur": "Emetteur",
    "Lieu et date": "LieuEtDate",
    "Mention": "Mention",
    "Embargo": "Embargo",
    "Chapô": "Chapo",
    "Renvoi": "Renvoi",
    "Contact": "Contact",
    "Pagination": "Pagination",
    "Cellule": "Cellule",
}
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
    load_as_xml()
    document = docx.Document()
    _strip(document)
    styles = document.styles
    for style in list(styles):
        linked = style.name.removesuffix(" Char")
        if style.name not in KEEP and linked not in KEEP:
            style.element.getparent().remove(style.element)

    _defaults(document)
    _style(styles["Normal"], size=10.5, after=6, line=1.2, color=INK)
    put(styles["Normal"].element.get_or_add_pPr(), "w:widowControl")  # at least 2 lines
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
    contact = new(styles, "Contact", size=9.5, after=8, line=1.15)
    put(contact.element.get_or_add_pPr(), "w:keepLines")  # a contact is never broken
    new(styles, "Pagination", base="Footer", align=WD_ALIGN_PARAGRAPH.RIGHT)
    # The laureates' table: 9.5 pt, no space after, not hyphenated (as the PDF's cells).
    cell = new(styles, "Cellule", size=9.5, after=0, line=1.15)
    put(cell.element.get_or_add_pPr(), "w:suppressAutoHyphens")
    put(styles["Caption"].element.get_or_add_pPr(), "w:keepNext")
    # Word's built-in character style for links (shown as « Lien hypertexte » in French).
    link = styles.add_style("Hyperlink", 2, builtin=True)
    link.font.color.rgb, link.font.underline = ACCENT, True
    link.priority, link.unhide_when_used = 99, True

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(18), Mm(22)
    section.left_margin = section.right_margin = Mm(20)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    _settings(document)
    _font_table(document)
    _app_properties(document)

    TARGET.parent.mkdir(parents=True, exist_ok=True)
    document.save(TARGET)
    print(f"{TARGET} ({TARGET.stat().st_size} octets)", file=sys.stderr)


def _settings(document: docx.document.Document) -> None:
    """Word 2013+ layout (compatibility mode 15: no "compatibility mode" banner), French
    automatic hyphenation as in the PDF, a zoom Word accepts (`percent` is required), French
    separators, and none of the default template's revision ids or preview picture."""
    settings = document.settings.element
    put(settings, "w:zoom", {"percent": "100"})
    put(settings, "w:autoHyphenation")
    put(settings, "w:hyphenationZone", {"val": "357"})  # 0.63 cm, Word's default
    put(settings, "w:doNotHyphenateCaps")
    put(settings, "w:themeFontLang", {"val": "fr-FR"})
    put(settings, "w:decimalSymbol", {"val": ","})
    put(settings, "w:listSeparator", {"val": ";"})
    remove(settings, "w:rsids", "w:savePreviewPicture", "w:proofState")
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = put(settings, "w:compat")
    # Justified lines ending in a manual line break are not stretched (Word's own option);
    # its place in w:compat's sequence is before useFELayout.
    if compat.find(qn("w:doNotExpandShiftReturn")) is None:
        compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))
    for setting in compat.findall(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _font_table(document: docx.document.Document) -> None:
    """Only the fonts we use, each naming the one that stands in for it when missing."""
    fonts = _part(document, RT.FONT_TABLE).element
    for font in list(fonts):
        fonts.remove(font)
    for name, fallback in FONT_TABLE:
        font = OxmlElement("w:font", {qn("w:name"): name})
        fonts.append(font)
        put(font, "w:altName", {"val": fallback})
        put(font, "w:panose1", {"val": ARIAL_PANOSE})
        put(font, "w:charset", {"val": "00"})
        put(font, "w:family", {"val": "swiss"})
        put(font, "w:pitch", {"val": "variable"})


def _app_properties(document: docx.document.Document) -> None:
    """docProps/app.xml names us, not "Microsoft Macintosh Word" with zero words; each DOCX
    written gets the version too (render/docx.py)."""
    properties = _part(document, RT.EXTENDED_PROPERTIES).element
    namespace = properties.nsmap[None]
    for child in list(properties):
        properties.remove(child)
    for name, value in (("Application", "communiques"), ("DocSecurity", "0")):
        SubElement(properties, f"{{{namespace}}}{name}").text = value


def _part(document: docx.document.Document, reltype: str) -> Any:
    package = document.part.package
    for rels in (document.part.rels, package.rels):
        for rel in rels.values():
            if rel.reltype == reltype:
                return rel.target_part
    raise LookupError(reltype)


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
    style.style_id = STYLE_IDS[name]
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
    """1.5 pt rules in the accent colour, 4 pt from the text (as the PDF's `.mention`)."""
    rule = ("single", 12, "1F3A5F")
    borders(style.element.get_or_add_pPr(), "w:pBdr", dict.fromkeys(sides, rule), space=4)


if __name__ == "__main__":
    main()
