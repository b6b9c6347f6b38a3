"""The spelling dictionary of `check`: Hunspell's, as Debian ships it (`hunspell-fr`, the
Dicollecte lexicon: reformed and classic spellings, feminine titles, œ; `hunspell-en-gb` for an
English edition), read through pyenchant (libenchant-2), plus the office's own words.

Measured here (tests/test_dictionary.py has the figures): pyenchant loads the French
dictionary in 0.05 s and suggests in about 0.1 s a word; spylls, Hunspell ported to pure
Python, needs 1 s to load and up to 90 s for one suggestion.

Hunspell's suggestions are re-ranked so that the first is the likely word: a typist forgets
an accent, a doubled letter or a letter more often than they add one («ministére» →
«ministère», «gouvernment» → «gouvernement»). Suggestion cost is bounded: no word longer than
a real word can be is looked up (issue #12).
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_LOCK = threading.RLock()
"""Enchant is not thread-safe (the studio proofreads in worker threads): two dictionaries
opened at once garble its broker's callbacks, so every call into it takes this lock."""

MAX_SUGGESTED_LENGTH = 40
"""The longest word a suggestion is sought for: « anticonstitutionnellement » has 25 letters."""

DICTIONARY_TAG = {"fr": "fr_FR", "en": "en_GB", "en-GB": "en_GB", "en-US": "en_US"}
DEBIAN_PACKAGE = {"fr_FR": "hunspell-fr", "en_GB": "hunspell-en-gb", "en_US": "hunspell-en-us"}

DICTIONARY_FOLDERS = tuple(
    Path(folder)
    for folder in ("/usr/share/hunspell", "/usr/share/myspell", "/usr/local/share/hunspell")
)
"""Where Debian's hunspell-* packages (and a local install) put the dictionaries Enchant
reads; their files' dates and sizes salt the cached suggestions."""

_NEVER_CHECKED = re.compile(
    r"(?:https?://|mailto:|tel:|www\.)[^\s<>()\[\]]+"  # URLs
    r"|[\w.+'’-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?-i:(?<![\w@.])(?:[a-z0-9-]+\.)+[a-z]{2,6}(?:/[^\s<>()\[\]]*)?(?![\w@]))"  # domains
    r"|`[^`\n]*`",  # code spans
    re.IGNORECASE,
)


def never_checked(text: str) -> list[tuple[int, int]]:
    """The spans of `text` that must never be spell-checked: URLs, domains (« gouv.fr » in a
    link's text), e-mail addresses, Markdown code spans."""
    return [match.span() for match in _NEVER_CHECKED.finditer(text)]


def missing(language: str) -> str | None:
    """Why the dictionary of `language` cannot be used, in French, naming what to install;
    None when it can."""
    tag = DICTIONARY_TAG.get(language, language)
    package = DEBIAN_PACKAGE.get(tag, f"hunspell-{tag.split('_')[0].lower()}")
    try:
        enchant = _enchant()
    except (ImportError, OSError):
        if importlib.util.find_spec("enchant") is None:
            return "orthographe non vérifiée : pyenchant est absent → pip install pyenchant"
        return (  # pyenchant is there, libenchant is not (or cannot be loaded)
            "orthographe non vérifiée : la bibliothèque Enchant est absente → "
            f"sudo apt-get install libenchant-2-2 {package}"
        )
    with _LOCK:
        exists = enchant.dict_exists(tag)
    if not exists:
        return (
            f"orthographe non vérifiée : dictionnaire {tag} absent → sudo apt-get install {package}"
        )
    return None


class Dictionary:
    """Hunspell's dictionary of one language, and the office's words on top."""

    def __init__(self, tag: str, extra_words: Iterable[str] = ()) -> None:
        """`tag`: Enchant's name of the dictionary (fr_FR, en_GB, en_US)."""
        self._tag = tag
        _hunspell(tag)  # opened now, under the lock, not in the middle of a look-up
        self._extra = frozenset(_normal(word) for word in extra_words if word.strip())
        self._extra_folded = frozenset(word.casefold() for word in self._extra)

    @classmethod
    def for_language(cls, language: str, extra_words: Iterable[str] = ()) -> Dictionary | None:
        """The dictionary of `language` (« fr », « en » for en-GB, « en-US »), or None when it
        is not installed: `missing(language)` then says which package to install."""
        if missing(language) is not None:
            return None
        return cls(DICTIONARY_TAG.get(language, language), extra_words)

    def known(self, word: str) -> bool:
        """Whether `word` is spelt right: in Hunspell's lexicon (with its capitalised and
        all-capitals forms) or in the office's words (« EXPE-CT », « DAECT »)."""
        word = _normal(word)
        if not word or word in self._extra or word.casefold() in self._extra_folded:
            return True
        if len(word) > MAX_SUGGESTED_LENGTH * 2:
            return False
        return _hunspell_knows(self._tag, word)

    def suggest(self, word: str) -> str | None:
        """The likely word, or None: never sought for a word longer than a real word can be."""
        word = _normal(word)
        if not word or len(word) > MAX_SUGGESTED_LENGTH:
            return None
        candidates = [*_hunspell_suggestions(self._tag, word)]
        candidates += [w for w in self._extra if abs(len(w) - len(word)) <= 2]
        if not candidates:
            return None
        ranked = sorted(enumerate(candidates), key=lambda pair: (_cost(word, pair[1]), pair[0]))
        best = ranked[0][1]
        return best if _cost(word, best) <= max(2.0, len(word) / 3) else None


@cache
def _enchant() -> Any:
    """pyenchant, its per-user folder (where Enchant creates personal word lists,
    ~/.config/enchant) moved to a private temporary folder first: checking a text writes
    nothing in the user's home. The folder goes with the process (or with the run's
    temporary folder, under the command)."""
    folder = tempfile.mkdtemp(prefix="communiques-enchant-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["ENCHANT_CONFIG_DIR"] = folder
    import enchant

    return enchant


@cache
def _hunspell(tag: str) -> Any:
    """One enchant dictionary per language and process (0.05 s to load French)."""
    enchant = _enchant()
    with _LOCK:
        return enchant.Dict(tag)


@lru_cache(maxsize=1 << 16)
def _hunspell_knows(tag: str, word: str) -> bool:
    """Hunspell's answer for `word`, once per process: « de », « la », « collectivités » come
    back in every text (10,000 look-ups for 30 communiqués, 2,000 distinct words)."""
    with _LOCK:
        return bool(_hunspell(tag).check(word))


def _hunspell_suggestions(tag: str, word: str) -> tuple[str, ...]:
    """Hunspell's suggestions for `word` and its accented forms, from the user's cache when
    it has them: one French suggestion takes Hunspell 0.1 to 0.7 s, and the same unknown
    word (a name, a programme's title in capitals) comes back in every communiqué that
    cites it and at every `check` until it is fixed or listed."""
    with _LOCK:
        table = _suggestion_table()
        stored = table.get(f"{tag}:{word}")
        if isinstance(stored, list) and all(isinstance(each, str) for each in stored):
            return tuple(stored)
        hunspell = _hunspell(tag)
        candidates = [s for s in hunspell.suggest(word) if s != word]
        candidates += _accented(word, hunspell)
        table.put(f"{tag}:{word}", candidates)
        return tuple(candidates)


@cache
def _suggestion_table() -> Any:
    """Salted with the dictionaries' files: an updated hunspell-fr suggests anew."""
    from . import cache as user_cache

    return user_cache.Table("suggestions", user_cache.files_fingerprint(DICTIONARY_FOLDERS))


def save_suggestions() -> None:
    """Keeps this process's new suggestions in the user's cache (`check` calls it last)."""
    if _suggestion_table.cache_info().currsize:
        with _LOCK:
            _suggestion_table().save()


def _normal(word: str) -> str:
    """What Hunspell reads: composed characters, the straight apostrophe of its lexicon."""
    return unicodedata.normalize("NFC", word).replace("’", "'").strip()


def _base(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[0].casefold()


def _cost(typed: str, candidate: str) -> float:
    """How unlikely a slip turns `candidate` into `typed`, Damerau–Levenshtein with the
    weights of French slips: a forgotten accent costs little, a letter forgotten or doubled
    less than a wrong one, a feminine « e » after « é » (« comitée ») least; the first letter
    is seldom wrong, and a word cut in two is seldom what was meant."""
    a, b = typed, candidate
    rows, cols = len(a) + 1, len(b) + 1
    d = [[0.0] * cols for _ in range(rows)]
    for i in range(1, rows):
        d[i][0] = i * 0.8 + 0.5
    for j in range(1, cols):
        d[0][j] = j * 0.75 + 0.5
    for i in range(1, rows):
        for j in range(1, cols):
            x, y = a[i - 1], b[j - 1]
            first = 0.5 if i == 1 or j == 1 else 0.0
            if x == y:
                substitute = 0.0
            elif _base(x) == _base(y):
                substitute = 0.3  # an accent or a capital
            elif {x, y} == {"i", "y"}:
                substitute = 0.6  # « déployment »
            else:
                substitute = 1.0 + first
            inserted = (0.6 if j > 1 and y == b[j - 2] else 0.75) + first  # forgotten
            deleted = (0.6 if i > 1 and x == a[i - 2] else 0.8) + first  # typed in excess
            if x == "e" and i == len(a) and i > 1 and a[i - 2] == "é":
                deleted = 0.4  # « comitée », « collectivitée »: agreement with no feminine
            if y in " -" and x not in " -":
                inserted = 1.5
            d[i][j] = min(
                d[i - 1][j] + deleted, d[i][j - 1] + inserted, d[i - 1][j - 1] + substitute
            )
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 0.7)
    return d[-1][-1]


_ACCENTS = {"e": "eéèê", "a": "aàâ", "u": "uùû", "i": "iîï", "o": "oô", "c": "cç"}


def _accented(word: str, hunspell: Any) -> list[str]:
    """The words `word` is with its accents put back (« benevoles » → « bénévoles »), which
    Hunspell's own suggestions can miss; at most 256 look-ups, each a few microseconds."""
    places = [i for i, letter in enumerate(word) if letter in _ACCENTS][:4]
    found: list[str] = []
    variants = [word]
    for place in places:
        variants = [v[:place] + c + v[place + 1 :] for v in variants for c in _ACCENTS[word[place]]]
    for variant in variants:
        if variant != word and hunspell.check(variant):
            found.append(variant)
    return found
