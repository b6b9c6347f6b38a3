"""Where the DOCX writer puts blocks, and what its layout code asks of the writer.

A story is the body, a header or a footer (`Story`); `Run` is the inline formatting in force
while an element's content is walked; `Writer` is what render/docx_layout.py needs of the
writer in render/docx.py (a Protocol, so that neither imports the other).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.document import CT_Document
from docx.oxml.ns import qn
from lxml.etree import SubElement
from lxml.html import HtmlElement

from . import wordml as w

if TYPE_CHECKING:
    from docx.parts.story import StoryPart
    from docx.section import _Footer, _Header

    from .remote import Fetched

COLLAPSIBLE = re.compile(r"[ \t\r\n\f]+")  # HTML white space, never the no-break spaces


@dataclass(frozen=True)
class Run:
    """Inline formatting in force while walking an element's content."""

    bold: bool = False
    italic: bool = False
    link: str | None = None
    superscript: bool = False
    unbroken: bool = False
    """Its hyphens are Word's no-break hyphens (a compound of a title: « Bourgs-centres »)."""


class Story:
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


class Writer(Protocol):
    """The writer (render/docx.py), as the header, footer, table and picture code uses it."""

    roots: tuple[Path, ...]
    hosts: tuple[str, ...]
    fetched: Fetched | None
    body: Story
    first_header: Story

    def style_id(self, name: str) -> str: ...

    def paragraph(
        self, element: HtmlElement, story: Story, style: str | None = None, into: Any = None
    ) -> Any: ...

    def inline(self, element: HtmlElement, paragraph: Any, story: Story, run: Run) -> None: ...


def end_story(story: Story) -> None:
    """Word wants a paragraph after a table at the end of a header or footer (it would add
    an empty one of full height): a 1-point one, which takes no room."""
    paragraph = story.add_paragraph()
    properties = w.paragraph_properties(paragraph)
    w.put(properties, "w:spacing", {"before": "0", "after": "0", "line": "20",
                                    "lineRule": "exact"})  # fmt: skip
    run_properties = w.put(properties, "w:rPr")
    SubElement(run_properties, qn("w:sz"), {w.VAL: "2"})


def strip_edges(paragraph: Any) -> None:
    """HTML ignores white space at the edges of a block; so must Word."""
    texts = list(paragraph.iter(w.T))
    if texts:
        texts[0].text = texts[0].text.lstrip(" ")
        texts[-1].text = texts[-1].text.rstrip(" ")
