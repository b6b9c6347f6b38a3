"""`communiques email`: the communiqué as e-mail drafts (.eml), or sent over SMTP.

`prepare` reads the recipients and the communiqué and builds the composer, refusing what
cannot be done before anything is written or sent; then `write_drafts`, `plan` (a dry run)
or `send`. Building, reading the list and sending are in communiques/mail/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataErrors, Diagnostic, SendRefused, UsageError
from ..files import writing_into
from ..interruptions import exit_code
from ..mail import DEFAULT_PORTS, Security
from .common import working_on

if TYPE_CHECKING:
    from ..mail.message import Composer
    from ..mail.recipients import Recipient
    from ..mail.send import Report, Resend

DEFAULT_OUT = Path("build") / "emails"
DEFAULT_LOG_DIR = Path("build") / "envois"


@dataclass(frozen=True)
class EmailRequest:
    """What the press officer asked for, as the options of `communiques email` say it."""

    file: Path
    addresses: tuple[str, ...] = ()
    mailing_list: Path | None = None
    """A CSV file of recipients (email, nom, organisation)."""
    skip_invalid: bool = False
    language: str | None = None
    """The edition of a multilingual communiqué; by default its first language."""
    out_dir: Path | None = None
    """Where drafts go (DEFAULT_OUT by default); only without `send`."""
    send: bool = False
    dry_run: bool = False
    smtp_host: str | None = None
    smtp_port: int | None = None
    security: Security = "starttls"
    smtp_cafile: Path | None = None
    rate: float = 2.0
    """Messages per second, at most."""
    allow_embargo: bool = False
    max_attachment: int | None = None
    """Above this many bytes the PDF is linked, not attached; None: the mail module's limit."""
    link_base: str | None = None
    log_dir: Path = DEFAULT_LOG_DIR

    @property
    def sending(self) -> bool:
        return self.send or self.dry_run


@dataclass
class Prepared:
    """A request checked, its recipients read and its message ready to compose."""

    request: EmailRequest
    recipients: list[Recipient]
    composer: Composer
    name: str
    """The output name, `<nom>` or `<nom>.<langue>` for an edition."""
    edition: str | None
    pdf_size: int
    now: dt.datetime
    embargo: dt.datetime | None
    ignored: list[Diagnostic] = field(default_factory=list)
    """The invalid rows of the list, skipped as asked."""


@dataclass
class DryRun:
    """What `send` would do, and to whom."""

    headers: dict[str, str]
    attachment: str
    server: str | None
    log: Path
    pending: list[Recipient]
    done: list[Recipient]
    uncertain: list[Recipient]
    """Not sent again: their message may have arrived (to check by hand)."""


def prepare(request: EmailRequest, now: dt.datetime | None = None) -> Prepared:
    """Raises UsageError, DataErrors or SendRefused before anything is written or sent."""
    from ..mail.recipients import from_addresses, read_csv

    if request.sending and request.out_dir is not None:
        raise UsageError("--out écrit des brouillons : il ne s'emploie pas avec --envoyer")
    try:
        recipients = from_addresses(request.addresses)
    except ValueError as exc:
        raise UsageError(f"--destinataire : {exc}") from None
    ignored: list[Diagnostic] = []
    if request.mailing_list is not None:
        from_csv, ignored = read_csv(request.mailing_list)
        if ignored and not request.skip_invalid:
            summary = Diagnostic(
                request.mailing_list, 0, 0, "",
                f"{len(ignored)} ligne(s) invalide(s)",
                suggestion="corrigez-les, ou relancez avec --ignorer-invalides pour les ignorer",
            )  # fmt: skip
            raise DataErrors([summary, *ignored])
        recipients.extend(from_csv)
    recipients = list({r.key: r for r in reversed(recipients)}.values())[::-1]
    if request.sending and not recipients:
        raise UsageError(
            "--envoyer demande des destinataires : --destinataire ou --liste-diffusion"
        )
    if request.send and not request.dry_run and not request.smtp_host:
        raise UsageError("--envoyer demande --smtp-hote")
    with working_on(request.file):
        return _compose(request, recipients, ignored, now or dt.datetime.now().astimezone())


def _compose(
    request: EmailRequest, recipients: list[Recipient], ignored: list[Diagnostic], now: dt.datetime
) -> Prepared:
    from ..build import Theme, output_name, render
    from ..mail.message import DEFAULT_MAX_ATTACHMENT, Composer, Options
    from ..mail.send import check_embargo
    from ..resolve import for_language, load
    from ..sources import PressOffice

    office = PressOffice.find(request.file)
    resolved = load(request.file, office)
    language = request.language or resolved.languages[0]
    if language not in resolved.languages:
        published = ", ".join(resolved.languages)
        raise UsageError(f"--langue {language} : ce communiqué est publié en {published}")
    # An edition of a multilingual communiqué is named like its outputs: <name>.en.pdf.
    edition = language if len(resolved.languages) > 1 else None
    resolved = for_language(resolved, language)
    name = output_name(request.file) + (f".{edition}" if edition else "")
    embargo = resolved.communique.embargo
    if request.sending:
        check_embargo(embargo, now, request.allow_embargo)
    theme = Theme.of(office)
    pdf = render(resolved, theme, ("pdf",))["pdf"]
    limit = request.max_attachment or DEFAULT_MAX_ATTACHMENT
    composer = Composer(resolved, theme, pdf, Options(limit, request.link_base), name)
    return Prepared(request, recipients, composer, name, edition, len(pdf), now, embargo, ignored)


def write_drafts(prepared: Prepared) -> list[Path]:
    """One .eml per recipient, or one to address by hand when there is none."""
    from slugify import slugify

    from ..build import write_outputs
    from ..mail.message import as_bytes

    out_dir = prepared.request.out_dir or DEFAULT_OUT
    written: list[Path] = []
    used: set[str] = set()
    addressees: list[Recipient | None] = [*prepared.recipients] or [None]
    for recipient in addressees:
        stem = prepared.name
        name = stem if recipient is None else f"{stem}--{slugify(recipient.email)}"
        base, count = name, 1
        while name in used:
            count += 1
            name = f"{base}-{count}"
        used.add(name)
        message = prepared.composer(recipient, prepared.now)
        with writing_into(out_dir):
            written.extend(write_outputs(out_dir, name, {"eml": as_bytes(message)}))
    return written


def plan(prepared: Prepared) -> DryRun:
    """What `send` would do: nothing is sent, the send log is only read."""
    from ..l10n import decimal
    from ..mail.journal import SendLog
    from ..mail.journal import plan as plan_sending

    request, composer = prepared.request, prepared.composer
    log = SendLog(_log_path(prepared))
    planned = plan_sending(prepared.recipients, log)
    pending, done = planned.pending, planned.done
    sample = composer(pending[0] if pending else prepared.recipients[0], prepared.now)
    server = None
    if request.smtp_host:
        port = request.smtp_port or DEFAULT_PORTS[request.security]
        server = f"{request.smtp_host}:{port} ({request.security})"
    return DryRun(
        {key: str(sample[key]) for key in ("Subject", "From", "Reply-To")},
        f"{composer.link or f'{composer.filename} en pièce jointe'} "
        f"({decimal(prepared.pdf_size, 0)} octets)",
        server, log.path, pending, done, [who for who, _ in planned.uncertain],
    )  # fmt: skip


Event = Callable[[str, "Recipient", str], None]


def send(
    prepared: Prepared, on_event: Event | None = None, resend: Resend | None = None
) -> tuple[Report, Path]:
    """Sends to everyone the send log does not list as served; returns the report and the
    log. An interrupted run (Ctrl+C) is resumed by running the same command again; those
    whose message may have arrived are sent again only if `resend` says so."""
    from ..mail.journal import SendLog
    from ..mail.send import send_all
    from ..mail.smtp import Server

    request = prepared.request
    assert request.smtp_host is not None  # checked by prepare
    log = SendLog(_log_path(prepared))
    server = Server.from_environment(
        request.smtp_host, request.smtp_port, request.security, request.smtp_cafile
    )
    try:
        report = send_all(
            prepared.recipients, prepared.composer, server, log, rate=request.rate,
            embargo=prepared.embargo, allow_embargo=request.allow_embargo, on_event=on_event,
            resend=resend,
        )  # fmt: skip
    except KeyboardInterrupt as exc:
        stopped = SendRefused(
            f"envoi interrompu : relancez la même commande pour continuer ({log.path})"
        )
        stopped.exit_code = exit_code(exc)  # 130, 143 or 129, as any interrupted command
        raise stopped from None
    return report, log.path


def _log_path(prepared: Prepared) -> Path:
    from ..mail.journal import log_path

    return log_path(prepared.request.log_dir, prepared.request.file, prepared.edition)
