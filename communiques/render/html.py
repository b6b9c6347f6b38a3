"""Resolved communiqué → semantic HTML, through a sandboxed Jinja2 template.

The HTML is the single source of both outputs: WeasyPrint lays it out as the PDF and the DOCX
writer maps its elements to Word styles, so the two documents always say the same thing.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..errors import DataError, DataErrors
from ..l10n import Localiser, french
from ..resolve import Resolved
from . import markdown
from .resources import asset_url

_VOWELS = tuple("aeiouyàâäéèêëîïôöùûü")
_NO_TYPOGRAPHY = {"style", "script", "code", "pre"}
_TYPESET_META = {"author", "description", "keywords"}


@cache
def environment(
    template_dirs: tuple[Path, ...], language: str = "fr"
) -> ImmutableSandboxedEnvironment:
    """One environment per template folders and language, built once per process."""
    l10n = Localiser(language)
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(template_dirs),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: message, ngettext=l10n.ngettext, newstyle=True
    )
    env.filters.update(
        date=l10n.date,
        mois=l10n.month,
        heure=l10n.time,
        nombre=l10n.number,
        telephone=l10n.phone,
        markdown=markdown.block,
        markdown_ligne=markdown.inline,
        de=lambda word: "d’" if str(word).lower().startswith(_VOWELS) else "de ",
        sujet=_subject,
        asset_url=asset_url,
        domaine=lambda url: urlsplit(str(url)).netloc or str(url),
    )
    return env


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
    """The communiqué as HTML with French typography applied to every text node."""
    communique = resolved.communique
    env = environment(template_dirs, communique.langue)
    context = {
        "communique": communique,
        "emetteur": resolved.emetteur,
        "programme": resolved.programme,
        "comite": communique.comite,
        "contacts": resolved.contacts,
        "logo": resolved.logo,
    }
    try:
        html = env.get_template(f"{communique.modele}.html.j2").render(context)
    except TemplateError as exc:
        raise DataErrors([_template_error(exc, template_dirs)]) from None
    return typeset(html)


def typeset(html: str) -> str:
    """Apply French typography to the text of an HTML document, never to its markup."""
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag not in _NO_TYPOGRAPHY and element.text:
            element.text = french(element.text)
        if element.tail:
            element.tail = french(element.tail)
    for meta in root.iter("meta"):  # document properties are read by people too
        if meta.get("name") in _TYPESET_META:
            meta.set("content", french(meta.get("content", "")))
    for image in root.iter("img"):
        image.set("alt", french(image.get("alt", "")))
    return str(lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>"))


def _template_error(exc: TemplateError, template_dirs: tuple[Path, ...]) -> DataError:
    """Where in which template it failed: the syntax error's line, or the failing frame's."""
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
    if isinstance(exc, SecurityError):
        return DataError(path, line, 1, "modèle", f"refusé par le bac à sable : {exc.message or exc}")
    return DataError(path, line, 1, "modèle", f"erreur dans le gabarit : {exc.message or exc}")
