"""The typography family: what French typography asks and the tool cannot decide by itself
(`l10n.typography.remarks`: a doubled space, a quote left open, « 1 avril » for « 1er avril »).

What rendering fixes (the no-break spaces of « 1 250 », « 12,5 % », « 24 mars 2021 », before
« : ; ! ? », apostrophes, guillemets) is never warned about: a press officer cannot type
U+202F, and need not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import WARNING, Diagnostic
from ..l10n.typography import remarks
from .passages import URL_FIELDS
from .registry import Proofreading, rule

_NOT_PROSE = re.compile(
    r"\]\([^)]*\)"  # the target of a Markdown link
    r"|<[^>]*>"  # an autolink or a tag
    r"|%\(\w+\)s"  # a template placeholder
    r"|&\w+;"  # an HTML entity
)
"""What rendering does not print as prose; URLs and e-mail addresses `remarks` skips itself."""


@rule("typographie", WARNING)
def typography(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """Each text's typographic faults that only its author can correct."""
    for passage in proofreading.passages:
        if passage.field in URL_FIELDS:
            continue
        plain = _NOT_PROSE.sub(lambda m: "x" * len(m[0]), passage.value)
        for remark in remarks(plain, passage.language):
            yield passage.finding(
                remark.message,
                remark.suggestion,
                at=remark.start,
                length=remark.length,
                shift=remark.context,
            )
