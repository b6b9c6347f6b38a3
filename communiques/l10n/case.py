"""The case of a label inserted in the middle of a sentence (« se trouve sur le dossier de
candidature »): a label is written to stand alone, with its capital, and the sentence decides.

The rule, in the order it is applied; a label is kept as written unless all hold:
- it has two words or more: a single word is most often a name (« Légifrance », « Paris »);
- its first word is not an acronym nor in capitals (its second letter is lowercase), or is an
  elided article (« L'annuaire »);
- its first word, in lowercase, is in the language's dictionary: « Le », « Dossier » are,
  « France », « Lyon », « Légifrance » are not (Hunspell knows them with their capital only);
- its second word does not start with a capital: « France Diplomatie », « Tours Métropole »,
  « L'Express » are names.
Without the dictionary installed, every label is kept as written.
"""

from __future__ import annotations

import re
from functools import cache

from ..dictionary import Dictionary

_FIRST_WORDS = re.compile(r"^(\w+)(['’]|[\s-]+)(\w)", re.UNICODE)


def mid_sentence(label: str, language: str = "fr") -> str:
    """`label` as it reads after a word of the sentence: its first letter lowered when the
    rule above says it is a capitalised common word."""
    match = _FIRST_WORDS.match(label)
    if match is None:
        return label
    first, joint, next_letter = match.groups()
    elided = joint in ("'", "’") and len(first) == 1
    if not elided and (len(first) < 2 or not first[1].islower()):
        return label
    if not first[0].isupper() or next_letter.isupper():
        return label
    dictionary = _dictionary(language)
    word = first.lower() + ("'" if elided else "")
    if dictionary is None or not dictionary.known(word):
        return label
    return label[0].lower() + label[1:]


@cache
def _dictionary(language: str) -> Dictionary | None:
    return Dictionary.for_language(language)
