"""`communiques email`: the communiqué as e-mail drafts (.eml), or sent over SMTP.

Only options, printing and exit codes here (0 done, 1 refused or data error, 2 bad usage);
building, reading the list and sending are in communiques/mail/.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import urlsplit

import click

from .mail import DEFAULT_PORTS, SECURITIES, Security

if TYPE_CHECKING:
    from .mail.message import Composer
    from .mail.recipients import Recipient

DEFAULT_OUT = Path("build") / "emails"
DEFAULT_LOG_DIR = Path("build") / "envois"


class Size(click.ParamType):  # type: ignore[type-arg]
    """« 5Mo », « 500 ko », « 2000000 »: 1 Ko = 1 000 octets, as on a file's properties."""

    name = "taille"
    _UNITS: ClassVar[dict[str, int]] = {"": 1, "k": 1000, "m": 1_000_000}

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*([kKmM]?)(?:[oObB])?\s*", str(value))
        if not match:
            self.fail(f"taille invalide « {value} » : par exemple 5Mo, 500ko ou 2000000", param)
        return int(float(match[1].replace(",", ".")) * self._UNITS[match[2].lower()])


def _link_base(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """The link goes into the message: it must be a web address and nothing else."""
    if value is None:
        return None
    parts = urlsplit(value)
    if (
        parts.scheme not in ("https", "http")
        or not parts.netloc
        or not value.isprintable()
        or (" " in value)
    ):
        raise click.BadParameter(f"adresse web attendue (https://…), pas « {value} »")
    return value


@click.command("email")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--to", "to", multiple=True, metavar="ADRESSE", help="Destinataire ; l'option se répète."
)
@click.option(
    "--recipients",
    "recipients_csv",
    metavar="LISTE.csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Destinataires : CSV avec les colonnes email, nom et (facultatif) organisation.",
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Ignorer les lignes invalides du CSV (sinon : rien n'est fait).",
)
@click.option(
    "--out",
    "out_dir",
    metavar="DOSSIER",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Dossier des brouillons .eml (par défaut : {DEFAULT_OUT}).",
)
@click.option("--send", is_flag=True, help="Envoyer par SMTP au lieu d'écrire des .eml.")
@click.option("--dry-run", is_flag=True, help="Afficher ce qui serait envoyé, sans rien envoyer.")
@click.option("--smtp-host", metavar="HÔTE", help="Serveur SMTP (avec --send).")
@click.option(
    "--smtp-port",
    type=click.IntRange(1, 65535),
    help="Port SMTP (par défaut : 587 en starttls, 465 en tls, 25 sans chiffrement).",
)
@click.option(
    "--smtp-tls",
    "security",
    type=click.Choice(SECURITIES),
    default="starttls",
    show_default=True,
    help="Chiffrement : STARTTLS, TLS implicite, ou aucun.",
)
@click.option(
    "--smtp-cafile",
    metavar="FICHIER.pem",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Certificat de l'autorité qui a signé celui du serveur (autorité privée).",
)
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=2.0,
    show_default=True,
    help="Messages par seconde, au plus.",
)
@click.option(
    "--allow-embargo",
    is_flag=True,
    help="Envoyer avant la levée de l'embargo (l'objet et le message le signalent).",
)
@click.option(
    "--max-attachment",
    type=Size(),
    default="5Mo",
    show_default=True,
    help="Au-delà, le PDF n'est pas joint mais lié (--link-base).",
)
@click.option(
    "--link-base",
    metavar="URL",
    callback=_link_base,
    help="Adresse du dossier où le PDF est publié, pour un PDF trop lourd.",
)
@click.option(
    "--journal",
    "log_dir",
    metavar="DOSSIER",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_LOG_DIR,
    show_default=True,
    help="Dossier des journaux d'envoi (un fichier .jsonl par communiqué).",
)
@click.option(
    "--langue",
    "language",
    type=click.Choice(["fr", "en"]),
    help="Édition à envoyer d'un communiqué publié en plusieurs langues (par défaut : la "
    "première).",
)
def email_command(
    file: Path,
    to: tuple[str, ...],
    recipients_csv: Path | None,
    skip_invalid: bool,
    out_dir: Path | None,
    send: bool,
    dry_run: bool,
    smtp_host: str | None,
    smtp_port: int | None,
    security: str,
    smtp_cafile: Path | None,
    rate: float,
    allow_embargo: bool,
    max_attachment: int,
    link_base: str | None,
    log_dir: Path,
    language: str | None,
) -> None:
    """Écrit le communiqué en e-mail (.eml), ou l'envoie par SMTP avec --send.

    Un message par destinataire : le texte dans le corps (texte brut et HTML), le PDF en
    pièce jointe. Identifiant SMTP : variables d'environnement COMMUNIQUES_SMTP_USER et
    COMMUNIQUES_SMTP_PASSWORD, jamais sur la ligne de commande.
    """
    from .build import Theme, output_name, render
    from .cli import _console, _print_errors
    from .errors import DataErrors, SendRefused
    from .mail.message import Composer, Options
    from .mail.recipients import from_addresses, read_csv
    from .mail.send import SendLog, Server, check_embargo, log_path, plan, send_all
    from .resolve import for_language, load
    from .sources import PressOffice

    console = _console(stderr=True)
    tls = cast(Security, security)
    send = send or dry_run
    if send and out_dir is not None:
        raise click.UsageError("--out écrit des brouillons : il ne s'emploie pas avec --send")
    try:
        recipients = from_addresses(to)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--to") from None
    if recipients_csv is not None:
        from_csv, errors = read_csv(recipients_csv)
        if errors and not skip_invalid:
            _print_errors({recipients_csv: errors})
            console.print(
                f"{len(errors)} ligne(s) invalide(s) dans {recipients_csv} : "
                "corrigez-les, ou relancez avec --skip-invalid pour les ignorer"
            )
            sys.exit(1)
        for error in errors:
            console.print(f"[yellow]ignorée[/] {error}", soft_wrap=True)
        recipients.extend(from_csv)
    recipients = list({r.key: r for r in reversed(recipients)}.values())[::-1]
    if send and not recipients:
        raise click.UsageError("--send demande des destinataires : --to ou --recipients")
    if send and not dry_run and not smtp_host:
        raise click.UsageError("--send demande --smtp-host")

    try:
        office = PressOffice.find(file)
        resolved = load(file, office)
        language = language or resolved.languages[0]
        if language not in resolved.languages:
            published = ", ".join(resolved.languages)
            raise click.UsageError(f"--langue {language} : ce communiqué est publié en {published}")
        # An edition of a multilingual communiqué is named like its outputs: <name>.en.pdf.
        edition = language if len(resolved.languages) > 1 else None
        resolved = for_language(resolved, language)
        name = output_name(file) + (f".{edition}" if edition else "")
        now = dt.datetime.now().astimezone()
        if send:
            check_embargo(resolved.communique.embargo, now, allow_embargo)
        theme = Theme.of(office)
        pdf = render(resolved, theme, ("pdf",))["pdf"]
        composer = Composer(resolved, theme, pdf, Options(max_attachment, link_base), name)
    except DataErrors as exc:
        _print_errors({file: exc.errors})
        sys.exit(1)
    except SendRefused as exc:
        console.print(f"[bold red]refusé[/] {exc}", soft_wrap=True)
        sys.exit(1)

    if not send:
        _write_drafts(composer, recipients, out_dir or DEFAULT_OUT, name, now)
        return

    log = SendLog(log_path(log_dir, file, edition))
    if dry_run:
        pending, done = plan(recipients, log)
        sample = composer(pending[0] if pending else recipients[0], now)
        out = click.echo
        out(f"Objet : {sample['Subject']}")
        out(f"De : {sample['From']}")
        out(f"Répondre à : {sample['Reply-To']}")
        attached = composer.link or f"{composer.filename} en pièce jointe"
        out(f"PDF : {attached} ({len(pdf)} octets)")
        if smtp_host:
            port = smtp_port or DEFAULT_PORTS[tls]
            out(f"Serveur : {smtp_host}:{port} ({security})")
        out(f"Journal : {log.path}")
        for recipient in pending:
            out(f"→ {_who(recipient)}")
        for recipient in done:
            out(f"  déjà servi : {_who(recipient)}")
        out(
            f"{len(pending)} message(s) à envoyer, {len(done)} destinataire(s) déjà servi(s), "
            f"{rate:g} message(s) par seconde au plus : rien n'a été envoyé (--dry-run)"
        )
        return

    def progress(status: str, recipient: Recipient, answer: str) -> None:
        mark = "[green]✓[/]" if status == "envoyé" else "[red]✗[/]"
        console.print(f"{mark} {_who(recipient)} : {answer}", soft_wrap=True, highlight=False)

    assert smtp_host is not None
    try:
        server = Server.from_environment(smtp_host, smtp_port, tls, smtp_cafile)
        report = send_all(
            recipients,
            composer,
            server,
            log,
            rate=rate,
            embargo=resolved.communique.embargo,
            allow_embargo=allow_embargo,
            on_event=progress,
        )
    except SendRefused as exc:
        console.print(f"[bold red]refusé[/] {exc}", soft_wrap=True)
        sys.exit(1)
    except DataErrors as exc:
        _print_errors({log.path: exc.errors})
        sys.exit(1)
    except KeyboardInterrupt:
        console.print(f"envoi interrompu : relancez la même commande pour continuer ({log.path})")
        sys.exit(1)
    left = len(recipients) - len(report.sent) - len(report.already) - len(report.refused)
    console.print(
        f"{len(report.sent)} envoyé(s), {len(report.already)} déjà servi(s), "
        f"{len(report.refused)} refusé(s) par le serveur ; journal : {log.path}",
        soft_wrap=True,
    )
    if report.interrupted:
        console.print(
            f"[bold red]envoi interrompu[/] : {report.interrupted}. {left} restant(s) : "
            "relancez la même commande pour les servir",
            soft_wrap=True,
        )
    sys.exit(1 if report.interrupted or report.refused else 0)


def _who(recipient: Recipient) -> str:
    name = f"{recipient.nom} <{recipient.email}>" if recipient.nom else recipient.email
    return f"{name} ({recipient.organisation})" if recipient.organisation else name


def _write_drafts(
    composer: Composer, recipients: list[Recipient], out_dir: Path, stem: str, now: dt.datetime
) -> None:
    """One .eml per recipient, or one to address by hand when there is none."""
    from slugify import slugify

    from .build import write_outputs
    from .cli import _console
    from .mail.message import as_bytes

    console = _console(stderr=True)
    used: set[str] = set()
    addressees: list[Recipient | None] = [*recipients] or [None]
    for recipient in addressees:
        name = stem if recipient is None else f"{stem}--{slugify(recipient.email)}"
        base, count = name, 1
        while name in used:
            count += 1
            name = f"{base}-{count}"
        used.add(name)
        message = composer(recipient, now)
        for path in write_outputs(out_dir, name, {"eml": as_bytes(message)}):
            console.print(f"[green]✓[/] {path}", soft_wrap=True, highlight=False)
