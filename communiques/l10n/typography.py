"""French typography for running text: no-break spaces, apostrophes and guillemets (and the
lighter English rules: curly quotes only).

Applied to every text node of the rendered document, whether it came from data or from a
template, so no author ever has to type a no-break space. URLs and e-mail addresses are left
exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

NBSP = "\u00a0"  # before « : » and inside « »
NNBSP = "\u202f"  # narrow, before « ; ! ? »

_UNTOUCHABLE = re.compile(
    r"((?:https?://|mailto:|tel:|www\.)[^\s<>]+|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE
)
_HIDDEN = re.compile("\ue000(\\d+)\ue001")
_SPACES = "[ \t\u00a0\u202f]*"
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"'"), "’"),
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r'"\s*([^"]*?)\s*"'), f"«{NBSP}\\1{NBSP}»"),
    (re.compile(rf"«{_SPACES}"), f"«{NBSP}"),
    (re.compile(rf"(?<=\S){_SPACES}»"), f"{NBSP}»"),
    (re.compile(rf"(?<=[^\s;!?]){_SPACES}([;!?]+)"), f"{NNBSP}\\1"),
    (re.compile(rf"(?<=[^\s:]){_SPACES}:(?=\s|$)"), f"{NBSP}:"),
]


def french(text: str) -> str:
    """Return `text` with French typographic spacing and punctuation."""
    return _apply(text, _RULES)


_ENGLISH_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<=\w)'(?=\w)"), "’"),
    (re.compile(r"\.\.\."), "…"),
    (re.compile(r'"\s*([^"]*?)\s*"'), "“\\1”"),
]


def english(text: str) -> str:
    """Return `text` with English punctuation: curly apostrophes and quotes, and no space
    added before « ; ! ? : », which English does not have."""
    return _apply(text, _ENGLISH_RULES)


def rules_for(language: str) -> Callable[[str], str]:
    """The typography of `language`: French, or English's lighter rules."""
    return english if language == "en" else french


def _apply(text: str, rules: list[tuple[re.Pattern[str], str]]) -> str:
    """`rules` applied to `text`, URLs and e-mail addresses hidden from them."""
    kept: list[str] = []

    def hide(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"\ue000{len(kept) - 1}\ue001"

    masked = _UNTOUCHABLE.sub(hide, text)
    for pattern, replacement in rules:
        masked = pattern.sub(replacement, masked)
    return _HIDDEN.sub(lambda match: kept[int(match[1])], masked)
