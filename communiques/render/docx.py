"""Rendered HTML → DOCX, each element mapped to a named style of templates/reference.docx.

The DOCX says what the PDF says because it is made from the same HTML. A communication team
restyles it by editing reference.docx in Word; this module only knows style names. All XML
details python-docx has no API for (hyperlinks, fields, header rows) live in `_xml` helpers
at the bottom, so the mapping above them reads as a description of the document.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import docx
import lxml.html
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from lxml.html import HtmlElement

from .resources import ResourceRefused, read

REFERENCE = "reference.docx"
# Class of an HTML element → Word paragraph style of reference.docx.
STYLE_BY_CLASS = {
    "tutelle": "Tutelle",
    "emetteur": "Émetteur",
    "lieu-date": "Lieu et date",
    "mention": "Mention",
    "embargo": "Embargo",
    "sous-titre": "Subtitle",
    "renvoi": "Renvoi",
    "contact": "Contact",
    "pied-emetteur": "Footer",
    "pagination": "Pagination",
}
STYLE_BY_TAG = {"h1": "Heading 1", "h2": "Heading 2", "h3": "Heading 3", "p": "Body Text"}
FIELD_BY_CLASS = {"page-courante": "PAGE", "pages": "NUMPAGES"}
_COLLAPSIBLE = re.compile(r"[ \t\r\n\f]+")  # HTML white space, never the no-break spaces
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Run:
    """Inline formatting in force while walking an element's content."""

    bold: bool = False
    italic: bool = False
    link: str | None = None


def render_docx(
    html: str,
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
    hosts: tuple[str, ...] = (),
) -> bytes:
    """Build the DOCX of a rendered communiqué; same input, same bytes. Images are read by
    the rule of the PDF (`resources.read`): same folders, same `hosts`."""
    reference = next(d / REFERENCE for d in template_dirs if (d / REFERENCE).is_file())
    document = docx.Document(str(reference))
    root = lxml.html.document_fromstring(html)
    writer = _Writer(document, (*asset_dirs, *template_dirs), hosts)
    writer.metadata(root)
    for element in root.body:
        writer.block(element)
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible_zip(buffer.getvalue())


class _Writer:
    def __init__(
        self, document: Document, roots: tuple[Path, ...], hosts: tuple[str, ...] = ()
    ) -> None:
        self.document = document
        self.roots = roots
        self.hosts = hosts
        section = document.sections[0]
        self.first_header = section.first_page_header
        self.footers = (section.first_page_footer, section.footer)
        self.link_style = document.styles["Lien hypertexte"].style_id
        self._style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        """Looked up once per name: python-docx's lookup scans every style each time."""
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def metadata(self, root: HtmlElement) -> None:
        meta = {m.get("name"): m.get("content", "") for m in root.iter("meta") if m.get("name")}
        core = self.document.core_properties
        core.title = _property((root.findtext(".//title") or "").strip())
        core.author = core.last_modified_by = _property(meta.get("author", ""))
        core.subject = _property(meta.get("description", ""))
        core.keywords = _property(meta.get("keywords", ""))
        core.language = root.get("lang", "fr-FR")
        _xml_language(self.document, core.language)
        core.revision = 1
        if created := meta.get("dcterms.created"):
            core.created = core.modified = dt.datetime.fromisoformat(created).replace(tzinfo=None)

    def block(self, element: HtmlElement, container: Any = None) -> None:
        """One block-level element, written into `container` (the body by default)."""
        container = container if container is not None else self.document
        tag, classes = element.tag, set(element.get("class", "").split())
        if tag == "header":
            self._header(element)
        elif tag == "footer":
            for footer in self.footers:
                for child in element:
                    self.block(child, footer)
        elif tag in ("div", "section", "main", "article"):
            for child in element:
                if "chapo" in classes and child.tag == "p":
                    self.paragraph(child, container, "Chapô")
                else:
                    self.block(child, container)
        elif tag in ("ul", "ol"):
            style = "List Bullet" if tag == "ul" else "List Number"
            for item in element.iter("li"):
                self.paragraph(item, container, style)
        elif tag == "table":
            self._table(element)
        elif tag == "img":
            self._picture(element, container.add_paragraph())
        elif isinstance(tag, str):
            self.paragraph(element, container)

    def paragraph(
        self, element: HtmlElement, container: Any, style: str | None = None
    ) -> Paragraph:
        classes = element.get("class", "").split()
        style = style or next((STYLE_BY_CLASS[c] for c in classes if c in STYLE_BY_CLASS), None)
        paragraph: Paragraph = container.add_paragraph()
        paragraph._p.style = self.style_id(style or STYLE_BY_TAG.get(element.tag, "Body Text"))
        self.inline(element, paragraph, Run())
        _strip_edges(paragraph)
        return paragraph

    def inline(self, element: HtmlElement, paragraph: Paragraph, run: Run) -> None:
        self.text(element.text, paragraph, run)
        for child in element:
            tag, classes = child.tag, child.get("class", "").split()
            if tag == "br":
                paragraph.add_run().add_break()
                self.text((child.tail or "").lstrip(), paragraph, run)
                continue
            elif field := next((FIELD_BY_CLASS[c] for c in classes if c in FIELD_BY_CLASS), None):
                _xml_field(paragraph, field)
            elif isinstance(tag, str):
                self.inline(child, paragraph, _styled(run, child))
            self.text(child.tail, paragraph, run)

    def text(self, text: str | None, paragraph: Paragraph, run: Run) -> None:
        if not text:
            return
        text = _COLLAPSIBLE.sub(" ", text)
        if run.link:
            _xml_hyperlink(paragraph, run.link, _xml_run(text, run, self.link_style))
        else:
            paragraph._p.append(_xml_run(text, run))

    def _header(self, element: HtmlElement) -> None:
        """The logo and the issuing body's hierarchy, at the top of the first page."""
        header = self.first_header
        for paragraph in header.paragraphs:
            paragraph._element.getparent().remove(paragraph._element)
        for node in element.iter("img", "p"):
            if node.tag == "img":
                paragraph = header.add_paragraph()
                paragraph._p.style = self.style_id("Header")
                self._picture(node, paragraph)
            else:
                self.paragraph(node, header)

    def _picture(self, element: HtmlElement, paragraph: Paragraph) -> None:
        from docx.image.exceptions import UnrecognizedImageError

        url = element.get("src", "")
        data, _ = read(url, self.roots, self.hosts)
        try:
            picture = paragraph.add_run().add_picture(io.BytesIO(data), height=Mm(20))
        except UnrecognizedImageError:
            raise ResourceRefused(f"image illisible : {url[:100]}") from None
        name = Path(urlsplit(url).path).name or "image"  # as python-docx names a file's
        picture._inline.xpath(".//pic:cNvPr")[0].set("name", name)
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", element.get("alt", ""))  # alternative text, for screen readers
        doc_pr.set("title", element.get("alt", ""))  # what older Word and LibreOffice show

    def _table(self, element: HtmlElement) -> None:
        rows = [row for row in element.iter("tr")]
        if not rows:
            return
        if (caption := element.find("caption")) is not None:
            self.paragraph(caption, self.document, "Caption")
        width = max(len(row.findall("th") + row.findall("td")) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width, style="Table Grid")
        if caption is not None:
            _xml_table_caption(table, _COLLAPSIBLE.sub(" ", caption.text_content()).strip())
        for row_element, row in zip(rows, table.rows, strict=True):
            cells = [c for c in row_element if c.tag in ("th", "td")]
            for cell_element, cell in zip(cells, row.cells, strict=False):
                paragraph = cell.paragraphs[0]
                self.inline(cell_element, paragraph, Run(bold=cell_element.tag == "th"))
                _strip_edges(paragraph)
            if row_element.getparent().tag == "thead":
                _xml_header_row(row)


def _styled(run: Run, element: HtmlElement) -> Run:
    tag = element.tag
    if tag in ("strong", "b"):
        return replace(run, bold=True)
    if tag in ("em", "i"):
        return replace(run, italic=True)
    if tag == "a" and element.get("href"):
        return replace(run, link=element.get("href"))
    return run


def _property(text: str) -> str:
    """Word's document properties hold 255 characters; a longer title is cut, not fatal."""
    return text if len(text) <= 255 else text[:254] + "…"


def _strip_edges(paragraph: Paragraph) -> None:
    """HTML ignores white space at the edges of a block; so must Word."""
    texts = list(_text_nodes(paragraph))
    if texts:
        texts[0].text = texts[0].text.lstrip(" ")
        texts[-1].text = texts[-1].text.rstrip(" ")


def _text_nodes(paragraph: Paragraph) -> Iterator[Any]:
    yield from paragraph._p.iter(qn("w:t"))


def _xml_run(text: str, run: Run, style_id: str | None = None) -> Any:
    """A w:r with its formatting and text, built at once: python-docx's `run.text` appends
    text one character at a time, which was a third of the DOCX time."""
    element = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    if style_id:
        r_pr.append(OxmlElement("w:rStyle", {qn("w:val"): style_id}))
    for flag, on in (("w:b", run.bold), ("w:i", run.italic)):
        if on:
            r_pr.append(OxmlElement(flag))
    if len(r_pr):
        element.append(r_pr)
    t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
    t.text = text
    element.append(t)
    return element


def _xml_hyperlink(paragraph: Paragraph, url: str, run: Any) -> None:
    """A real Word hyperlink (w:hyperlink with an external relationship), mailto: included."""
    rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink", {qn("r:id"): rel_id})
    link.append(run)
    paragraph._p.append(link)


def _xml_field(paragraph: Paragraph, instruction: str) -> None:
    """A field Word computes when it lays out the page (PAGE, NUMPAGES)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} \\* MERGEFORMAT ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    field.append(run)
    paragraph._p.append(field)


def _xml_language(document: Document, language: str) -> None:
    """The language of every style (docDefaults), which Word's spelling checker and screen
    readers follow: en-GB for the English edition, not the reference document's fr-FR."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    lang = properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        properties.append(lang)
    lang.set(qn("w:val"), language)


def _xml_table_caption(table: Any, caption: str) -> None:
    """The table's title for assistive technology (Word's "Alt Text" of a table)."""
    table_properties = table._tbl.tblPr
    element = OxmlElement("w:tblCaption", {qn("w:val"): caption[:255]})
    # Its place in w:tblPr is after the layout and look of the table (ECMA-376 §17.4.60).
    table_properties.append(element)


def _xml_header_row(row: Any) -> None:
    """Marks a table row as a header row, repeated on each page and announced by screen readers."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))


def _reproducible_zip(data: bytes) -> bytes:
    """python-docx stamps every zip entry with the current time; fix it so bytes are stable."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()
