"""HTML fragments → plain text, for the text/plain part of an e-mail.

The modèles write their sentences as HTML; the plain-text part must say the same thing, so it
is derived from that HTML rather than written twice. Links keep their address in parentheses,
because a plain-text reader cannot click on a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html

_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "blockquote", "table", "thead",
    "tbody", "tfoot", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "li", "tr",
}  # fmt: skip
_TIGHT = {"li", "tr"}  # list items and table rows follow each other without a blank line
_SKIPPED = {"style", "script", "head", "title", "img"}
_BREAK = "\ue002"  # stands for <br> while ordinary whitespace is collapsed
_SPACES = re.compile(r"[ \t\r\n\f\v]+")


@dataclass
class _PlainText:
    blocks: list[tuple[str, bool]] = field(default_factory=list)
    """Each block's text, and whether it follows the previous one on the next line."""
    pieces: list[str] = field(default_factory=list)
    tight: bool = False
    group_start: bool = False  # the first item of a list or table stands apart

    def flush(self) -> None:
        text = _SPACES.sub(" ", "".join(self.pieces))
        lines = [line.strip() for line in text.split(_BREAK)]
        text = "\n".join(lines).strip()
        if text:
            self.blocks.append((text, self.tight and not self.group_start))
            self.group_start = self.group_start and not self.tight
        self.pieces = []
        self.tight = False

    def text(self) -> str:
        out = ""
        for index, (text, tight) in enumerate(self.blocks):
            if index:
                out += "\n" if tight else "\n\n"
            out += text
        return out


def text_of(html: str) -> str:
    """The text of an HTML fragment: one paragraph per block, list items as « – »."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    writer = _PlainText()
    _walk(root, writer, ordinal=None)
    writer.flush()
    return writer.text()


def _walk(element: lxml.html.HtmlElement, writer: _PlainText, ordinal: list[int] | None) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        return
    if tag == "br":
        writer.pieces.append(_BREAK)
        return
    if tag == "a":
        label = _SPACES.sub(" ", element.text_content()).strip()
        writer.pieces.append(_link(label, element.get("href", "")))
        return
    if tag in _BLOCKS:
        writer.flush()
        writer.tight = tag in _TIGHT
        writer.group_start = writer.group_start or tag in ("ul", "ol", "table")
    if tag == "li":
        if ordinal is not None:
            ordinal[0] += 1
            writer.pieces.append(f"{ordinal[0]}. ")
        else:
            writer.pieces.append("– ")
    if tag == "tr":
        cells = [text_of(lxml.html.tostring(cell, encoding="unicode")) for cell in element]
        writer.pieces.append(" – ".join(c.replace("\n", " ") for c in cells if c))
        writer.flush()
        return
    # « n<sup>o</sup> 12 » reads « n° 12 » where nothing can be raised.
    text = element.text or ""
    writer.pieces.append("°" + text[1:] if tag == "sup" and text in ("o", "os") else text)
    counter = [0] if tag == "ol" else (None if tag == "ul" else ordinal)
    for child in element:
        _walk(child, writer, counter)
        writer.pieces.append(child.tail or "")
    if tag in _BLOCKS:
        writer.flush()


def _link(label: str, href: str) -> str:
    """« libellé (adresse) », unless the label already says the address."""
    parts = urlsplit(href)
    if parts.scheme in ("mailto", "tel") or not href:
        return label
    bare = href.split("://", 1)[-1].rstrip("/")
    if not label or label.rstrip("/") in (href.rstrip("/"), bare):
        return href
    return f"{label} ({href})"
