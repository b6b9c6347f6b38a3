"""WordprocessingML details that python-docx has no API for, written in the schema's order.

Word is strict about the order of the children of w:pPr, w:tblPr, w:sectPr, w:settings…
(each a sequence in ECMA-376): an element out of order makes it offer to "repair" the file.
So no element here is appended blindly: `put` places a child before the first sibling the
schema puts after it, as python-docx's own `insert_element_before` does for what it knows.
Shared by the DOCX writer and scripts/make_reference_docx.py.
"""

from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import SubElement

# The children of each sequence, in the order of ECMA-376 part 1 (transitional schema).
_PPR = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
)
_SETTINGS = (
    "writeProtection view zoom removePersonalInformation removeDateAndTime "
    "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
    "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
    "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges bordersDoNotSurroundHeader "
    "bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors hideGrammaticalErrors "
    "activeWritingStyle proofState formsDesign attachedTemplate linkStyles "
    "stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView "
    "trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection autoFormatOverride "
    "styleLockTheme styleLockQFSet defaultTabStop autoHyphenation consecutiveHyphenLimit "
    "hyphenationZone doNotHyphenateCaps showEnvelope summaryLength clickAndTypeStyle "
    "defaultTableStyle evenAndOddHeaders bookFoldRevPrinting bookFoldPrinting "
    "bookFoldPrintingSheets drawingGridHorizontalSpacing drawingGridVerticalSpacing "
    "displayHorizontalDrawingGridEvery displayVerticalDrawingGridEvery "
    "doNotUseMarginsForDrawingGridOrigin drawingGridHorizontalOrigin drawingGridVerticalOrigin "
    "doNotShadeFormData noPunctuationKerning characterSpacingControl printTwoOnOne "
    "strictFirstAndLastChars noLineBreaksAfter noLineBreaksBefore savePreviewPicture "
    "doNotValidateAgainstSchema saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText "
    "doNotDemarcateInvalidXml saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
    "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
    "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
    "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
    "decimalSymbol listSeparator"
)
_TBLPR = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption tblDescription "
    "tblPrChange"
)
_TCPR = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
)
_SECTPR = (
    "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
    "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
    "docGrid printerSettings sectPrChange"
)
_FONT = (
    "altName panose1 charset family notTrueType pitch sig embedRegular embedBold embedItalic "
    "embedBoldItalic"
)
_STYLE = (
    "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed "
    "qFormat locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr "
    "tblStylePr"
)
_BORDERS = "top start left bottom end right insideH insideV tl2br tr2bl between bar"
SEQUENCES: dict[str, tuple[str, ...]] = {
    name: tuple(order.split())
    for name, order in {
        "pPr": _PPR,
        "settings": _SETTINGS,
        "tblPr": _TBLPR,
        "tcPr": _TCPR,
        "sectPr": _SECTPR,
        "font": _FONT,
        "style": _STYLE,
        "pBdr": _BORDERS,
        "tblBorders": _BORDERS,
        "tcBorders": _BORDERS,
        "docDefaults": "rPrDefault pPrDefault",
        "trPr": "cantSplit trHeight tblHeader",  # a choice in the schema: any order is valid
    }.items()
}
_W = qn("w:pPr").split("}")[0] + "}"


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def put(parent: Any, tag: str, attributes: dict[str, str] | None = None) -> Any:
    """The child `tag` ("w:jc") of `parent`, replaced if present, otherwise inserted before
    the first sibling that the schema's sequence puts after it; `attributes` are w: ones."""
    child = OxmlElement(tag, {qn(f"w:{k}"): v for k, v in (attributes or {}).items()})
    existing = parent.find(qn(tag))
    if existing is not None:
        existing.addprevious(child)
        parent.remove(existing)
        return child
    order = SEQUENCES[local(parent.tag)]
    successors = set(order[order.index(local(child.tag)) + 1 :])
    for sibling in parent:
        if isinstance(sibling.tag, str) and local(sibling.tag) in successors:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def remove(parent: Any, *tags: str) -> None:
    for tag in tags:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


def borders(parent: Any, tag: str, sides: dict[str, tuple[str, int, str]], space: int = 0) -> Any:
    """A w:pBdr / w:tblBorders / w:tcBorders child of `parent`, with for each side its
    (style, width in eighths of a point, colour) and `space` points from the text; "nil" as
    style removes a side."""
    element = put(parent, tag)
    for side, (style, eighths, color) in sides.items():
        attributes = {"val": style} if style == "nil" else {
            "val": style, "sz": str(eighths), "space": str(space), "color": color
        }  # fmt: skip
        put(element, f"w:{side}", attributes)
    return element


# Names in lxml's {namespace}tag form, made once: the body is written element by element.
P, P_PR, P_STYLE = qn("w:p"), qn("w:pPr"), qn("w:pStyle")
R, R_PR, R_STYLE, T, BR = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:t"), qn("w:br")
B, ITALIC, HYPERLINK, FIELD = qn("w:b"), qn("w:i"), qn("w:hyperlink"), qn("w:fldSimple")
VAL, INSTR, R_ID, XML_SPACE = qn("w:val"), qn("w:instr"), qn("r:id"), qn("xml:space")
TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def run(
    parent: Any,
    text: str,
    bold: bool,
    italic: bool,
    style_id: str | None = None,
    *,
    superscript: bool = False,
    unbroken: bool = False,
) -> Any:
    """A w:r with its formatting and text, appended to `parent` at once: python-docx's
    `run.text` appends text one character at a time, which was a third of the DOCX time.
    Properties in the schema's order (rStyle, b, i, …, vertAlign). `unbroken`: its hyphens
    are w:noBreakHyphen, which Word draws with the font's hyphen and never breaks at."""
    element = SubElement(parent, R)
    if style_id or bold or italic or superscript:
        r_pr = SubElement(element, R_PR)
        if style_id:
            SubElement(r_pr, R_STYLE, {VAL: style_id})
        if bold:
            SubElement(r_pr, B)
        if italic:
            SubElement(r_pr, ITALIC)
        if superscript:  # « 1er », « Mme »: a real superscript, as Word's own button sets
            SubElement(r_pr, qn("w:vertAlign"), {VAL: "superscript"})
    pieces = text.split("-") if unbroken else [text]
    for index, piece in enumerate(pieces):
        if index:
            SubElement(element, qn("w:noBreakHyphen"))
        if piece:
            SubElement(element, T, {XML_SPACE: "preserve"}).text = piece
    return element


def field(paragraph: Any, instruction: str) -> None:
    """A field Word computes when it lays out the page (PAGE, NUMPAGES)."""
    element = SubElement(paragraph, FIELD, {INSTR: f" {instruction} \\* MERGEFORMAT "})
    SubElement(SubElement(element, R), T).text = "1"


def paragraph_properties(paragraph: Any) -> Any:
    properties = paragraph.find(P_PR)
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    return properties


def numbering(paragraph: Any, num_id: str) -> None:
    """Numbers the w:p `paragraph` with the w:num `num_id`, at the first level."""
    numbers = put(paragraph_properties(paragraph), "w:numPr")
    SubElement(numbers, qn("w:ilvl"), {VAL: "0"})
    SubElement(numbers, qn("w:numId"), {VAL: num_id})


def language(styles: Any, settings: Any, lang: str) -> None:
    """The language of every style (docDefaults), which Word's spelling checker, hyphenation
    and screen readers follow, and that of the theme's fonts: en-GB for the English edition,
    not the reference document's fr-FR."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = put(defaults, "w:rPrDefault")
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = SubElement(run_defaults, qn("w:rPr"))
    lang_element = properties.find(qn("w:lang"))
    if lang_element is None:
        lang_element = SubElement(properties, qn("w:lang"))  # w:rPr is a choice: any order
    lang_element.set(VAL, lang)
    put(settings, "w:themeFontLang", {"val": lang})


def table(widths_mm: list[float], caption: str | None) -> Any:
    """An empty w:tbl of fixed column widths with horizontal rules only (as the PDF's): no
    vertical rule, a thin rule under each row, no cell padding on the left."""
    tbl = OxmlElement("w:tbl")
    properties = SubElement(tbl, qn("w:tblPr"))
    put(properties, "w:tblW", {"w": twips(sum(widths_mm)), "type": "dxa"})
    borders(properties, "w:tblBorders", {
        "top": ("nil", 0, ""), "left": ("nil", 0, ""), "right": ("nil", 0, ""),
        "insideV": ("nil", 0, ""),
        "bottom": ("single", 3, "C8CDD2"), "insideH": ("single", 3, "C8CDD2"),
    })  # fmt: skip
    put(properties, "w:tblLayout", {"type": "fixed"})
    margins = put(properties, "w:tblCellMar")
    for side, mm in (("top", 1), ("left", 0), ("bottom", 1), ("right", 2)):
        SubElement(margins, qn(f"w:{side}"), {qn("w:w"): twips(mm), qn("w:type"): "dxa"})
    put(properties, "w:tblLook", {"val": "04A0", "firstRow": "1", "lastRow": "0",
                                  "firstColumn": "0", "lastColumn": "0", "noHBand": "1",
                                  "noVBand": "1"})  # fmt: skip
    if caption:
        # The table's title for assistive technology (Word's "Alt Text" of a table).
        put(properties, "w:tblCaption", {"val": caption[:255]})
    grid = SubElement(tbl, qn("w:tblGrid"))
    for width in widths_mm:
        SubElement(grid, qn("w:gridCol"), {qn("w:w"): twips(width)})
    return tbl


def row(tbl: Any, widths_mm: list[float], header: bool) -> list[Any]:
    """A w:tr appended to `tbl` that never splits across pages; a header row is repeated
    on each page (and announced as such) and ruled below in the accent colour. Returns the
    w:p of each cell."""
    tr = SubElement(tbl, qn("w:tr"))
    tr_pr = SubElement(tr, qn("w:trPr"))
    SubElement(tr_pr, qn("w:cantSplit"))
    if header:
        SubElement(tr_pr, qn("w:tblHeader"))
    paragraphs = []
    for width in widths_mm:
        tc = SubElement(tr, qn("w:tc"))
        tc_pr = SubElement(tc, qn("w:tcPr"))
        put(tc_pr, "w:tcW", {"w": twips(width), "type": "dxa"})
        if header:
            borders(tc_pr, "w:tcBorders", {"bottom": ("single", 8, "1F3A5F")})
        paragraphs.append(SubElement(tc, P))
    return paragraphs


def layout_table(widths_mm: list[float]) -> tuple[Any, list[Any]]:
    """A one-row borderless table that places blocks side by side (the header's logo and
    text), and its cells (w:tc), each to be filled with at least one w:p."""
    tbl = OxmlElement("w:tbl")
    properties = SubElement(tbl, qn("w:tblPr"))
    put(properties, "w:tblW", {"w": twips(sum(widths_mm)), "type": "dxa"})
    borders(properties, "w:tblBorders", {
        side: ("nil", 0, "") for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    })  # fmt: skip
    put(properties, "w:tblLayout", {"type": "fixed"})
    margins = put(properties, "w:tblCellMar")
    for side in ("left", "right"):
        SubElement(margins, qn(f"w:{side}"), {qn("w:w"): "0", qn("w:type"): "dxa"})
    put(properties, "w:tblLook", {"val": "0000"})
    grid = SubElement(tbl, qn("w:tblGrid"))
    for width in widths_mm:
        SubElement(grid, qn("w:gridCol"), {qn("w:w"): twips(width)})
    tr = SubElement(tbl, qn("w:tr"))
    cells = []
    for width in widths_mm:
        tc = SubElement(tr, qn("w:tc"))
        put(SubElement(tc, qn("w:tcPr")), "w:tcW", {"w": twips(width), "type": "dxa"})
        cells.append(tc)
    return tbl, cells


def cell_rule(tc: Any, side: str, eighths: int, color: str, padding_mm: float) -> None:
    """A rule on one side of the cell `tc` (the header's vertical rule), `padding_mm` from
    the text."""
    tc_pr = tc.find(qn("w:tcPr"))
    borders(tc_pr, "w:tcBorders", {side: ("single", eighths, color)})
    margins = put(tc_pr, "w:tcMar")
    SubElement(margins, qn(f"w:{side}"), {qn("w:w"): twips(padding_mm), qn("w:type"): "dxa"})
