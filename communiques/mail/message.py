"""A resolved communiqué → the e-mail that carries it to one journalist.

Journalists read the text in the message and keep the PDF: the body (plain text and HTML)
comes from templates/email/ with the same data and filters as the document, the modèle's own
sentences are taken from the rendered communiqué, and the PDF is attached under the name the
build gives it, the logo inside. Pure: the same arguments give the same message, but for its
Message-ID and the logo's Content-ID.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from functools import cache, partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from ..build import Theme, output_name
from ..errors import DataErrors, SendRefused
from ..l10n import Localiser, rules_for, translations
from ..model import Communique
from ..render.html import _template_error, environment, render_html, typeset
from ..resolve import Resolved
from ..yamlfile import Document, Loc
from .plain import text_of
from .recipients import Recipient, check_address, describe, unsafe_character

DEFAULT_MAX_ATTACHMENT = 5_000_000
"""5 Mo: what most mail servers of the press accept without complaint."""

HTML_TEMPLATE = "email/message.html.j2"
TEXT_TEMPLATE = "email/message.txt.j2"
LOGO_MAX = 256 * 1024
"""A heavier logo is left out of the message rather than make every copy heavier."""
LOGO_HEIGHT, LOGO_MAX_WIDTH = 64, 240
"""CSS pixels: the box the logo is scaled into, above the issuing body's name."""


@dataclass(frozen=True)
class Logo:
    """The issuing body's logo, carried inside the message (multipart/related) and shown
    through its Content-ID: nothing is fetched, so it shows offline and in clients that
    block remote images."""

    data: bytes
    subtype: str
    cid: str
    width: int
    height: int


@dataclass(frozen=True)
class Options:
    max_attachment: int = DEFAULT_MAX_ATTACHMENT
    """Above this many bytes the PDF is linked (with `link_base`) instead of attached."""
    link_base: str | None = None
    """Where the PDFs are published: the message links to `<link_base>/<nom>.pdf`."""


def embargo_in_force(communique: Communique, now: dt.datetime) -> bool:
    return communique.embargo is not None and now < communique.embargo


def subject(communique: Communique, now: dt.datetime) -> str:
    """« [EMBARGO jusqu'au 19 avril 2021 à 10 h 00] Communiqué de presse : Titre », in the
    communiqué's language."""
    _ = translations(communique.langue).gettext
    text = _("Communiqué de presse : %(titre)s") % {"titre": communique.titre}
    if communique.embargo is not None and embargo_in_force(communique, now):
        l10n = Localiser(communique.langue)
        when = {"date": l10n.date(communique.embargo), "heure": l10n.time(communique.embargo)}
        text = _("[EMBARGO jusqu'au %(date)s à %(heure)s]") % when + " " + text
    return rules_for(communique.langue)(text)


class Composer:
    """Builds the messages of one communiqué; what does not depend on the recipient or the
    time is prepared once, so a long mailing list costs one rendering."""

    def __init__(
        self,
        resolved: Resolved,
        theme: Theme,
        pdf: bytes,
        options: Options | None = None,
        name: str | None = None,
    ) -> None:
        """`name` is the communiqué's output name (<name>.pdf is the attachment), by default
        that of its source; an edition of a multilingual one is <name>.<langue>."""
        self.resolved = resolved
        self.theme = theme
        self.pdf = pdf
        self.options = options or Options()
        self.sender, self.reply_to = sender_of(resolved)
        titre = ("titre", resolved.communique.langue)  # a single title stands at `titre`
        _check_header(resolved.communique.titre, _in_communique(resolved), titre, "titre")
        self.filename = f"{name or output_name(resolved.source)}.pdf"
        self.link: str | None = None
        if len(pdf) > self.options.max_attachment:
            if not self.options.link_base:
                raise SendRefused(
                    f"le PDF ({_size(len(pdf))}) dépasse la taille maximale d'une pièce jointe "
                    f"({_size(self.options.max_attachment)}) : publiez-le en ligne et indiquez "
                    "son dossier avec --adresse-publication https://…, ou augmentez "
                    "--piece-jointe-max"
                )
            self.link = f"{self.options.link_base.rstrip('/')}/{quote(self.filename)}"
        self.corps = _corps(resolved, theme)
        self.logo = _logo(resolved, self.sender.domain)

    def __call__(self, recipient: Recipient | None, now: dt.datetime) -> EmailMessage:
        """The message for `recipient` (None: a draft to address by hand), sent at `now`."""
        communique = self.resolved.communique
        context: dict[str, Any] = {
            "communique": communique,
            "emetteur": self.resolved.emetteur,
            "programme": self.resolved.programme,
            "contacts": self.resolved.contacts,
            "corps": self.corps,
            "sujet": subject(communique, now),
            "embargo": communique.embargo if embargo_in_force(communique, now) else None,
            "piece_jointe": None if self.link else {"nom": self.filename, "taille": len(self.pdf)},
            "lien_pdf": self.link,
            "taille_pdf": len(self.pdf),
            "destinataire": recipient,
            "logo": self.logo,
        }
        template_dirs = self.theme.template_dirs
        html = typeset(
            _render(template_dirs, communique.langue, HTML_TEMPLATE, context), communique.langue
        )
        text = _render(template_dirs, communique.langue, TEXT_TEMPLATE, context)
        text = _tidy(rules_for(communique.langue)(text))

        message = EmailMessage()
        message["Subject"] = context["sujet"]
        message["From"] = self.sender
        message["Reply-To"] = self.reply_to
        if recipient is not None:
            message["To"] = Address(recipient.nom, addr_spec=recipient.email)
        message["Date"] = format_datetime(now)
        message["Message-ID"] = make_msgid(domain=self.sender.domain)
        message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
        message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        if self.logo is not None:
            _, html_part = message.iter_parts()
            html_part.add_related(
                self.logo.data,
                "image",
                self.logo.subtype,
                cid=f"<{self.logo.cid}>",
                disposition="inline",
            )
        if self.link is None:
            message.add_attachment(
                self.pdf,
                "application",
                "pdf",
                filename=self.filename,
                params={"name": self.filename},
            )
        message["Content-Language"] = communique.langue  # after the body: it would move there
        return message


def _logo(resolved: Resolved, domain: str) -> Logo | None:
    """The logo as the message carries it, if it is light enough to go into every copy."""
    from PIL import Image

    if resolved.logo is None:  # otherwise a PNG or JPEG file of assets/: resolve checked
        return None
    data = resolved.logo.read_bytes()
    if len(data) > LOGO_MAX:
        return None
    with Image.open(io.BytesIO(data)) as image:
        (width, height), subtype = image.size, str(image.format).lower()
    scale = min(LOGO_HEIGHT / height, LOGO_MAX_WIDTH / width)
    return Logo(
        data,
        subtype,
        make_msgid("logo", domain=domain)[1:-1],
        max(1, round(width * scale)),
        max(1, round(height * scale)),
    )


def as_bytes(message: EmailMessage) -> bytes:
    """RFC 5322 wire form (CRLF line ends): what is written to .eml and sent over SMTP."""
    return message.as_bytes(policy=SMTP)


def sender_of(resolved: Resolved) -> tuple[Address, Address]:
    """From: the émetteur under its short name, at the first press contact's address;
    Reply-To: that contact by name, so answers reach a person. An error points at the
    field's line in the file that describes the émetteur."""
    emetteur = resolved.emetteur
    where, prefix = _organisation(resolved)
    index, contact = next(((i, c) for i, c in enumerate(emetteur.contacts) if c.email), (0, None))
    if contact is None or contact.email is None:
        message = "aucun contact presse avec un e-mail : il faut une adresse d'expéditeur"
        raise DataErrors([where.error((*prefix, "contacts"), message)])
    display = emetteur.sigle or emetteur.nom
    name = "sigle" if emetteur.sigle else "nom"
    _check_header(display, where, (*prefix, name), name)
    at = (*prefix, "contacts", index)
    _check_header(contact.nom or "", where, (*at, "nom"), "contacts.nom")
    try:
        address = check_address(contact.email)
    except ValueError as exc:
        error = where.error((*at, "email"), str(exc))
        raise DataErrors([replace(error, field="contacts.email")]) from None
    return Address(display, addr_spec=address), Address(contact.nom or display, addr_spec=address)


def _organisation(resolved: Resolved) -> tuple[Document, Loc]:
    """The file that describes the émetteur (organisations/<id>.yaml, or the communiqué
    under `emetteur:`) and where the émetteur starts in it."""
    sources = resolved.sources
    if sources is not None and sources.emetteur is not None:
        return sources.emetteur, ()
    if isinstance(resolved.communique.emetteur, str) and len(resolved.inputs) > 1:
        return Document(resolved.inputs[1], None), ()
    return _in_communique(resolved), ("emetteur",)


def _in_communique(resolved: Resolved) -> Document:
    """The communiqué's file with its marks (without them, for one made in code)."""
    if resolved.sources is not None:
        return resolved.sources.communique
    return Document(resolved.source, None)


def _check_header(value: str, where: Document, loc: Loc, field: str) -> None:
    """A line break or control character would let the data write headers of its own."""
    if char := unsafe_character(value):
        message = f"{describe(char)} interdit : cette valeur va dans l'en-tête du message"
        raise DataErrors([replace(where.error(loc, message), field=field)])


def _corps(resolved: Resolved, theme: Theme) -> Markup:
    """The modèle's sentences exactly as in the PDF: the `corps` block of the rendered page."""
    import lxml.html

    root = lxml.html.document_fromstring(render_html(resolved, theme.template_dirs))
    found = root.find_class("corps")
    if not found:
        return Markup("")
    block = found[0]
    children = "".join(lxml.html.tostring(child, encoding="unicode") for child in block)
    return Markup((escape(block.text or "") + Markup(children)).strip())


@cache
def _environment(template_dirs: tuple[Path, ...], language: str, html: bool) -> Any:
    """The document's environment and filters, plus two for e-mail; plain text unescaped."""
    base = environment(template_dirs, language)
    env: ImmutableSandboxedEnvironment = base.overlay(autoescape=html, cache_size=50)
    env.filters = {
        **base.filters,
        "texte": lambda value: text_of(str(value)),
        "taille": partial(_size, language=language),
    }
    return env


def _render(template_dirs: tuple[Path, ...], language: str, name: str, context: Any) -> str:
    try:
        return str(
            _environment(template_dirs, language, name.endswith(".html.j2"))
            .get_template(name)
            .render(context)
        )
    except TemplateError as exc:
        raise DataErrors([_template_error(exc, template_dirs)]) from None


def _size(count: int, language: str = "fr") -> str:
    """« 48 Ko », « 5,2 Mo » (1 Ko = 1 000 octets); "48 kB", "5.2 MB" in English."""
    l10n = Localiser(language)
    kilo, mega = ("kB", "MB") if l10n.english else ("Ko", "Mo")
    if count < 1_000_000:
        return f"{l10n.number(max(1, round(count / 1000)))}\u00a0{kilo}"
    return f"{l10n.number(round(count / 1_000_000, 1))}\u00a0{mega}"


def _tidy(text: str) -> str:
    """No trailing spaces, at most one blank line in a row, one final newline."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
