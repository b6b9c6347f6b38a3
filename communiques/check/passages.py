"""The passages the proofreader reads: every text of a communiqué's files with its place and
language, and where a word inside one stands, found in the text `load` read (never in the
file again).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Diagnostic
from ..model import LANGUES
from ..resolve import Resolved
from ..yamlfile import Document, Loc, dotted

TEXT_FIELDS = {
    "lieu",
    "titre",
    "sous_titre",
    "chapo",
    "corps",
    "libelle",
    "nom",
    "fonction",
    "service",
    "adresse",
    "sigle",
    "tutelles",
    "logo_alt",
    "intitule",
    "presentation",
    "objectifs",
    "appel",
}
URL_FIELDS = {"url", "site", "url_laureats", "url_procedure"}
HIDDEN_IN_TEXT = re.compile(
    r"\]\([^)]*\)"  # the target of a Markdown link
    r"|<[^>]*>"  # an autolink or a tag
    r"|%\(\w+\)s"  # a template placeholder
    r"|&\w+;"  # an HTML entity
    r"|(?:https?://|mailto:|tel:|www\.)\S+"
    r"|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
"""What is not prose in a text: links, tags, placeholders, entities, addresses."""


@dataclass(frozen=True)
class Passage:
    """A text of a YAML file: where it is, in which language, and what it says."""

    document: Document
    loc: Loc
    language: str
    value: str

    @property
    def translated(self) -> bool:
        """Whether it is one language's version of a text (`titre: {fr: …, en: …}`), rather
        than a plain text every edition prints."""
        return any(part in LANGUES for part in self.loc if isinstance(part, str))

    @property
    def field(self) -> str:
        parts = (p for p in reversed(self.loc) if isinstance(p, str) and p not in LANGUES)
        return next(parts, "")

    def finding(
        self,
        message: str,
        suggestion: str = "",
        at: int | None = None,
        length: int = 1,
        shift: int = 0,
    ) -> Diagnostic:
        """A finding on this text, at `value[at:at + length]` when it can be found (and then
        `shift` characters further: a needle with context is found more surely). Its rule
        and level are those of the rule that yields it (registry.run)."""
        line, column = self.document.mark(self.loc)
        if at is not None:
            line, column = _position(self.document, self.loc, self.value, at, length)
            column += shift
        return Diagnostic(
            self.document.path, line, column, dotted(self.loc), message, suggestion=suggestion
        )


def documents(resolved: Resolved) -> list[Document]:
    """The communiqué's file and those of its émetteur and programme, as `load` read them."""
    if resolved.sources is None:
        return []
    sources = resolved.sources
    return [d for d in (sources.communique, sources.emetteur, sources.programme) if d]


def passages(document: Document, language: str) -> Iterator[Passage]:
    """Every text of a file with its language: that of its translation key, otherwise the
    communiqué's first language."""

    def walk(value: Any, loc: Loc, lang: str) -> Iterator[Passage]:
        if isinstance(value, dict):
            for key, child in value.items():
                yield from walk(child, (*loc, key), key if key in LANGUES else lang)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from walk(child, (*loc, index), lang)
        elif isinstance(value, str) and loc:
            passage = Passage(document, loc, lang, value)
            if passage.field in TEXT_FIELDS or passage.field in URL_FIELDS:
                yield passage

    yield from walk(document.data, (), language)


def _position(document: Document, loc: Loc, value: str, at: int, length: int) -> tuple[int, int]:
    """Line and column of `value[at:at + length]`, found in the file's text: the YAML marks
    only say where a value starts, and a block scalar (|) starts on the line after its key."""
    line, column = document.mark(loc)
    if not document.text:
        return line, column  # a document made in code: its marks are all there is
    lines = document.text.splitlines()
    needle = value[at : at + max(length, 1)]
    lines_before = value.count("\n", 0, at)
    in_line = at - (value.rfind("\n", 0, at) + 1)
    for number in range(line - 1, min(len(lines), line + 500)):
        if number == line - 1:
            start = column - 1 + (in_line if lines_before == 0 else 0)
        elif number - (line - 1) < lines_before:
            continue
        else:
            start = 0
        found = lines[number].find(needle, max(start - 2, 0))
        if found >= 0:
            return number + 1, found + 1
    return line, column
