"""The e-mail of a communiqué, parsed back with the standard library as a mail client would."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html
import pytest
from conftest import EXAMPLE, SEED_COMMUNIQUE, normalise, pdf_text
from email_fixtures import NOW

from communiques.build import Theme
from communiques.errors import DataErrors
from communiques.errors import SendRefused as Refused
from communiques.mail.message import Composer, Options, as_bytes
from communiques.mail.plain import text_of
from communiques.mail.recipients import Recipient
from communiques.resolve import Resolved, load
from communiques.sources import PressOffice

EMBARGO = "2021-04-19T10:00:00+02:00"
FAKE_PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8
FILE_SEED = "communiques/2021-04-19-expe-ct.yaml"


def resolved(source: Path) -> tuple[Resolved, Theme]:
    office = PressOffice.find(source)
    return load(source, office), Theme.of(office)


def parsed(message: EmailMessage) -> EmailMessage:
    """Through the wire form and back, so the test sees what a mail client would."""
    result = email.message_from_bytes(as_bytes(message), policy=email.policy.default)
    assert isinstance(result, EmailMessage)
    return result


def bodies(message: EmailMessage) -> tuple[str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def html_text(html: str) -> str:
    return str(lxml.html.document_fromstring(html).text_content())


@pytest.fixture
def seed_message(seed_outputs: dict[str, bytes]) -> tuple[bytes, EmailMessage]:
    data, theme = resolved(SEED_COMMUNIQUE)
    recipient = Recipient("redaction@exemple.fr", "Éloïse Dupré, Le Quotidien", "Le Quotidien")
    message = Composer(data, theme, seed_outputs["pdf"], Options())(recipient, NOW)
    return as_bytes(message), parsed(message)


def test_structure_is_mixed_alternative_plus_pdf(
    seed_message: tuple[bytes, EmailMessage], seed_outputs: dict[str, bytes]
) -> None:
    _, message = seed_message
    assert message.get_content_type() == "multipart/mixed"
    body, attachment = message.get_payload()  # type: ignore[misc]
    assert body.get_content_type() == "multipart/alternative"
    plain, related = body.get_payload()
    assert related.get_content_type() == "multipart/related"
    html, logo = related.get_payload()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    for part in (plain, html):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
    # The logo travels inside the message, shown by its Content-ID, 64 pixels high.
    assert logo.get_content_type() == "image/png"
    assert logo.get_content_disposition() == "inline"
    assert logo.get_content() == (EXAMPLE / "assets" / "logos" / "daect.png").read_bytes()
    (img,) = lxml.html.document_fromstring(html.get_content()).iter("img")
    assert f"<{img.get('src').removeprefix('cid:')}>" == logo["Content-ID"]
    assert (img.get("width"), img.get("height")) == ("64", "64")  # a square logo
    assert img.get("alt") == "DAECT"  # logo_alt, as in the PDF
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "2021-04-19-expe-ct.pdf"
    assert attachment["Content-Transfer-Encoding"] == "base64"
    assert attachment.get_content() == seed_outputs["pdf"]
    assert message["MIME-Version"] == "1.0"
    assert not message.defects and not any(part.defects for part in message.walk())


def test_wire_form_is_7bit_with_crlf_and_short_lines(
    seed_message: tuple[bytes, EmailMessage],
) -> None:
    raw, _ = seed_message
    assert raw.isascii()
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines)  # no bare LF
    assert max(len(line) for line in lines) <= 78


def test_headers(seed_message: tuple[bytes, EmailMessage]) -> None:
    raw, message = seed_message
    assert message["Subject"] == "Communiqué de presse\u00a0: Annonce des lauréats au label EXPE-CT"
    assert b"Subject: =?utf-8?" in raw  # RFC 2047: the accents travel encoded
    sender = message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "DAECT",
        "secretariat.dgm-aect@diplomatie.gouv.fr",
    )
    reply_to = message["Reply-To"].addresses[0]
    assert (reply_to.display_name, reply_to.addr_spec) == ("Secrétariat", sender.addr_spec)
    to = message["To"].addresses
    assert [(a.display_name, a.addr_spec) for a in to] == [
        ("Éloïse Dupré, Le Quotidien", "redaction@exemple.fr")
    ]
    assert parsedate_to_datetime(message["Date"]) == NOW
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
        "@diplomatie.gouv.fr>"
    )
    assert message["Content-Language"] == "fr"
    assert "Bcc" not in message and "Cc" not in message


def test_message_ids_are_unique(seed_outputs: dict[str, bytes]) -> None:
    data, theme = resolved(SEED_COMMUNIQUE)
    composer = Composer(data, theme, seed_outputs["pdf"])
    ids = {composer(Recipient(f"r{i}@exemple.fr"), NOW)["Message-ID"] for i in range(20)}
    assert len(ids) == 20


def test_both_bodies_say_what_the_pdf_says(
    seed_message: tuple[bytes, EmailMessage], seed_outputs: dict[str, bytes]
) -> None:
    _, message = seed_message
    plain, html = bodies(message)
    pdf = normalise(pdf_text(seed_outputs["pdf"]))
    for text in (normalise(plain), normalise(html_text(html))):
        for expected in (
            "Annonce des lauréats au label EXPE-CT",
            "Paris, le 19 avril 2021",
            "COMMUNIQUÉ DE PRESSE",
            "Programme de valorisation de l'expertise des collectivités territoriales",
            "Lors du comité de labellisation du 24 mars 2021, 11 collectivités et associations d'élus ont reçu le label EXPE-CT.",
            "Qu'elle vienne rejoindre ce programme pour faire connaître l'excellence de son savoir-faire!",
            "Secrétariat",
            "Tél.: 01 43 17 62 64",
            "secretariat.dgm-aect@diplomatie.gouv.fr",
            "Anne-Marie MEVEL REINGOLD",
            "2021-04-19-expe-ct.pdf",
        ):
            assert expected in text
    # Every paragraph of the plain text's body is in the PDF: the same sentences, not a copy.
    start = plain.index("La Délégation pour")
    end = plain.index("Le communiqué au format PDF")
    for paragraph in plain[start:end].split("\n\n"):
        sentence = paragraph.split(" (https://")[0]  # links are spelled out in plain text only
        assert normalise(sentence) in pdf


def test_plain_text_spells_out_links_and_uses_french_typography(
    seed_message: tuple[bytes, EmailMessage],
) -> None:
    _, message = seed_message
    plain, _ = bodies(message)
    assert (
        "France Diplomatie (https://www.diplomatie.gouv.fr/fr/politique-etrangere-de-la-france/action-exterieure-des-collectivites-territoriales/)"
        in plain
    )
    assert "Contacts presse\u00a0:" in plain
    assert "expertises\u202f?" in plain
    assert "l’action extérieure" in plain
    assert "<" not in plain.replace("<br>", "")  # no markup left
    assert plain.splitlines()[0] == "Ministère de l’Europe et des Affaires étrangères"


def test_html_body_is_self_contained(seed_message: tuple[bytes, EmailMessage]) -> None:
    _, message = seed_message
    _, html = bodies(message)
    root = lxml.html.document_fromstring(html)
    fetching = (
        "script",
        "link",
        "iframe",
        "object",
        "embed",
        "video",
        "audio",
        "source",
        "base",
        "frame",
    )
    assert not [e.tag for e in root.iter(*fetching)]
    # Images only from inside the message.
    assert [e.get("src")[:4] for e in root.iter() if e.get("src")] == ["cid:"]
    assert not [e for e in root.iter() if e.get("background") or e.get("srcset")]
    styles = " ".join(root.xpath("//style/text()") + root.xpath("//@style"))
    assert "url(" not in styles and "@import" not in styles and "@font-face" not in styles
    assert all(href.startswith(("https://", "mailto:", "tel:")) for href in root.xpath("//a/@href"))
    assert root.get("lang") == "fr"
    assert root.find(".//meta[@charset]") is not None


def test_attachment_name_is_ascii_and_encoded(office: Path) -> None:
    source = office / "communiques" / "Lauréats été 2021.yaml"
    source.write_bytes((office / "communiques" / "2021-04-19-expe-ct.yaml").read_bytes())
    data, theme = resolved(source)
    message = Composer(data, theme, FAKE_PDF, Options())(Recipient("a@exemple.fr", "Zoé"), NOW)
    raw = as_bytes(message)
    assert b'Content-Disposition: attachment; filename="laureats-ete-2021.pdf"' in raw
    back = parsed(message)
    attachment = next(back.iter_attachments())
    assert isinstance(attachment, EmailMessage)
    assert attachment.get_filename() == "laureats-ete-2021.pdf"
    assert attachment.get_param("name") == "laureats-ete-2021.pdf"
    assert attachment.get_content() == FAKE_PDF
    assert back["To"].addresses[0].display_name == "Zoé"


def with_line(office: Path, line: str, name: str = "2021-04-19-expe-ct.yaml") -> Path:
    source = office / "communiques" / name
    source.write_text(source.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return source


def test_embargo_in_force_is_in_subject_and_first_line(office: Path) -> None:
    source = with_line(office, f"embargo: {EMBARGO}")
    data, theme = resolved(source)
    message = parsed(Composer(data, theme, FAKE_PDF, Options())(None, NOW))
    notice = "Sous embargo jusqu’au 19\u00a0avril\u00a02021 à 10\u00a0h\u00a000\u00a0: ne pas publier avant."
    assert message["Subject"] == (
        "[EMBARGO jusqu’au 19\u00a0avril\u00a02021 à 10\u00a0h\u00a000] "
        "Communiqué de presse\u00a0: Annonce des lauréats au label EXPE-CT"
    )
    plain, html = bodies(message)
    assert plain.splitlines()[0] == notice
    body = lxml.html.document_fromstring(html).body
    assert " ".join(body.text_content().split()).startswith(" ".join(notice.split()))


def test_no_embargo_notice_once_lifted(office: Path) -> None:
    source = with_line(office, f"embargo: {EMBARGO}")
    data, theme = resolved(source)
    later = NOW + dt.timedelta(hours=1)
    message = parsed(Composer(data, theme, FAKE_PDF, Options())(None, later))
    assert message["Subject"].startswith("Communiqué de presse")
    plain, html = bodies(message)
    assert "embargo" not in plain.lower() and "embargo" not in html.lower()


def test_heavy_pdf_is_linked_instead_of_attached(office: Path) -> None:
    data, theme = resolved(office / "communiques" / "2021-04-19-expe-ct.yaml")
    options = Options(max_attachment=1000, link_base="https://presse.exemple.fr/communiques/")
    message = parsed(Composer(data, theme, FAKE_PDF, options)(None, NOW))
    assert message.get_content_type() == "multipart/alternative"
    assert not list(message.iter_attachments())
    link = "https://presse.exemple.fr/communiques/2021-04-19-expe-ct.pdf"
    plain, html = bodies(message)
    assert link in plain
    assert link in lxml.html.document_fromstring(html).xpath("//a/@href")


def test_heavy_pdf_without_link_base_is_refused(office: Path) -> None:
    data, theme = resolved(office / "communiques" / "2021-04-19-expe-ct.yaml")
    with pytest.raises(
        Refused,
        match=r"le PDF \(2\u00a0Ko\) dépasse la taille maximale d'une pièce jointe \(1\u00a0Ko\).*--adresse-publication",
    ):
        Composer(data, theme, FAKE_PDF, Options(max_attachment=1000))


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        (
            "organisations/daect.yaml",
            "nom: {fr: Secrétariat, en: Secretariat}",
            'nom: "Secrétariat\\r\\nBcc: espion@exemple.com"',
            "contacts.nom",
        ),
        (
            "organisations/daect.yaml",
            "sigle: DAECT",
            'sigle: "DAECT\\nBcc: espion@exemple.com"',
            "sigle",
        ),
    ],
)
def test_line_breaks_in_data_never_reach_a_header(
    office: Path, file: str, old: str, new: str, field: str
) -> None:
    path = office / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    data, theme = resolved(office / "communiques" / "2021-04-19-expe-ct.yaml")
    with pytest.raises(DataErrors) as caught:
        Composer(data, theme, FAKE_PDF)
    [error] = caught.value.errors
    assert error.field == field
    assert error.path == path
    assert "interdit : cette valeur va dans l'en-tête du message" in error.message
    # At the value's own line and column, not 1:1.
    before = text[: text.index(old)]
    column = len(before) - (before.rfind("\n") + 1) + len(old.split(": ", 1)[0]) + len(": ") + 1
    assert (error.line, error.column) == (before.count("\n") + 1, column)


def test_an_unusable_sender_address_points_at_its_line(office: Path) -> None:
    path = office / "organisations" / "daect.yaml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    number = next(n for n, line in enumerate(lines, 1) if "email:" in line)
    key, _, _ = lines[number - 1].partition("email:")
    lines[number - 1] = f"{key}email: josé@exemple.fr"  # valid, but not in plain SMTP
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data, theme = resolved(office / "communiques" / "2021-04-19-expe-ct.yaml")
    with pytest.raises(DataErrors) as caught:
        Composer(data, theme, FAKE_PDF)
    [error] = caught.value.errors
    assert (error.path, error.line, error.field) == (path, number, "contacts.email")
    assert error.column == len(key) + len("email: ") + 1


def test_a_line_break_in_the_title_is_refused_before_any_output(office: Path) -> None:
    """The subject's line breaks are the model's to refuse (one rule for build, check and
    email), with its line; `\\r` and U+2028 alike."""
    path = office / "communiques" / "2021-04-19-expe-ct.yaml"
    text = path.read_text(encoding="utf-8")
    old = "titre: Annonce des lauréats au label EXPE-CT"
    for new in ('titre: "Annonce\\rBcc: espion@exemple.com"', 'titre: "Annonce\\u2028Bcc: x"'):
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(DataErrors) as caught:
            resolved(path)
        [error] = caught.value.errors
        assert (error.path, error.field) == (path, "titre")
        assert error.message.startswith("doit tenir sur une seule ligne")


def test_organisation_without_press_email_is_an_error(office: Path) -> None:
    path = office / "organisations" / "daect.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if "email:" not in line]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data, theme = resolved(office / "communiques" / "2021-04-19-expe-ct.yaml")
    with pytest.raises(DataErrors, match="aucun contact presse avec un e-mail"):
        Composer(data, theme, FAKE_PDF)


def test_chapo_and_liens_appear_in_both_parts(office: Path) -> None:
    source = with_line(
        office,
        'chapo: "Un **chapô** avec [un lien](https://exemple.fr/a)."\n'
        "liens:\n  - {libelle: Le dossier de presse, url: 'https://exemple.fr/dossier'}",
    )
    data, theme = resolved(source)
    plain, html = bodies(parsed(Composer(data, theme, FAKE_PDF, Options())(None, NOW)))
    assert "Un chapô avec un lien (https://exemple.fr/a)." in plain
    assert "– Le dossier de presse\u00a0: https://exemple.fr/dossier" in plain
    root = lxml.html.document_fromstring(html)
    assert root.xpath("//strong[text()='chapô']")
    assert root.xpath("//a[@href='https://exemple.fr/dossier']/text()") == ["Le dossier de presse"]


def test_plain_text_of_lists_tables_and_breaks() -> None:
    html = (
        "<p>Un <a href='https://x.fr/a'>lien</a>, une <a href='mailto:a@b.fr'>adresse</a> et "
        "<a href='https://x.fr/b'>https://x.fr/b</a>.</p>\n<p>Deux<br>\nlignes</p>"
        "<ul><li>a</li><li>b</li></ul><ol><li>un</li><li>deux</li></ol>"
        "<table><caption>Lauréats</caption><tr><th>Nom</th><th>Type</th></tr>"
        "<tr><td>Lyon</td><td>Commune</td></tr></table>"
    )
    assert text_of(html) == (
        "Un lien (https://x.fr/a), une adresse et https://x.fr/b.\n\n"
        "Deux\nlignes\n\n"
        "– a\n– b\n\n"
        "1. un\n2. deux\n\n"
        "Lauréats\n\n"
        "Nom – Type\nLyon – Commune"
    )


@pytest.mark.parametrize(
    ("logo", "size", "shown"),
    [
        ("bandeau.png", (600, 100), ("image/png", "240", "40")),
        ("portrait.jpg", (100, 200), ("image/jpeg", "32", "64")),
        ("lourd.png", (400, 400), None),
    ],
    ids=["wide-png", "tall-jpeg", "too-heavy"],
)
def test_logos_are_scaled_into_their_box_and_a_heavy_one_stays_out(
    office: Path, logo: str, size: tuple[int, int], shown: tuple[str, str, str] | None
) -> None:
    """A logo is scaled into 240 × 64 pixels. One over 256 kB, which would weigh on every
    copy, stays out: the message is then alternative text + HTML as without a logo."""
    import io
    import random

    from PIL import Image

    buffer = io.BytesIO()
    noise = Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3))
    noise.save(buffer, "JPEG" if logo.endswith(".jpg") else "PNG", compress_level=0)
    (office / "assets" / "logos" / logo).write_bytes(buffer.getvalue())
    organisation = office / "organisations" / "daect.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("daect.png", logo), encoding="utf-8")
    message = parsed(Composer(*resolved(office / FILE_SEED), FAKE_PDF, Options())(None, NOW))
    body, _ = message.get_payload()  # type: ignore[misc]
    _, html = bodies(message)
    images = list(lxml.html.document_fromstring(html).iter("img"))
    if shown is None:
        assert len(buffer.getvalue()) > 256 * 1024
        assert [p.get_content_type() for p in body.get_payload()] == ["text/plain", "text/html"]
        assert images == []
    else:
        _, image = body.get_payload()[1].get_payload()
        assert image.get_content() == buffer.getvalue()
        content_type, width, height = shown
        assert image.get_content_type() == content_type
        assert [(i.get("width"), i.get("height")) for i in images] == [(width, height)]
