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

from .. import __version__
from ..adapters import docx as adapter
from ..errors import ResourceRefused
from . import wordml as w
from .resources import inside, read

REFERENCE = "reference.docx"
# Class of an HTML element → Word paragraph style of reference.docx (by its display name).
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
# The page's text width and the PDF's measures (assets/css/communique.css), in mm.
TEXT_WIDTH = 170.0
LOGO_HEIGHT, LOGO_GAP, RULE_PADDING = 22.0, 6.0, 4.0
PAGINATION_WIDTH = 30.0
# Column widths of a table by its class: None takes what the others leave.
COLUMNS_BY_CLASS: dict[str, tuple[float | None, ...]] = {"laureats": (None, 32.0)}
_COLLAPSIBLE = re.compile(r"[ \t\r\n\f]+")  # HTML white space, never the no-break spaces


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
    path = inside(
        next(d / REFERENCE for d in template_dirs if (d / REFERENCE).is_file()), template_dirs
    )
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
    adapter.load_as_xml()
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
            SubElement(SubElement(paragraph, w.P_PR), w.P_STYLE, {w.VAL: style_id})
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
        self.link_style = self.style_id("Hyperlink")

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
        w.language(self.document.styles.element, self.document.settings.element, core.language)
        core.revision = 1
        if created := meta.get("dcterms.created"):
            core.created = core.modified = dt.datetime.fromisoformat(created).replace(tzinfo=None)
        _app_properties(self.document)

    def block(self, element: HtmlElement, story: _Story | None = None) -> None:
        """One block-level element, written into `story` (the body by default)."""
        story = story or self.body
        tag, classes = element.tag, set(element.get("class", "").split())
        if tag == "header":
            self._header(element)
        elif tag == "footer":
            for footer in self.footers:
                self._footer(element, footer)
        elif tag in ("div", "section", "main", "article"):
            if "contacts" in classes:
                self._keep_with_next(story)
            for child in element:
                if "chapo" in classes and child.tag == "p":
                    self.paragraph(child, story, "Chapô")
                else:
                    self.block(child, story)
        elif tag in ("ul", "ol"):
            self._list(element, story)
        elif tag == "table":
            self._table(element)
        elif tag == "img":
            self._picture(element, story.add_paragraph(), story)
        elif isinstance(tag, str):
            self.paragraph(element, story)

    def _list(self, element: HtmlElement, story: _Story) -> None:
        """One paragraph per item of its own, then the lists nested in it, each once (its
        text is not its parent item's)."""
        numbered = element.tag == "ol"
        numbering = self.numbering(int(element.get("start") or 1)) if numbered else None
        for item in element.iterchildren("li"):
            paragraph = self.paragraph(item, story, "List Number" if numbered else "List Bullet")
            if numbering is not None:
                w.numbering(paragraph, numbering)
            for nested in item.iterchildren("ul", "ol"):
                self._list(nested, story)

    def paragraph(
        self, element: HtmlElement, story: _Story, style: str | None = None, into: Any = None
    ) -> Any:
        """Appends the w:p of `element` to `story` (or fills the w:p `into`) and returns it."""
        classes = element.get("class", "").split()
        style = style or next((STYLE_BY_CLASS[c] for c in classes if c in STYLE_BY_CLASS), None)
        style_id = self.style_id(style or STYLE_BY_TAG.get(element.tag, "Body Text"))
        if into is None:
            paragraph = story.add_paragraph(style_id)
        else:
            paragraph = into
            SubElement(w.paragraph_properties(paragraph), w.P_STYLE, {w.VAL: style_id})
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
        return adapter.restarted_numbering(numbering, numbers.numId.val, start)

    def inline(self, element: HtmlElement, paragraph: Any, story: _Story, run: Run) -> None:
        """The text and inline elements of `element`, appended to the w:p `paragraph`."""
        self.text(element.text, paragraph, story, run)
        for child in element:
            tag, classes = child.tag, child.get("class", "").split()
            if tag == "br":
                SubElement(SubElement(paragraph, w.R), w.BR)
                self.text((child.tail or "").lstrip(), paragraph, story, run)
                continue
            elif tag in ("ul", "ol"):  # a nested list: paragraphs of its own (_list)
                pass
            elif field := next((FIELD_BY_CLASS[c] for c in classes if c in FIELD_BY_CLASS), None):
                w.field(paragraph, field)
            elif isinstance(tag, str):
                self.inline(child, paragraph, story, _styled(run, child))
            self.text(child.tail, paragraph, story, run)

    def text(self, text: str | None, paragraph: Any, story: _Story, run: Run) -> None:
        if not text:
            return
        text = _COLLAPSIBLE.sub(" ", text)
        if run.link:
            rel_id = story.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
            link = SubElement(paragraph, w.HYPERLINK, {w.R_ID: rel_id})
            w.run(link, text, run.bold, run.italic, self.link_style, superscript=run.superscript)
        else:
            w.run(paragraph, text, run.bold, run.italic, superscript=run.superscript)

    def _keep_with_next(self, story: _Story) -> None:
        """The contact block stays on the page of the paragraph before it when both fit
        there (the heading « Contact : » is kept with what follows by its style)."""
        blocks = [b for b in story.element if b.tag == w.P]
        if blocks:
            w.put(w.paragraph_properties(blocks[-1]), "w:keepNext")

    def _header(self, element: HtmlElement) -> None:
        """The logo, then the issuing body's hierarchy beside it after a vertical rule, at
        the top of the first page: a borderless table of two cells, as the PDF's flex box."""
        header = self.first_header
        for block in list(header.element):
            header.element.remove(block)
        logo = element.find(".//img")
        text = [node for node in element.iter("p")]
        inline = None
        if logo is not None:
            paragraph = OxmlElement("w:p")
            inline = self._picture(logo, paragraph, header, Mm(LOGO_HEIGHT))
        logo_width = inline.extent.cx / Mm(1) + LOGO_GAP if inline is not None else 0.0
        table, (logo_cell, text_cell) = w.layout_table([logo_width, TEXT_WIDTH - logo_width])
        header.add(table)
        if inline is not None:
            logo_cell.append(paragraph)
            SubElement(w.paragraph_properties(paragraph), w.P_STYLE,
                       {w.VAL: self.style_id("Header")})  # fmt: skip
        else:
            SubElement(logo_cell, w.P)
        w.cell_rule(text_cell, "left", 10, "1F3A5F", RULE_PADDING)  # 1.2 pt, 4 mm from text
        for node in text:
            self.paragraph(node, header, into=SubElement(text_cell, w.P))
        if not text:
            SubElement(text_cell, w.P)
        _end_story(header)

    def _footer(self, element: HtmlElement, footer: _Story) -> None:
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
            self.paragraph(node, footer, into=SubElement(cell, w.P))
        for cell in (left, right):
            if cell.find(w.P) is None:
                SubElement(cell, w.P)
        _end_story(footer)

    def _picture(
        self, element: HtmlElement, paragraph: Any, story: _Story, height: int = Mm(20)
    ) -> Any:
        """Appends the image of `element` to the w:p `paragraph`; returns its w:inline."""
        from docx.image.exceptions import UnrecognizedImageError

        url = element.get("src", "")
        data, _ = read(url, self.roots, self.hosts)
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

    def _table(self, element: HtmlElement) -> None:
        """A table as the PDF draws it: its columns' proportions, horizontal rules only, no
        space after in cells, rows never split, the header row repeated on each page."""
        rows = [row for row in element.iter("tr")]
        if not rows:
            return
        caption = element.find("caption")
        caption_text = None
        if caption is not None:
            self.paragraph(caption, self.body, "Caption")
            caption_text = _COLLAPSIBLE.sub(" ", caption.text_content()).strip()
        count = max(len(row.findall("th") + row.findall("td")) for row in rows)
        widths = _column_widths(element.get("class", "").split(), count)
        table = self.body.add(w.table(widths, caption_text))
        cell_style = self.style_id("Cellule")
        for row_element in rows:
            header = row_element.getparent().tag == "thead"
            cells = [c for c in row_element if c.tag in ("th", "td")]
            for cell_element, paragraph in zip(cells, w.row(table, widths, header), strict=False):
                SubElement(SubElement(paragraph, w.P_PR), w.P_STYLE, {w.VAL: cell_style})
                self.inline(cell_element, paragraph, self.body, Run(bold=cell_element.tag == "th"))
                _strip_edges(paragraph)


def _column_widths(classes: list[str], count: int) -> list[float]:
    """Widths in mm: the table's class's, else equal columns over the text width."""
    declared = next((COLUMNS_BY_CLASS[c] for c in classes if c in COLUMNS_BY_CLASS), None)
    if declared is None or len(declared) != count:
        return [TEXT_WIDTH / count] * count
    fixed = sum(x for x in declared if x is not None)
    free = TEXT_WIDTH - fixed
    flexible = sum(1 for x in declared if x is None)
    return [x if x is not None else free / flexible for x in declared]


def _end_story(story: _Story) -> None:
    """Word wants a paragraph after a table at the end of a header or footer (it would add
    an empty one of full height): a 1-point one, which takes no room."""
    paragraph = story.add_paragraph()
    properties = w.paragraph_properties(paragraph)
    w.put(properties, "w:spacing", {"before": "0", "after": "0", "line": "20",
                                    "lineRule": "exact"})  # fmt: skip
    run_properties = w.put(properties, "w:rPr")
    SubElement(run_properties, qn("w:sz"), {w.VAL: "2"})


def _app_properties(document: Document) -> None:
    """docProps/app.xml names us and our version (Word's XX.YYYY form: 0.1.0 → 00.0100);
    no page or word count, as Word would count them differently from the PDF."""
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            properties = rel.target_part.element
            break
    else:
        return
    namespace = properties.nsmap[None]
    major, minor, patch = (int(x) for x in [*__version__.split("."), "0", "0"][:3])
    version = f"{major:02d}.{minor:02d}{patch:02d}"
    for name, value in (("Application", "communiques"), ("AppVersion", version)):
        element = properties.find(f"{{{namespace}}}{name}")
        if element is None:
            element = SubElement(properties, f"{{{namespace}}}{name}")
        element.text = value


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
    texts = list(paragraph.iter(w.T))
    if texts:
        texts[0].text = texts[0].text.lstrip(" ")
        texts[-1].text = texts[-1].text.rstrip(" ")


def _docx_bytes(package: OpcPackage) -> bytes:
    """The package as python-docx saves it, in one pass (its `save`, then a copy to fix the
    dates, took a third of the time)."""
    return _zip(_package_files(package))


def _package_files(package: OpcPackage) -> Iterator[tuple[str, bytes]]:
    """Each file of the package, as python-docx's `OpcPackage.save` writes them and in its
    order: content types, package relationships, then each part and its relationships."""
    parts = package.parts
    for part in parts:
        adapter.prepare_to_write(part)
    yield "[Content_Types].xml", adapter.content_types_xml(parts)
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
