"""The offline dictionaries behind spelling: pyspellchecker's words, most frequent first,
kept in the user's cache folder, and CLDR's names of countries and regions (Babel).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
from functools import cache
from pathlib import Path

from ..files import write_atomic

CACHE_FORMAT = "par-frequence"
"""In the name of the cached word list: a list made another way is never read as this one."""


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/communiques, by default ~/.cache/communiques."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "communiques"


@cache
def ranked_words(language: str) -> tuple[str, ...]:
    """pyspellchecker's dictionary for `language`, most frequent word first.

    pyspellchecker reads its words and their frequencies in 0.27 s, more than the rest of
    `check`. The words alone, kept in that order in the user's cache folder (one a line, the
    file named after the dictionary it comes from), read in 0.03 s; their order is all a
    suggestion needs of the frequencies. Without a usable cache folder, the slow way works."""
    spec = importlib.util.find_spec("spellchecker")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).parent / "resources" / f"{language}.json.gz"
    stat = source.stat()
    cached = cache_dir() / f"mots-{language}-{stat.st_size}-{stat.st_mtime_ns}-{CACHE_FORMAT}.txt"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return tuple(cached.read_text(encoding="utf-8").split("\n"))
    from spellchecker import SpellChecker

    frequencies = SpellChecker(language=language).word_frequency.dictionary
    words = tuple(sorted(frequencies, key=lambda word: (-frequencies[word], word)))
    with contextlib.suppress(OSError):
        write_atomic(cached, "\n".join(words).encode())
        for stale in cached.parent.glob(f"mots-{language}-*.txt"):  # an older dictionary's
            if stale != cached:
                stale.unlink()
    return words


@cache
def known_words(language: str) -> frozenset[str]:
    return frozenset(ranked_words(language))


@cache
def rank(language: str) -> dict[str, int]:
    return {word: place for place, word in enumerate(ranked_words(language))}


@cache
def letters(language: str) -> str:
    return "".join(sorted(set("".join(ranked_words(language)))))


@cache
def place_names(language: str) -> frozenset[str]:
    """The words of the names CLDR gives the world's countries and regions in `language`
    (Babel): the dictionary lacks « Europe » or « Allemagne », which a capital at the start of
    a sentence does not excuse as it does inside one."""
    from babel import Locale

    names = Locale.parse(language).territories.values()
    return frozenset(word.lower() for name in names for word in re.findall(r"[^\W\d_]+", name))


def one_edit(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away: pyspellchecker's
    edit_distance_1, on the cached words rather than on its 0.27 s dictionary."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(left + right[1:] for left, right in splits if right),
        *(left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1),
        *(left + c + right[1:] for left, right in splits if right for c in alphabet),
        *(left + c + right for left, right in splits for c in alphabet),
    }


@cache
def by_initial(language: str, initial: str) -> tuple[str, ...]:
    """The known words starting with `initial`, where a far suggestion is looked for."""
    return tuple(sorted(w for w in known_words(language) if w.startswith(initial)))
