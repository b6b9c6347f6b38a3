"""Rendered HTML → DOCX, each element mapped to a named style of templates/reference.docx.

The DOCX says what the PDF says because it is made from the same HTML. A communication team
restyles it by editing reference.docx in Word; this module only knows style names and maps
each element to them. Beside it: docx_layout (header, footer, tables, pictures), docx_story
(where blocks go), docx_fonts (embedded fonts), docx_package (app.xml and the zip), and
wordml for the XML python-docx has no API for, in the schema's order.

python-docx owns the package (parts, relationships, headers, images, properties); the body's
paragraphs and runs are lxml elements made here directly, because its paragraph and run
proxies cost more than the rest of the rendering (each `add_paragraph` searches the body with
XPath, each style lookup scans every style).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import docx
import lxml.html
from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml.etree import SubElement
from lxml.html import HtmlElement

from ..adapters import docx as adapter
from ..l10n.typeset import UNBROKEN
from . import docx_fonts as fonts
from . import docx_layout as layout
from . import wordml as w
from .docx_package import app_properties, docx_bytes, property_text
from .docx_story import COLLAPSIBLE, Run, Story, strip_edges
from .remote import Fetched
from .resources import inside

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
BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "pre", "blockquote", "table", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
)
"""What a list item may hold besides its text (Markdown's loose lists, code, quotes)."""
FIELD_BY_CLASS = {"page-courante": "PAGE", "pages": "NUMPAGES"}


def render_docx(
    html: str,
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
    hosts: tuple[str, ...] = (),
    *,
    embed_fonts: bool = True,
    fetched: Fetched | None = None,
) -> bytes:
    """Build the DOCX of a rendered communiqué; same input, same bytes. Images are read by
    the rule of the PDF (`resources.read`): same folders, same `hosts`. The theme's fonts
    are embedded unless `embed_fonts` is false (docx_fonts)."""
    path = inside(
        next(d / REFERENCE for d in template_dirs if (d / REFERENCE).is_file()), template_dirs
    )
    stat = path.stat()
    reference = _reference(path, stat.st_mtime_ns, stat.st_size)
    document = copy.deepcopy(reference.document)
    root = lxml.html.document_fromstring(html)
    writer = _Writer(document, reference, (*asset_dirs, *template_dirs), hosts, fetched)
    writer.metadata(root)
    for element in root.body:
        writer.block(element)
    if embed_fonts:
        fonts.embed_used(document, asset_dirs)
    return docx_bytes(document.part.package)


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


class _Writer:
    def __init__(
        self,
        document: Document,
        reference: _Reference,
        roots: tuple[Path, ...],
        hosts: tuple[str, ...] = (),
        fetched: Fetched | None = None,
    ) -> None:
        self.document = document
        self.reference = reference
        self.roots = roots
        self.hosts = hosts
        self.fetched = fetched
        section = document.sections[0]
        self.body = Story(document)
        self.first_header = Story(section.first_page_header)
        self.footers = (Story(section.first_page_footer), Story(section.footer))
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
        core.title = property_text((root.findtext(".//title") or "").strip())
        core.author = core.last_modified_by = property_text(meta.get("author", ""))
        core.subject = property_text(meta.get("description", ""))
        core.keywords = property_text(meta.get("keywords", ""))
        core.language = root.get("lang", "fr-FR")
        w.language(self.document.styles.element, self.document.settings.element, core.language)
        core.revision = 1
        if created := meta.get("dcterms.created"):
            core.created = core.modified = dt.datetime.fromisoformat(created).replace(tzinfo=None)
        app_properties(self.document)

    def block(self, element: HtmlElement, story: Story | None = None) -> None:
        """One block-level element, written into `story` (the body by default)."""
        story = story or self.body
        tag, classes = element.tag, set(element.get("class", "").split())
        if tag == "header":
            layout.header(self, element)
        elif tag == "footer":
            for footer in self.footers:
                layout.footer(self, element, footer)
        elif tag in ("div", "section", "main", "article"):
            contacts = "contacts" in classes
            before = len(story.element.findall(w.P))
            if contacts:
                self._keep_with_next(story)
            for child in element:
                if "chapo" in classes and child.tag == "p":
                    self.paragraph(child, story, "Chapô")
                else:
                    self.block(child, story)
            if contacts:  # the block whole, as the PDF's break-inside: avoid
                for paragraph in story.element.findall(w.P)[before:-1]:
                    w.put(w.paragraph_properties(paragraph), "w:keepNext")
        elif tag in ("ul", "ol"):
            self._list(element, story)
        elif tag == "table":
            layout.table(self, element)
        elif tag == "img":
            layout.picture(self, element, story.add_paragraph(), story)
        elif isinstance(tag, str):
            self.paragraph(element, story)

    def _list(self, element: HtmlElement, story: Story) -> None:
        """One paragraph per item, its nested lists each once and where they stand (its text
        is not its parent item's). An item of several paragraphs (a loose list) has its
        first as the list paragraph and the others after it, in their order."""
        numbered = element.tag == "ol"
        numbering = self.numbering(int(element.get("start") or 1)) if numbered else None
        style = "List Number" if numbered else "List Bullet"
        for item in element.iterchildren("li"):
            blocks = [child for child in item if child.tag in BLOCK_TAGS]
            if not any(child.tag not in ("ul", "ol") for child in blocks):  # a tight item
                blocks = [item, *blocks]
            first = True
            for block in blocks:
                if block.tag in ("ul", "ol") and block is not item:
                    self._list(block, story)
                elif first:
                    paragraph = self.paragraph(block, story, style)
                    if numbering is not None:
                        w.numbering(paragraph, numbering)
                    first = False
                else:
                    self.block(block, story)

    def paragraph(
        self, element: HtmlElement, story: Story, style: str | None = None, into: Any = None
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
        strip_edges(paragraph)
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

    def inline(self, element: HtmlElement, paragraph: Any, story: Story, run: Run) -> None:
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

    def text(self, text: str | None, paragraph: Any, story: Story, run: Run) -> None:
        if not text:
            return
        text = COLLAPSIBLE.sub(" ", text)
        if run.link:
            rel_id = story.part.relate_to(run.link, RT.HYPERLINK, is_external=True)
            link = SubElement(paragraph, w.HYPERLINK, {w.R_ID: rel_id})
            w.run(
                link,
                text,
                run.bold,
                run.italic,
                self.link_style,
                superscript=run.superscript,
                unbroken=run.unbroken,
            )
        else:
            w.run(
                paragraph,
                text,
                run.bold,
                run.italic,
                superscript=run.superscript,
                unbroken=run.unbroken,
            )

    def _keep_with_next(self, story: Story) -> None:
        """The contact block stays on the page of the paragraph before it when both fit
        there (the heading « Contact : » is kept with what follows by its style)."""
        blocks = [b for b in story.element if b.tag == w.P]
        if blocks:
            w.put(w.paragraph_properties(blocks[-1]), "w:keepNext")


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
    if UNBROKEN in element.get("class", "").split():
        return replace(run, unbroken=True)
    return run
