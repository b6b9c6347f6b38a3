"""The words of the web pages that are not the communiqué's own, in its language.

Kept here rather than in the gettext catalogs: the archive's pages are few, and the web
templates then need no catalog update to be changed.
"""

from __future__ import annotations

from typing import Any

_LABELS: dict[str, dict[str, Any]] = {
    "fr": {
        "evitement": "Aller au contenu",
        "fichiers": "Autres versions de ce communiqué",
        "navigation": "Navigation du site",
        "accueil": "Tous les communiqués",
        "pdf": "Télécharger le communiqué en PDF",
        "docx": "Télécharger le communiqué modifiable (DOCX, Word)",
        "ko": "Ko",
        "pages": "{n}\u00a0p.",
    },
    "en": {
        "evitement": "Skip to content",
        "fichiers": "Other versions of this press release",
        "navigation": "Site navigation",
        "accueil": "All press releases",
        "pdf": "Download the press release as PDF",
        "docx": "Download the editable press release (DOCX, Word)",
        "ko": "KB",
        "pages": "{n}\u00a0p.",
    },
}

IN_LANGUAGE = {
    "fr": "Lire ce communiqué en français",
    "en": "Read this press release in English",
}
"""The link to another language's edition, written in that language (and marked lang=…)."""

LANGUAGE_NAMES = {"fr": "français", "en": "English"}


def labels(language: str) -> dict[str, Any]:
    return _LABELS.get(language, _LABELS["fr"])


def size(data_size: int, language: str) -> str:
    """`85 Ko`: what a reader on a slow connection wants to know before downloading."""
    return f"{max(1, round(data_size / 1024))}\u00a0{labels(language)['ko']}"
