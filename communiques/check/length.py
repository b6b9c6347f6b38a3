"""The length family: a title too long for a headline or an e-mail subject, and a body that
does not fit on one page once laid out as in the PDF (measured by `check_file`, which hands
the heights to the rules of stage "mise en page").
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import WARNING, Diagnostic
from ..l10n import decimal
from ..resolve import Resolved
from .registry import Proofreading, rule

TITLE_MAX = 100


@rule("longueur", WARNING)
def title_length(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """A title over 100 characters does not fit a headline, nor an e-mail subject."""
    for text in proofreading.passages:
        if text.field == "titre" and len(text.value) > TITLE_MAX:
            yield text.finding(
                f"titre de {len(text.value)} caractères (plus de {TITLE_MAX})",
                "un titre court, le détail dans sous_titre",
            )


@rule("longueur", WARNING, stage="mise en page")
def body_length(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """The chapô and body of each edition, once laid out as in the PDF, should fit on one
    page."""
    several = len(proofreading.resolved.languages) > 1
    for edition, pages in proofreading.bodies:
        label = f" ({edition.communique.langue})" if several else ""
        yield from _body_length(edition, pages, label)


def _body_length(resolved: Resolved, pages: float, label: str) -> Iterator[Diagnostic]:
    if pages <= 1 or resolved.sources is None:
        return
    document = resolved.sources.communique
    data = document.data if isinstance(document.data, dict) else {}
    field = next((f for f in ("corps", "chapo", "titre") if f in data), "titre")
    line, column = document.mark((field,), key=True)
    yield Diagnostic(
        document.path,
        line,
        column,
        field,
        f"le texte{label} fait {decimal(pages)} pages une fois mis en page : plus d'une page",
        suggestion="raccourcissez-le : un communiqué se lit sur une page",
    )
