"""Markdown of text fields → HTML: CommonMark, raw HTML disabled, line breaks kept.

Authors type in a YAML block as they would in Word: a new line is a new line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from ..links import link_allowed


def _allowed_link(url: str) -> bool:
    """The rule of link fields (https:, http:, mailto:, tel:), not markdown-it's list of
    dangerous schemes: validation reports the others, and rendering never emits them."""
    return link_allowed(url)


def _ordered_list_open(
    renderer: RendererHTML, tokens: Sequence[Token], index: int, options: OptionsDict, env: EnvType
) -> str:
    """WeasyPrint ignores <ol start>: its counter is set in CSS too, so that a list written
    "2021. …" is numbered 2021 in the PDF as it is in the DOCX and the e-mail. Numbers that
    long would hang in the margin: they are set in the text instead."""
    token = tokens[index]
    start = token.attrGet("start")
    if start is not None:
        style = f"counter-reset: list-item {int(start) - 1}"
        if len(str(start)) > 2:
            style += "; list-style-position: inside; padding-left: 0"
        token.attrSet("style", style)
    return renderer.renderToken(tokens, index, options, env)


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")
    parser.validateLink = _allowed_link  # type: ignore[method-assign]
    parser.add_render_rule("ordered_list_open", _ordered_list_open)
    return parser


@cache
def _link_finder() -> MarkdownIt:
    """Sees every link as written, even those rendering would drop, to report them, and
    every element, to measure a text (`measure`)."""
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    parser.normalizeLink = lambda url: url  # type: ignore[method-assign]
    return parser


def links(text: str) -> list[str]:
    """The destination of every link in `text` (inline, reference and <autolink>)."""
    found = []
    for token in _link_finder().parse(text):
        for child in token.children or ():
            if child.type == "link_open":
                found.append(str(child.attrGet("href") or ""))
    return found


_FORMATTING = frozenset({"code_inline", "em_open", "strong_open", "link_open", "image"})
_LINES = frozenset(
    {"paragraph_open", "list_item_open", "heading_open", "hr", "softbreak", "hardbreak"}
)
_CONTAINERS = frozenset({"blockquote_open", "bullet_list_open", "ordered_list_open"})
# Spaces where a line may break; a no-break space (U+00A0, U+202F…) joins what it separates.
_BREAKING = " \t\r\n\u1680\u2000-\u2006\u2008-\u200a\u205f\u3000"
_RUN = re.compile(f"[^{_BREAKING}]+")
_SPACE = re.compile(f"[{_BREAKING}]+")


@dataclass(frozen=True)
class Measures:
    """What the layout time of a text grows with (see fields.py for the limits)."""

    formatting: int
    """Inline elements: code spans, emphasis, strong emphasis, links."""
    lines: int
    """Paragraphs, list items, headings, rules and line breaks, lines of code blocks."""
    depth: int
    """Levels of nested quotes and lists, or of nested emphasis and links."""
    longest_run: int
    """Characters of the longest run without a space where a line may break."""
    longest_glued: int
    """Characters of the longest such run made of several pieces (`**a**a`, `x*y*`): the
    layout cannot break it across them, so it must fit on a line."""


def measure(text: str) -> Measures:
    formatting = lines = depth = glued = 0
    containers = 0
    for token in _link_finder().parse(text):
        if token.type in _CONTAINERS:
            containers += 1
            depth = max(depth, containers)
        elif token.type in ("blockquote_close", "bullet_list_close", "ordered_list_close"):
            containers -= 1
        elif token.type in ("fence", "code_block"):
            lines += token.content.count("\n")
        lines += token.type in _LINES and not token.hidden
        for child in token.children or ():
            formatting += child.type in _FORMATTING
            lines += child.type in _LINES
            depth = max(depth, child.level)
        glued = max(glued, _longest_glued(token.children or ()))
    longest = max((len(run) for run in _RUN.findall(text)), default=0)
    return Measures(formatting, lines, depth, longest, glued)


def _longest_glued(children: Sequence[Token]) -> int:
    """The longest run of an inline token's text without a breaking space that spans two
    pieces of text or more (each piece is a box of its own in the layout)."""
    longest = run = pieces = 0
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            run = pieces = 0
        if child.type not in ("text", "code_inline") or not child.content:
            continue
        first, *others = _SPACE.split(child.content)
        if first:
            run, pieces = run + len(first), pieces + 1
            if pieces > 1:
                longest = max(longest, run)
        for word in others:
            run, pieces = len(word), 1 if word else 0
    return longest


def block(text: str) -> Markup:
    parser = _parser()
    tokens = parser.parse(text)
    _nest_headings(tokens)
    return Markup(parser.renderer.render(tokens, parser.options, {}))


def _nest_headings(tokens: Sequence[Token]) -> None:
    """Headings of a text field sit under the communiqué's title (h1): the first becomes h2
    and each goes at most one level deeper than the heading above it, so that an author's
    `###` never leaves a gap that screen readers announce (RGAA 9.1, PDF/UA 7.4.2)."""
    open_levels: list[int] = []  # Markdown levels of the sections the text is in
    for token in tokens:
        if token.type == "heading_open":
            written = int(token.tag[1])
            while open_levels and open_levels[-1] >= written:
                open_levels.pop()
            open_levels.append(written)
            level = f"h{min(len(open_levels) + 1, 6)}"
        if token.type in ("heading_open", "heading_close"):
            token.tag = level


def inline(text: str) -> Markup:
    return Markup(_parser().renderInline(text))
