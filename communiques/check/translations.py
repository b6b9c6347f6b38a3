"""The translations family of `check`: a text an English edition prints in French because it
has no English version (an organisation's name, a contact's role, the programme's aims…).
The edition still builds; each such field is named, with the fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..errors import WARNING, Diagnostic
from ..model import NOMS_LANGUES
from .passages import URL_FIELDS
from .registry import Proofreading, rule

NEVER_TRANSLATED = {"lieu", "adresse", "sigle"}
"""Places and acronyms: the same in every language."""


@rule("coherence", WARNING)
def untranslated(proofreading: Proofreading) -> Iterator[Diagnostic]:
    """Each plain French text of the communiqué, its émetteur or its programme that an
    edition in another language prints as it is."""
    others = [lang for lang in proofreading.resolved.languages if lang != "fr"]
    if not others:
        return
    names = ", ".join(f"{NOMS_LANGUES.get(lang, lang)} ({lang})" for lang in others)
    example = ", ".join(f"{lang}: …" for lang in others)
    for passage in proofreading.passages:
        field = passage.field
        if passage.translated or field in URL_FIELDS or field in NEVER_TRANSLATED:
            continue
        if field == "nom" and ("laureats" in passage.loc or _a_name(passage.value)):
            continue  # a laureate, a person: « Anne-Marie MEVEL », not « Secrétariat »
        if proofreading.speller.looks_french(passage.value):
            yield passage.finding(
                f"texte en français dans l'édition en {names}",
                f"donnez sa traduction : {{fr: …, {example}}}",
            )


def _a_name(text: str) -> bool:
    """A person's name: two words or more, each capitalised."""
    words = text.split()
    return len(words) > 1 and all(word[:1].isupper() for word in words)
