"""Resolved communiqué → semantic HTML, through a sandboxed Jinja2 template.

The HTML is the single source of both outputs: WeasyPrint lays it out as the PDF and the DOCX
writer maps its elements to Word styles, so the two documents always say the same thing.

Template strings are written in French and translated through the gettext catalogs of
`communiques/locale/` (see babel.cfg and `make catalogs`), by `l10n.Localiser`.
"""

from __future__ import annotations

import sys
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from jinja2 import (
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment

from .. import laureates
from ..errors import DataErrors, Diagnostic, ResourceRefused
from ..l10n import HTML_LANG, Localiser
from ..l10n.case import mid_sentence
from ..l10n.typeset import typeset_tree
from ..resolve import Resolved
from . import markdown
from .resources import asset_url, inside

_VOWELS = tuple("aeiouyàâäéèêëîïôöùûü")


class _Refused(SecurityError):
    """A template named outside the template folders (`../x`, `/etc/x`)."""


class _OfficeLoader(FileSystemLoader):
    """Templates from the office's and the package's folders only: a name that leaves them
    (`../`, an absolute path) or a symlink leading out is refused, never followed."""

    def __init__(self, template_dirs: tuple[Path, ...]) -> None:
        super().__init__(template_dirs)
        self.roots = template_dirs

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        parts = template.replace("\\", "/").split("/")
        if template.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
            raise _Refused(
                f"gabarit refusé « {template} » : hors des dossiers templates/ du bureau et "
                "du paquet ; nommez-le depuis templates/, sans ../ ni chemin absolu"
            )
        source, filename, uptodate = super().get_source(environment, template)
        inside(Path(filename), self.roots)
        return source, filename, uptodate


@cache
def environment(
    template_dirs: tuple[Path, ...], language: str = "fr"
) -> ImmutableSandboxedEnvironment:
    """One environment per template folders and language, built once per process."""
    l10n = Localiser(language)
    env = ImmutableSandboxedEnvironment(
        loader=_OfficeLoader(template_dirs),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=l10n.gettext, ngettext=l10n.ngettext, newstyle=True
    )
    env.filters.update(
        date=l10n.date,
        mois=l10n.month,
        heure=l10n.time,
        nombre=l10n.number,
        telephone=l10n.phone,
        markdown=markdown.block,
        markdown_ligne=markdown.inline,
        de=_to if l10n.english else _de,
        du=_of if l10n.english else partial(_contracted, "de"),
        au=_of if l10n.english else partial(_contracted, "à"),
        sujet=_subject_en if l10n.english else _subject,
        asset_url=asset_url,
        domaine=lambda url: urlsplit(str(url)).netloc or str(url),
        types_laureats=lambda programme: laureates.types(programme, language),
        decompte=lambda laureats, kinds, total, conjunction: laureates.counted(
            laureats, kinds, total=total, number=l10n.number, conjunction=conjunction
        ),
        majuscule=laureates.upper_first,
        dans_la_phrase=lambda label: mid_sentence(str(label), language),
    )
    return env


def _de(word: Any) -> str:
    """« de promouvoir », « d’accompagner »: what introduces an objective in French."""
    return "d’" if str(word).lower().startswith(_VOWELS) else "de "


_CONTRACTIONS = {
    "de": {"le ": "du ", "les ": "des ", "la ": "de la ", "l’": "de l’", "l'": "de l’"},
    "à": {"le ": "au ", "les ": "aux ", "la ": "à la ", "l’": "à l’", "l'": "à l’"},
}


def _contracted(preposition: str, phrase: Any) -> str:
    """« le label X » → « du label X », « au label X »; « la subvention » → « de la
    subvention »; « une aide » → « d’une aide »: a French preposition before a phrase that
    starts with its article, as the programme writes it (« comité », « récompense »)."""
    text = str(phrase)
    for article, contracted in _CONTRACTIONS[preposition].items():
        if text.startswith(article):
            return contracted + text[len(article) :]
    return (_de(text) if preposition == "de" else "à ") + text


def _of(phrase: Any) -> str:
    """« of the EXPE-CT label »: English has one preposition where French contracts two."""
    return f"of {phrase}"


def _to(word: Any) -> str:
    """« to promote »: what introduces an objective in English."""
    return "to "


def _subject_en(organisation: Any) -> str:
    """« The Delegation… »: a name that takes an article in French takes « the » in English."""
    return f"The {organisation.nom}" if organisation.article else str(organisation.nom)


def _subject(organisation: Any) -> str:
    """« La Délégation… », « L’Association… »: an organisation as the subject of a sentence."""
    article = organisation.article
    if not article:
        return str(organisation.nom)
    article = article.capitalize()
    return (
        f"{article}{organisation.nom}" if article.endswith("'") else f"{article} {organisation.nom}"
    )


def render_html(resolved: Resolved, template_dirs: tuple[Path, ...]) -> str:
    """The communiqué as HTML, in its language, with that language's typography applied to
    every text node."""
    communique = resolved.communique
    env = environment(template_dirs, communique.langue)
    context = {
        "langue": communique.langue,
        "langue_html": HTML_LANG.get(communique.langue, communique.langue),
        "communique": communique,
        "emetteur": resolved.emetteur,
        "programme": resolved.programme,
        "comite": communique.comite,
        "donnees": resolved.donnees,
        "contacts": resolved.contacts,
        "logo": resolved.logo,
    }
    try:
        html = env.get_template(f"{communique.modele}.html.j2").render(context)
    except (TemplateError, RecursionError, OverflowError) as exc:
        raise DataErrors([_template_error(exc, template_dirs)]) from None
    except ResourceRefused as exc:
        raise DataErrors([resolved.refused(str(exc))]) from None
    return typeset(html, communique.langue)


def typeset(html: str, language: str = "fr") -> str:
    """Apply the language's typography to the text of an HTML document, never to its markup.

    French spacing (« : », « ? ») is wrong in English, which gets curly quotes only.
    """
    root = lxml.html.document_fromstring(html)
    typeset_tree(root, language)
    return str(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"))


def _template_error(exc: Exception, template_dirs: tuple[Path, ...]) -> Diagnostic:
    """Where in which template it failed (the syntax error's line, or the failing frame's
    in the deepest template: the office's own, when it includes the package's), and why."""
    name, line = None, 1
    if isinstance(exc, TemplateSyntaxError):
        name, line = exc.filename or exc.name, exc.lineno
    else:
        tb = sys.exc_info()[2]
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if filename.endswith(".j2"):
                name, line = filename, tb.tb_lineno
            tb = tb.tb_next
    path = Path(name) if name else template_dirs[0]
    return Diagnostic(path, line, 1, "modèle", _why(exc))


def _why(exc: Exception) -> str:
    limit = f"{MAX_RANGE:,}".replace(",", " ")
    if isinstance(exc, _Refused):
        return str(exc)
    if isinstance(exc, TemplateNotFound):
        return (
            f"gabarit introuvable « {exc.name} » : ni dans templates/ du bureau, ni parmi "
            "ceux du paquet ; vérifiez son nom"
        )
    if isinstance(exc, RecursionError):
        return (
            "gabarit récursif : il s'inclut ou s'appelle lui-même sans fin ; retirez "
            "l'inclusion ou la macro qui revient à lui"
        )
    if isinstance(exc, OverflowError):
        return f"boucle trop longue : range() va au plus jusqu'à {limit} dans un gabarit"
    if isinstance(exc, SecurityError):
        return f"refusé par le bac à sable : {exc.message or exc}"
    message = exc.message if isinstance(exc, TemplateError) else None
    return f"erreur dans le gabarit : {message or exc}"
