"""The DOCX's page furniture and tables, drawn as the PDF draws them (assets/css/communique.css).

The header (logo beside the issuing body's hierarchy, after a vertical rule), the footer on
one line under its rule, pictures with their alternative text, and tables with the PDF's
column proportions and horizontal rules. Each function takes the writer (render/docx.py)
for what it shares: styles, paragraphs, inline content, where images may come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml.etree import SubElement
from lxml.html import HtmlElement

from ..adapters import docx as adapter
from ..errors import ResourceRefused
from . import wordml as w
from .docx_story import COLLAPSIBLE, Run, Story, Writer, end_story, strip_edges
from .resources import read

# The page's text width and the PDF's measures (assets/css/communique.css), in mm.
TEXT_WIDTH = 170.0
LOGO_HEIGHT, LOGO_GAP, RULE_PADDING = 22.0, 6.0, 4.0
PAGINATION_WIDTH = 30.0
# Column widths of a table by its class: None takes what the others leave.
COLUMNS_BY_CLASS: dict[str, tuple[float | None, ...]] = {"laureats": (None, 32.0)}


def header(writer: Writer, element: HtmlElement) -> None:
    """The logo, then the issuing body's hierarchy beside it after a vertical rule, at
    the top of the first page: a borderless table of two cells, as the PDF's flex box."""
    header = writer.first_header
    for block in list(header.element):
        header.element.remove(block)
    logo = element.find(".//img")
    text = [node for node in element.iter("p")]
    inline = None
    if logo is not None:
        paragraph = OxmlElement("w:p")
        inline = picture(writer, logo, paragraph, header, Mm(LOGO_HEIGHT))
    logo_width = inline.extent.cx / Mm(1) + LOGO_GAP if inline is not None else 0.0
    table, (logo_cell, text_cell) = w.layout_table([logo_width, TEXT_WIDTH - logo_width])
    header.add(table)
    if inline is not None:
        logo_cell.append(paragraph)
        SubElement(w.paragraph_properties(paragraph), w.P_STYLE,
                   {w.VAL: writer.style_id("Header")})  # fmt: skip
    else:
        SubElement(logo_cell, w.P)
    w.cell_rule(text_cell, "left", 10, "1F3A5F", RULE_PADDING)  # 1.2 pt, 4 mm from text
    for node in text:
        writer.paragraph(node, header, into=SubElement(text_cell, w.P))
    if not text:
        SubElement(text_cell, w.P)
    end_story(header)


def footer(writer: Writer, element: HtmlElement, footer: Story) -> None:
    """One line under a thin rule: the issuing body and its address on the left, « page
    X sur Y » on the right (a two-cell table; the PDF floats the pagination right)."""
    for block in list(footer.element):
        footer.element.remove(block)
    table, (left, right) = w.layout_table([TEXT_WIDTH - PAGINATION_WIDTH, PAGINATION_WIDTH])
    w.borders(table.find(qn("w:tblPr")), "w:tblBorders",
              {"top": ("single", 5, "C8CDD2")})  # fmt: skip
    footer.add(table)
    cells = {"pagination": right}
    for node in element.iter("p"):
        classes = node.get("class", "").split()
        cell = cells.get("pagination" if "pagination" in classes else "", left)
        writer.paragraph(node, footer, into=SubElement(cell, w.P))
    for cell in (left, right):
        if cell.find(w.P) is None:
            SubElement(cell, w.P)
    end_story(footer)


def picture(
    writer: Writer, element: HtmlElement, paragraph: Any, story: Story, height: int = Mm(20)
) -> Any:
    """Appends the image of `element` to the w:p `paragraph`; returns its w:inline."""
    from docx.image.exceptions import UnrecognizedImageError

    url = element.get("src", "")
    data, _ = read(url, writer.roots, writer.hosts, writer.fetched)
    run = SubElement(paragraph, w.R)
    try:
        inline = adapter.picture(story.part, data, height)
    except UnrecognizedImageError:
        raise ResourceRefused(f"image illisible : {url[:100]}") from None
    run.add_drawing(inline)
    name = Path(urlsplit(url).path).name or "image"  # as python-docx names a file's
    inline.xpath(".//pic:cNvPr")[0].set("name", name)
    doc_pr = inline.docPr
    doc_pr.set("descr", element.get("alt", ""))  # alternative text, for screen readers
    doc_pr.set("title", element.get("alt", ""))  # what older Word and LibreOffice show
    return inline


def table(writer: Writer, element: HtmlElement) -> None:
    """A table as the PDF draws it: its columns' proportions, horizontal rules only, no
    space after in cells, rows never split, the header row repeated on each page."""
    rows = [row for row in element.iter("tr")]
    if not rows:
        return
    caption = element.find("caption")
    caption_text = None
    if caption is not None:
        writer.paragraph(caption, writer.body, "Caption")
        caption_text = COLLAPSIBLE.sub(" ", caption.text_content()).strip()
    count = max(len(row.findall("th") + row.findall("td")) for row in rows)
    widths = column_widths(element.get("class", "").split(), count)
    table = writer.body.add(w.table(widths, caption_text))
    cell_style = writer.style_id("Cellule")
    for row_element in rows:
        header = row_element.getparent().tag == "thead"
        cells = [c for c in row_element if c.tag in ("th", "td")]
        for cell_element, paragraph in zip(cells, w.row(table, widths, header), strict=False):
            SubElement(SubElement(paragraph, w.P_PR), w.P_STYLE, {w.VAL: cell_style})
            writer.inline(cell_element, paragraph, writer.body, Run(bold=cell_element.tag == "th"))
            strip_edges(paragraph)


def column_widths(classes: list[str], count: int) -> list[float]:
    """Widths in mm: the table's class's, else equal columns over the text width."""
    declared = next((COLUMNS_BY_CLASS[c] for c in classes if c in COLUMNS_BY_CLASS), None)
    if declared is None or len(declared) != count:
        return [TEXT_WIDTH / count] * count
    fixed = sum(x for x in declared if x is not None)
    free = TEXT_WIDTH - fixed
    flexible = sum(1 for x in declared if x is None)
    return [x if x is not None else free / flexible for x in declared]
