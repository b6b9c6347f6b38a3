"""Markdown of text fields → HTML: CommonMark, raw HTML disabled, line breaks kept.

Authors type in a YAML block as they would in Word: a new line is a new line.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    """Sees every link as written, even those rendering would drop, to report them."""
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
