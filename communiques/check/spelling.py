"""The spelling family: unknown words in the communiqué's texts and in the templates'
French strings, with Hunspell's likely word as the suggestion (communiques.dictionary:
hunspell-fr, hunspell-en-gb), the package's and the office's word lists (assets/mots.txt) on
top, and CLDR's names of countries and regions. Never spell-checked: URLs, domains, e-mail
addresses, code spans, names of people and laureates, places.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from ..dictionary import Dictionary, missing, never_checked
from ..errors import WARNING, Diagnostic
from ..model import LANGUES
from .passages import HIDDEN_IN_TEXT, URL_FIELDS
from .registry import Proofreading, rule

WORD_LIST = "mots.txt"

_WORD = re.compile(r"(?<!\d)[^\W\d_]+(?:['’][^\W\d_]+)*(?:[-‐][^\W\d_]+(?:['’][^\W\d_]+)*)*")
_APOSTROPHE = re.compile(r"['’]")


class Speller:
    """Hunspell's dictionary of each language, with the project's words (names, acronyms)
    and CLDR's place names. A language whose dictionary is not installed checks nothing:
    `missing` says what to install."""

    def __init__(self, words: frozenset[str], english: str = "en-GB") -> None:
        """`english`: en-GB, or en-US when the office says so (`orthographe_anglaise`)."""
        self.words = words
        self.english = english
        self._dictionaries: dict[str, Dictionary | None] = {}

    def _tag(self, language: str) -> str:
        return self.english if language == "en" else language

    def dictionary(self, language: str) -> Dictionary | None:
        tag = self._tag(language)
        if tag not in self._dictionaries:
            self._dictionaries[tag] = Dictionary.for_language(tag, self.words)
        return self._dictionaries[tag]

    def missing(self, language: str) -> str | None:
        """Why `language` cannot be spell-checked (naming the package), or None."""
        return missing(self._tag(language)) if self.dictionary(language) is None else None

    def known(self, word: str, language: str) -> bool:
        dictionary = self.dictionary(language)
        if dictionary is None or len(word) < 2 or dictionary.known(word):
            return True
        return word[0].isupper() and word.lower() in place_names(language)

    def unknown(self, text: str, language: str) -> Iterator[tuple[int, str, str]]:
        """(offset, word, suggestion) for each word neither the dictionary nor the project
        knows. A compound (« savoir-faire ») is right when it or all its parts are known; an
        elision (« d’EXPE-CT ») when what follows the apostrophe is.

        A capitalised word inside a sentence is a proper noun (« Ministère de l'Europe »,
        « Ville de Lyon »), which no dictionary lists: it is left alone. Words in capitals
        (acronyms) are checked: they belong in the word list.
        """
        if self.dictionary(language) is None:
            return
        masked = HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]), text)
        for start, end in never_checked(masked):
            masked = masked[:start] + " " * (end - start) + masked[end:]
        for match in _WORD.finditer(masked):
            word, offset = match[0], match.start()
            if self.known(word, language):
                continue
            if (elided := _APOSTROPHE.search(word)) and self.known(
                word[: elided.end()].replace("’", "'"), language
            ):
                word, offset = word[elided.end() :], offset + elided.end()
                if self.known(word, language):
                    continue
            before = masked[:offset].rstrip(" \t\u00a0*_«\"'’(“#>-")
            inside_sentence = bool(before) and before[-1] not in ".!?…:\n"
            if word[0].isupper() and not word.isupper() and inside_sentence:
                continue
            for part in re.split(r"([-‐])", word):
                if part not in ("-", "‐") and not self.known(part, language):
                    yield offset, part, self.suggest(part, language)
                offset += len(part)

    def looks_french(self, text: str) -> bool:
        """Whether `text` is French rather than English: more of its words are known only to
        the French dictionary than only to the English one (names, acronyms and the office's
        words are known to both or neither). False when either dictionary is missing."""
        french, english = self.dictionary("fr"), self.dictionary("en")
        if french is None or english is None:
            return False
        masked = HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]), text)
        balance = 0
        for match in _WORD.finditer(masked):
            word = match[0]
            if len(word) < 3 or word.isupper():
                continue
            balance += french.known(word) - english.known(word)
        return balance > 0

    def suggest(self, word: str, language: str) -> str:
        """Hunspell's likely word; a country or region written in lowercase gets its
        capital. None for an acronym (« ZGB »): it belongs in the word list, and the nearest
        word in capitals is seldom what was meant."""
        lower = word.lower()
        if lower in place_names(language):
            return word[0].upper() + word[1:]
        dictionary = self.dictionary(language)
        if dictionary is None or (word.isupper() and len(word) <= 5):
            return ""
        best = dictionary.suggest(word) or ""
        return "" if best == word else best


@rule("orthographe", WARNING)
def dictionaries(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """The dictionaries that are not installed: one line on the communiqué, naming the
    Debian packages; the other rules run all the same."""
    languages = {p.language for p in proofreading.passages if p.language in LANGUES}
    if proofreading.templates:
        languages.add("fr")
    reasons = [r for lang in sorted(languages) if (r := proofreading.speller.missing(lang))]
    if reasons:
        message, _, install = reasons[0].partition(" → ")
        command, _, _ = install.partition(" install ")
        packages = dict.fromkeys(p for r in reasons for p in r.partition(" install ")[2].split())
        yield Diagnostic(
            proofreading.resolved.source,
            0,
            0,
            "",
            message,
            suggestion=f"{command} install {' '.join(packages)}",
        )


@rule("orthographe", WARNING)
def spelling(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """Unknown words of each text, with the dictionary's likely word as the suggestion."""
    speller = proofreading.speller
    for passage in proofreading.passages:
        if passage.field in URL_FIELDS or passage.language not in LANGUES:
            continue
        loc = [part for part in passage.loc if part not in LANGUES]
        if passage.field == "nom" and len(loc) > 1 and isinstance(loc[-2], int):
            continue  # the name of a person or a laureate: no dictionary has it
        if passage.field == "lieu":
            continue  # a place name (« Metz » is not a typo for « Mets »)
        language = passage.language
        if language != "fr" and not passage.translated and speller.looks_french(passage.value):
            language = "fr"  # French text an English edition falls back to (translations.py)
        for offset, word, suggestion in speller.unknown(passage.value, language):
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


@cache
def place_names(language: str) -> frozenset[str]:
    """The words of the names CLDR gives the world's countries and regions in `language`
    (Babel), which a capital at the start of a sentence does not excuse as it does inside
    one: known capitalised, suggested for a lowercase one (« europe » → « Europe »)."""
    from babel import Locale

    names = Locale.parse(language).territories.values()
    return frozenset(word.lower() for name in names for word in re.findall(r"[^\W\d_]+", name))
