"""Typography applied to a parsed HTML document: the text rules of `typography` on every text
node, the superscripts of « 1er » and « Mme » as real `<sup>` elements, and bare URLs and
e-mail addresses kept whole (`<span class="sans-cesure">`: never hyphenated, so a reader
copying one gets the address).

The PDF, the DOCX, the web page and the e-mail are all made from this one document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml.html import HtmlElement

from .typography import NBSP, NUMERO, UNTOUCHABLE, rules_for, superscripts

NO_TYPOGRAPHY = frozenset({"style", "script", "code", "pre", "title", "head"})
"""Elements whose text is never touched (code is shown as typed)."""
_TYPESET_META = {"author", "description", "keywords"}
KEEP_WHOLE = "sans-cesure"
UNBROKEN = "insecable"
"""A compound word of a title (« Bourgs-centres », « Auvergne-Rhône-Alpes ») never broken at
its hyphen: `white-space: nowrap` in the PDF, Word's no-break hyphen in the DOCX. Not U+2011:
Liberation Sans has no glyph for it."""
_COMPOUND = re.compile(r"\w+(?:-\w+)+")
_TITLES = ("h1", "h2", "h3", "h4", "h5", "h6")


def typeset_tree(root: HtmlElement, language: str) -> None:
    """Apply `language`'s typography to the text of `root`, never to its markup."""
    rules = rules_for(language)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        if element.tag not in NO_TYPOGRAPHY and element.text:
            _typeset_text(element, rules, language, inside_link=_in_link(element))
        if element.tail and (parent is None or parent.tag not in NO_TYPOGRAPHY):
            _typeset_tail(element, rules, language, inside_link=_in_link(parent))
    for heading in root.iter(*_TITLES):
        _bind_last_words(heading)
    for title in [*root.iter(*_TITLES), *root.find_class("sous-titre")]:
        _keep_compounds(title)
    for title in root.iter("title"):  # the window's title: spacing, no markup
        title.text = rules(title.text or "")
    for meta in root.iter("meta"):  # document properties are read by people too
        if meta.get("name") in _TYPESET_META:
            meta.set("content", rules(meta.get("content", "")))
    for image in root.iter("img"):
        image.set("alt", rules(image.get("alt", "")))


def _bind_last_words(heading: HtmlElement) -> None:
    """A title never ends on a lone word: its last two words are bound by a no-break space."""
    holders: list[tuple[Any, str]] = []

    def walk(node: Any) -> None:
        holders.append((node, "text"))
        for child in node:
            walk(child)
            holders.append((child, "tail"))

    walk(heading)
    for node, attribute in reversed(holders):
        value = (getattr(node, attribute) or "").rstrip()
        if " " in value:
            at = value.rindex(" ")
            whole = getattr(node, attribute)
            setattr(node, attribute, whole[:at] + NBSP + whole[at + 1 :])
            return


def _keep_compounds(title: HtmlElement) -> None:
    """Each hyphenated compound of a title's text in a `<span class="insecable">`."""
    for node in [title, *title.iterdescendants()]:
        if not isinstance(node.tag, str) or UNBROKEN in node.get("class", "").split():
            continue
        if node.text and _COMPOUND.search(node.text):
            node.text, spans = _compounds(node, node.text)
            for index, span in enumerate(spans):
                node.insert(index, span)
        parent = node.getparent()
        if node is not title and parent is not None and node.tail and _COMPOUND.search(node.tail):
            node.tail, spans = _compounds(node, node.tail)
            at = parent.index(node)
            for index, span in enumerate(spans):
                parent.insert(at + 1 + index, span)


def _compounds(near: HtmlElement, text: str) -> tuple[str | None, list[HtmlElement]]:
    """`text` cut before its first compound, and a span for each compound with its tail."""
    pieces = _COMPOUND.split(text)
    spans = []
    for word, after in zip(_COMPOUND.findall(text), pieces[1:], strict=True):
        span: HtmlElement = near.makeelement("span", {"class": UNBROKEN})
        span.text, span.tail = word, after or None
        spans.append(span)
    return pieces[0] or None, spans


def _in_link(element: Any) -> bool:
    while element is not None:
        if element.tag in ("a", "sup") or KEEP_WHOLE in element.get("class", "").split():
            return True
        element = element.getparent()
    return False


def _pieces(text: str, language: str, inside_link: bool) -> list[tuple[str, str]]:
    """`text` cut into (kind, text) pieces: "" plain, "sup" superscript, "whole" an address."""
    cuts = [(a, b, "sup") for a, b in superscripts(text, language)]
    if not inside_link:
        cuts += [(*m.span(), "whole") for m in UNTOUCHABLE.finditer(text)]
    pieces, at = [], 0
    for start, end, kind in sorted(cuts):
        if start < at:
            continue
        pieces += [("", text[at:start]), (kind, text[start:end])]
        at = end
    pieces.append(("", text[at:]))
    return pieces


def _element(near: HtmlElement, kind: str, text: str) -> HtmlElement:
    element: HtmlElement = near.makeelement("sup" if kind == "sup" else "span")
    if kind == "whole":
        element.set("class", KEEP_WHOLE)
    element.text = text.replace(NUMERO, "o") if kind == "sup" else text
    return element


def _typeset_text(
    element: HtmlElement, rules: Callable[[str], str], language: str, inside_link: bool
) -> None:
    pieces = _pieces(rules(element.text or ""), language, inside_link)
    element.text = pieces[0][1]
    for index, (kind, text) in enumerate(pieces[1::2]):
        child = _element(element, kind, text)
        child.tail = pieces[2 + 2 * index][1] or None
        element.insert(index, child)


def _typeset_tail(
    element: HtmlElement, rules: Callable[[str], str], language: str, inside_link: bool
) -> None:
    pieces = _pieces(rules(element.tail or ""), language, inside_link)
    element.tail = pieces[0][1] or None
    parent = element.getparent()
    if parent is None:
        return
    position = parent.index(element)
    for index, (kind, text) in enumerate(pieces[1::2]):
        child = _element(element, kind, text)
        child.tail = pieces[2 + 2 * index][1] or None
        parent.insert(position + 1 + index, child)
