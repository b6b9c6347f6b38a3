"""The registry of `verify`: every rule with its level, every check in the order it reports,
and the context the checks share while they read one file.

A *rule* is a veraPDF rule (or one of ours) and its level, declared by the standard that
asks for it (`pdfua.py`, `pdfa.py`, merged here, as WeasyPrint merges its `VARIANTS` from
`pdfa.py` and `pdfua.py`). A *check* reads one part of the file once and reports any of
those rules; it registers itself with `@check(part)` (the model: WeasyPrint's `@property()`
validators), and the parts' order is the order of the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import WARNING, Diagnostic, Level
from . import pdfa, pdfua

if TYPE_CHECKING:
    from .tree import Tree

RULES: dict[str, Level] = {**pdfua.OURS, **pdfua.RULES, **pdfa.RULES}
"""Every rule a check may report, with the level of a breach."""

PARTS = (
    "syntaxe",  # the file as qpdf reads it
    "metadonnees",  # XMP and Info
    "catalogue",  # what the catalogue declares: tagged, language, title shown
    "fichier",  # PDF/A: header, trailer, streams
    "arbre",  # the structure tree
    "contenu",  # marked content and artifacts in the pages' streams
    "annotations",  # links and other annotations
    "polices",  # fonts
    "graphismes",  # PDF/A: colours, transparency, images
    "actions",  # PDF/A: actions, scripts, embedded files, optional content
    "variante",  # PDF/A parts we do not check
)
"""The parts of a file, in the order their findings are reported."""


@dataclass
class Context:
    """What the checks share: the open file, what its XMP claims, the findings so far."""

    pdf: Any
    data: bytes
    path: Path
    pdfa_part: int | None = None
    pdfa_conformance: str | None = None
    pdfua_part: int | None = None
    findings: list[Diagnostic] = field(default_factory=list)
    tree: Tree | None = None
    """The structure tree, read once (tree.read)."""

    @property
    def pdfa(self) -> bool:
        """The file claims a PDF/A part we check (2 or 3)."""
        return self.pdfa_part in (2, 3)

    def add(self, rule: str, message: str, page: int | None = None) -> None:
        """`rule` is broken, at its level: once, however many times it is found."""
        self._add(rule, message, RULES[rule], page)

    def note(self, rule: str, message: str, page: int | None = None) -> None:
        """What `rule` asks and we do not verify: a warning, whatever the rule's level."""
        self._add(rule, message, WARNING, page)

    def _add(self, rule: str, message: str, level: Level, page: int | None) -> None:
        finding = Diagnostic(self.path, 0, 0, rule, message, level, rule=rule, page=page)
        if finding not in self.findings:
            self.findings.append(finding)


@dataclass(frozen=True)
class Check:
    """One part of the file read once; `when` says whether this file needs it."""

    part: str
    function: Callable[[Context], None]
    when: Callable[[Context], bool]


CHECKS: list[Check] = []


def always(context: Context) -> bool:
    return True


def check(
    part: str, when: Callable[[Context], bool] = always
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Registers a check of `part` (one of PARTS), run when `when(context)` is true."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}: add it to PARTS in its place")

    def register(function: Callable[[Context], None]) -> Callable[[Context], None]:
        CHECKS.append(Check(part, function, when))
        CHECKS.sort(key=lambda each: PARTS.index(each.part))  # stable: a part's own order
        return function

    return register


def claims_pdfa(context: Context) -> bool:
    """Any PDF/A part, even one we do not check: its file-level rules are the same."""
    return context.pdfa_part is not None


def claims_checked_pdfa(context: Context) -> bool:
    return context.pdfa


def pikepdf() -> Any:
    """pikepdf, imported when a file is read: `communiques` starts without it."""
    import pikepdf

    return pikepdf
