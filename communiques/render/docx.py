"""Rendered HTML → DOCX, each element mapped to a named style of templates/reference.docx.

The DOCX says what the PDF says because it is made from the same HTML. A communication team
restyles it by editing reference.docx in Word; this module only knows style names. All XML
details python-docx has no API for (hyperlinks, fields, header rows) live in `_xml` helpers
at the bottom, so the mapping above them reads as a description of the document.

python-docx owns the package (parts, relationships, headers, images, properties); the body's
paragraphs and runs are lxml elements made here directly, because its paragraph and run
proxies cost more than the rest of the rendering (each `add_paragraph` searches the body with
XPath, each style lookup scans every style).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import docx
import lxml.html
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.document import CT_Document
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml.etree import SubElement
from lxml.html import HtmlElement

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage
    from docx.parts.story import StoryPart
    from docx.section import _Footer, _Header

from ..errors import ResourceRefused
from .resources import read

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
# WordprocessingML names, in lxml's {namespace}tag form, made once.
_P, _P_PR, _P_STYLE = qn("w:p"), qn("w:pPr"), qn("w:pStyle")
_R, _R_PR, _R_STYLE, _T, _BR = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:t"), qn("w:br")
_B, _I, _HYPERLINK, _FIELD = qn("w:b"), qn("w:i"), qn("w:hyperlink"), qn("w:fldSimple")
_VAL, _INSTR, _R_ID, _XML_SPACE = qn("w:val"), qn("w:instr"), qn("r:id"), qn("xml:space")
_VERT_ALIGN = qn("w:vertAlign")


@dataclass(frozen=True)
class Run:
    """Inline formatting in force while walking an element's content."""

    bold: bool = False
    italic: bool = False
    link: str | None = None
    superscript: bool = False


def render_docx(
    html: str,
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
    hosts: tuple[str, ...] = (),
) -> bytes:
    """Build the DOCX of a rendered communiqué; same input, same bytes. Images are read by
    the rule of the PDF (`resources.read`): same folders, same `hosts`."""
    path = next(d / REFERENCE for d in template_dirs if (d / REFERENCE).is_file())
    stat = path.stat()
    reference = _reference(path, stat.st_mtime_ns, stat.st_size)
    document = copy.deepcopy(reference.document)
    root = lxml.html.document_fromstring(html)
    writer = _Writer(document, reference, (*asset_dirs, *template_dirs), hosts)
    writer.metadata(root)
    for element in root.body:
        writer.block(element)
    return _docx_bytes(document.part.package)


@dataclass
class _Reference:
    """reference.docx, parsed once per process and never written to: each communiqué is
    written into a deep copy of `document` (a copy costs a quarter of a parse). The copy is
    whole because a freshly opened document holds only the root elements of its parts."""

    document: Document
    style_ids: dict[str, str] = field(default_factory=dict)


@functools.lru_cache(maxsize=8)
def _reference(path: Path, mtime_ns: int, size: int) -> _Reference:
    """Keyed by modification time and size too, so that an edited reference is read again."""
    return _Reference(docx.Document(str(path)))


class _Story:
    """The body, a header or a footer: where blocks go, and the part whose relationships
    their links and images use. python-docx adds a header or footer part when it is first
    asked for it, so one appears only if the HTML writes into it."""

    def __init__(self, container: Document | _Header | _Footer) -> None:
        self._container = container

    @functools.cached_property
    def part(self) -> StoryPart:
        return self._container.part

    @functools.cached_property
    def element(self) -> Any:
        """w:body, w:hdr or w:ftr."""
        root = self.part.element
        return root.body if isinstance(root, CT_Document) else root

    @functools.cached_property
    def _end(self) -> Any:
        """The body's section properties, which must stay its last child."""
        return self.element.find(qn("w:sectPr"))

    def add(self, block: Any) -> Any:
        """Appends a block element (w:p, w:tbl) and returns it."""
        if self._end is not None:
            self._end.addprevious(block)
        else:
            self.element.append(block)
        return block

    def add_paragraph(self, style_id: str | None = None) -> Any:
        """Appends a w:p, with its paragraph style if given, and returns it."""
        paragraph = self.add(OxmlElement("w:p"))
        if style_id is not None:
            SubElement(SubElement(paragraph, _P_PR), _P_STYLE, {_VAL: style_id})
        return paragraph


class _Writer:
    def __init__(
        self,
        document: Document,
        reference: _Reference,
        roots: tuple[Path, ...],
        hosts: tuple[str, ...] = (),
    ) -> None:
        self.document = document
        self.reference = reference
        self.roots = roots
        self.hosts = hosts
        section = document.sections[0]
        self.body = _Story(document)
        self.first_header = _Story(section.first_page_header)
        self.footers = (_Story(section.first_page_footer), _Story(section.footer))
        self.link_style = self.style_id("Lien hypertexte")

    def style_id(self, name: str) -> str:
        """Looked up once per name and process: python-docx's lookup scans every style."""
        style_ids = self.reference.style_ids
        if name not in style_ids:
            style_ids[name] = self.document.styles[name].style_id
        return style_ids[name]

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

    def block(self, element: HtmlElement, story: _Story | None = None) -> None:
        """One block-level element, written into `story` (the body by default)."""
        story = story or self.body
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
                    self.paragraph(child, story, "Chapô")
                else:
                    self.block(child, story)
        elif tag == "ul":
            for item in element.iter("li"):
                self.paragraph(item, story, "List Bullet")
        elif tag == "ol":
            numbering = self.numbering(int(element.get("start") or 1))
            for item in element.iter("li"):
                paragraph = self.paragraph(item, story, "List Number")
                if numbering is not None:
                    _xml_numbering(paragraph, numbering)
        elif tag == "table":
            self._table(element)
        elif tag == "img":
            self._picture(element, story.add_paragraph(), story)
        elif isinstance(tag, str):
            self.paragraph(element, story)

    def paragraph(self, element: HtmlElement, story: _Story, style: str | None = None) -> Any:
        """Appends the w:p of `element` to `story` and returns it."""
        classes = element.get("class", "").split()
        style = style or next((STYLE_BY_CLASS[c] for c in classes if c in STYLE_BY_CLASS), None)
        paragraph = story.add_paragraph(
            self.style_id(style or STYLE_BY_TAG.get(element.tag, "Body Text"))
        )
        self.inline(element, paragraph, story, Run())
        _strip_edges(paragraph)
        return paragraph

    def numbering(self, start: int) -> str | None:
        """A numbering of its own for an ordered list: the List Number style's, restarted at
        `start`, so that each list counts from its first number (1., or 2021. as written),
        not on from the list before. None if the reference's style numbers nothing."""
        style = self.document.styles["List Number"].element
        numbers = style.pPr.numPr if style.pPr is not None else None
        if numbers is None or numbers.numId is None:
            return None
        numbering = self.document.part.numbering_part.element
        try:
            shared = numbering.num_having_numId(numbers.numId.val)
        except KeyError:
            return None
        own = numbering.add_num(shared.abstractNumId.val)
        own.add_lvlOverride(ilvl=0).add_startOverride(start)
        return str(own.numId)

    def inline(self, element: HtmlElement, paragraph: Any, story: _Story, run: Run) -> None:
        """The text and inline elements of `element`, appended to the w:p `paragraph`."""
        self.text(element.text, paragraph, story, run)
        for child in element:
            tag, classes = child.tag, child.get("class", "").split()
            if tag == "br":
                SubElement(SubElement(paragraph, _R), _BR)
                self.text((child.tail or "").lstrip(), paragraph, story, run)
                continue
            elif field := next((FIELD_BY_CLASS[c] for c in classes if c in FIELD_BY_CLASS), None):
                _xml_field(paragraph, field)
            elif isinstance(tag, str):
                self.inline(child, paragraph, story, _styled(run, child))
            self.text(child.tail, paragraph, story, run)

    def text(self, text: str | None, paragraph: Any, story: _Story, run: Run) -> None:
        if not text:
            return
        text = _COLLAPSIBLE.sub(" ", text)
        if run.link:
            rel_id = story.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
            link = SubElement(paragraph, _HYPERLINK, {_R_ID: rel_id})
            _xml_run(link, text, run, self.link_style)
        else:
            _xml_run(paragraph, text, run)

    def _header(self, element: HtmlElement) -> None:
        """The logo and the issuing body's hierarchy, at the top of the first page."""
        header = self.first_header
        for paragraph in header.element.findall(_P):
            header.element.remove(paragraph)
        for node in element.iter("img", "p"):
            if node.tag == "img":
                self._picture(node, header.add_paragraph(self.style_id("Header")), header)
            else:
                self.paragraph(node, header)

    def _picture(self, element: HtmlElement, paragraph: Any, story: _Story) -> None:
        from docx.image.exceptions import UnrecognizedImageError

        url = element.get("src", "")
        data, _ = read(url, self.roots, self.hosts)
        run = SubElement(paragraph, _R)
        try:
            inline = story.part.new_pic_inline(io.BytesIO(data), height=Mm(20))
        except UnrecognizedImageError:
            raise ResourceRefused(f"image illisible : {url[:100]}") from None
        run.add_drawing(inline)
        name = Path(urlsplit(url).path).name or "image"  # as python-docx names a file's
        inline.xpath(".//pic:cNvPr")[0].set("name", name)
        doc_pr = inline.docPr
        doc_pr.set("descr", element.get("alt", ""))  # alternative text, for screen readers
        doc_pr.set("title", element.get("alt", ""))  # what older Word and LibreOffice show

    def _table(self, element: HtmlElement) -> None:
        rows = [row for row in element.iter("tr")]
        if not rows:
            return
        if (caption := element.find("caption")) is not None:
            self.paragraph(caption, self.body, "Caption")
        width = max(len(row.findall("th") + row.findall("td")) for row in rows)
        table = self.document.add_table(rows=len(rows), cols=width, style="Table Grid")
        tbl = table._tbl
        if caption is not None:
            _xml_table_caption(tbl, _COLLAPSIBLE.sub(" ", caption.text_content()).strip())
        # The rows' elements, not python-docx's `row.cells`, which walks the whole table.
        for row_element, tr in zip(rows, tbl.tr_lst, strict=True):
            cells = [c for c in row_element if c.tag in ("th", "td")]
            for cell_element, tc in zip(cells, tr.tc_lst, strict=False):
                paragraph = tc.p_lst[0]
                self.inline(cell_element, paragraph, self.body, Run(bold=cell_element.tag == "th"))
                _strip_edges(paragraph)
            if row_element.getparent().tag == "thead":
                _xml_header_row(tr)


def _styled(run: Run, element: HtmlElement) -> Run:
    tag = element.tag
    if tag in ("strong", "b"):
        return replace(run, bold=True)
    if tag in ("em", "i"):
        return replace(run, italic=True)
    if tag == "sup":
        return replace(run, superscript=True)
    if tag == "a" and element.get("href"):
        return replace(run, link=element.get("href"))
    return run


def _property(text: str) -> str:
    """Word's document properties hold 255 characters; a longer title is cut, not fatal."""
    return text if len(text) <= 255 else text[:254] + "…"


def _strip_edges(paragraph: Any) -> None:
    """HTML ignores white space at the edges of a block; so must Word."""
    texts = list(paragraph.iter(_T))
    if texts:
        texts[0].text = texts[0].text.lstrip(" ")
        texts[-1].text = texts[-1].text.rstrip(" ")


def _xml_run(parent: Any, text: str, run: Run, style_id: str | None = None) -> None:
    """A w:r with its formatting and text, appended to `parent` at once: python-docx's
    `run.text` appends text one character at a time, which was a third of the DOCX time."""
    element = SubElement(parent, _R)
    if style_id or run.bold or run.italic or run.superscript:
        r_pr = SubElement(element, _R_PR)
        if style_id:
            SubElement(r_pr, _R_STYLE, {_VAL: style_id})
        if run.bold:
            SubElement(r_pr, _B)
        if run.italic:
            SubElement(r_pr, _I)
        if run.superscript:  # « 1er », « Mme »: a real superscript, as Word's own button sets
            SubElement(r_pr, _VERT_ALIGN, {_VAL: "superscript"})
    SubElement(element, _T, {_XML_SPACE: "preserve"}).text = text


def _xml_field(paragraph: Any, instruction: str) -> None:
    """A field Word computes when it lays out the page (PAGE, NUMPAGES)."""
    field = SubElement(paragraph, _FIELD, {_INSTR: f" {instruction} \\* MERGEFORMAT "})
    SubElement(SubElement(field, _R), _T).text = "1"


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


def _xml_table_caption(tbl: Any, caption: str) -> None:
    """The table's title for assistive technology (Word's "Alt Text" of a table)."""
    element = OxmlElement("w:tblCaption", {qn("w:val"): caption[:255]})
    # Its place in w:tblPr is after the layout and look of the table (ECMA-376 §17.4.60).
    tbl.tblPr.append(element)


def _xml_numbering(paragraph: Any, numbering: str) -> None:
    """Numbers the w:p `paragraph` with `numbering` (a w:num id), at the first level."""
    properties = paragraph.find(_P_PR)
    numbers = SubElement(properties, qn("w:numPr"))
    SubElement(numbers, qn("w:ilvl"), {_VAL: "0"})
    SubElement(numbers, qn("w:numId"), {_VAL: numbering})


def _xml_header_row(tr: Any) -> None:
    """Marks a table row as a header row, repeated on each page and announced by screen readers."""
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _docx_bytes(package: OpcPackage) -> bytes:
    """The package as python-docx saves it, in one pass (its `save`, then a copy to fix the
    dates, took a third of the time)."""
    return _zip(_package_files(package))


def _package_files(package: OpcPackage) -> Iterator[tuple[str, bytes]]:
    """Each file of the package, as python-docx's `OpcPackage.save` writes them and in its
    order: content types, package relationships, then each part and its relationships."""
    from docx.opc.pkgwriter import _ContentTypesItem

    parts = package.parts
    for part in parts:
        part.before_marshal()  # type: ignore[no-untyped-call]  # a hook `save` calls too
    content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    yield "[Content_Types].xml", content_types.blob
    yield "_rels/.rels", package.rels.xml
    for part in parts:
        yield part.partname.membername, part.blob
        if len(part.rels):
            yield part.partname.rels_uri.membername, part.rels.xml


def _zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated zip whose entries all have the same date (1980-01-01, the earliest a zip
    holds) and permissions (0644), so that the same document gives the same bytes."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zipped.writestr(entry, data)
    return archive.getvalue()
