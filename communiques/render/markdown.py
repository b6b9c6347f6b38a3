"""Markdown of text fields → HTML: CommonMark, raw HTML disabled, line breaks kept.

Authors type in a YAML block as they would in Word: a new line is a new line.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).disable("image")


def block(text: str) -> Markup:
    return Markup(_parser().render(text))


def inline(text: str) -> Markup:
    return Markup(_parser().renderInline(text))
