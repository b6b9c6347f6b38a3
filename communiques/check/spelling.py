"""The spelling family: unknown words in the communiqué's texts and in the templates'
French strings, with the dictionary's closest word as the suggestion; the project's own word
list (assets/mots.txt) and the templates' strings as Babel extracts them.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from ..errors import WARNING, Diagnostic
from ..model import LANGUES
from .dictionary import by_initial, known_words, letters, one_edit, place_names, rank
from .passages import HIDDEN_IN_TEXT, URL_FIELDS
from .registry import Proofreading, rule

WORD_LIST = "mots.txt"
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}

_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")


class Speller:
    """Spelling with an offline dictionary and the project's own words (names, acronyms)."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def known(self, word: str, language: str) -> bool:
        lower = word.lower()
        if lower in self.words or len(lower) < 2:
            return True
        if lower in known_words(language):
            return True
        return word[0].isupper() and lower in place_names(language)

    def unknown(self, text: str, language: str) -> Iterator[tuple[int, str, str]]:
        """(offset, word, suggestion) for each word neither the dictionary nor the project
        knows. A compound (« savoir-faire ») is right when it or all its parts are known.

        A capitalised word inside a sentence is a proper noun (« Ministère de l'Europe »,
        « Ville de Lyon »), which no dictionary lists: it is left alone. Words in capitals
        (acronyms) are checked: they belong in the word list.
        """
        masked = HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]), text)
        for match in _WORD.finditer(masked):
            word = match[0]
            if self.known(word, language):
                continue
            before = masked[: match.start()].rstrip(" \t\u00a0*_«\"'(“#>-")
            inside_sentence = bool(before) and before[-1] not in ".!?…:\n"
            if word[0].isupper() and not word.isupper() and inside_sentence:
                continue
            after = masked[match.end() : match.end() + 1]
            if after in ("'", "’") and word.lower() in ELISIONS:
                continue
            offset = match.start()
            for part in re.split(r"([-‐])", word):
                if part not in ("-", "‐") and not self.known(part, language):
                    yield offset, part, self.suggest(part, language)
                offset += len(part)

    def suggest(self, word: str, language: str) -> str:
        """The most frequent known word one edit away, then a country or region one edit
        away, otherwise the closest by difflib among the words of about the same length:
        pyspellchecker's own two-edit search takes seconds on a long word. A country or
        region written in lowercase gets its capital."""
        lower = word.lower()
        places = place_names(language)
        if lower in places:
            return word[0].upper() + word[1:]
        edits = one_edit(lower, letters(language))
        if close := edits & known_words(language):
            best = min(close, key=rank(language).__getitem__)
        elif close := edits & places:
            return min(close).capitalize()
        else:
            bucket = [w for w in by_initial(language, lower[:1]) if abs(len(w) - len(lower)) <= 2]
            best = next(iter(difflib.get_close_matches(lower, bucket, n=1, cutoff=0.8)), "")
        if not best or best == lower:
            return ""
        if word.isupper():
            return best.upper()
        return best[0].upper() + best[1:] if word[0].isupper() else best


@rule("orthographe", WARNING)
def spelling(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """Unknown words of each text, with the dictionary's closest word as the suggestion."""
    for passage in proofreading.passages:
        if passage.field in URL_FIELDS or passage.language not in LANGUES:
            continue
        loc = [part for part in passage.loc if part not in LANGUES]
        if passage.field == "nom" and len(loc) > 1 and isinstance(loc[-2], int):
            continue  # the name of a person or a laureate: no dictionary has it
        if passage.field == "lieu":
            continue  # a place name (« Metz » is not a typo for « Mets »)
        for offset, word, suggestion in proofreading.speller.unknown(
            passage.value, passage.language
        ):
            yield passage.finding(
                f"mot inconnu « {word} »"
                + ("" if suggestion else f" (si c'est juste : {WORD_LIST})"),
                f"« {suggestion} »" if suggestion else "",
                at=offset,
                length=len(word),
            )


@rule("orthographe", WARNING)
def template_spelling(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """The French strings of the templates, which every communiqué prints. (The templates
    are read here, to point at the word: they are not the communiqué's data.)"""
    lines: dict[Path, list[str]] = {}
    for path, line, text in proofreading.templates:
        for _, word, suggestion in proofreading.speller.unknown(text, "fr"):
            if path not in lines:
                lines[path] = path.read_text(encoding="utf-8").splitlines()
            source = lines[path][line - 1] if 0 < line <= len(lines[path]) else ""
            column = max(source.find(word), 0) + 1
            yield Diagnostic(
                path,
                line,
                column,
                "modèle",
                f"mot inconnu « {word} » dans le modèle",
                suggestion=f"« {suggestion} »" if suggestion else "",
            )


def word_list(asset_dirs: Iterable[Path]) -> frozenset[str]:
    """The project's words: assets/mots.txt of the press office and of the package, one word a
    line, # for comments. Lowercase, because the dictionary is."""
    words: set[str] = set()
    for folder in asset_dirs:
        path = folder / WORD_LIST
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                word = line.split("#", 1)[0].strip()
                if word:
                    words.add(word.lower())
    return frozenset(words)


def template_strings(template_dirs: tuple[Path, ...], modele: str) -> list[tuple[Path, int, str]]:
    """The translatable strings of the templates a modèle is made of, as Babel extracts them:
    the modèle and the shared parts (_*.html.j2), the press office's own first."""
    chosen: dict[str, Path] = {}
    for folder in template_dirs:
        for path in [folder / f"{modele}.html.j2", *sorted(folder.glob("_*.html.j2"))]:
            if path.is_file():
                chosen.setdefault(path.name, path)
    return [item for path in chosen.values() for item in _extract(path, path.stat().st_mtime_ns)]


@cache
def _extract(path: Path, mtime: int) -> tuple[tuple[Path, int, str], ...]:
    from babel.messages.extract import extract_from_file

    found = []
    options = {"extensions": "jinja2.ext.i18n", "silent": "false"}
    for line, message, _, _ in extract_from_file("jinja2", str(path), options=options):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.append((path, line, text))
    return tuple(found)
