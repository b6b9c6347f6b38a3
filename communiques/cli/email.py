"""`communiques email`: options and printing; the work is in communiques/commands/email.py.
Exit codes: 0 done, 1 refused, interrupted or data error, 2 bad usage."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import click

from ..commands.email import DEFAULT_LOG_DIR, DEFAULT_OUT, EmailRequest
from ..mail import SECURITIES
from .shared import F, Option, command, console, out_option

if TYPE_CHECKING:
    from ..commands.email import DryRun
    from ..mail.recipients import Recipient


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


def _option(name: str, dest: str, *old: str, **kwargs: Any) -> Callable[[F], F]:
    return click.option(name, dest, cls=Option, old=old, **kwargs)


@command("email")
@click.argument(
    "file", metavar="FICHIER", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@_option(
    "--destinataire",
    "addresses",
    "--to",
    multiple=True,
    metavar="ADRESSE",
    help="Destinataire ; l'option se répète.",
)
@_option(
    "--liste-diffusion",
    "mailing_list",
    "--recipients",
    metavar="LISTE.csv",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Destinataires : CSV avec les colonnes email, nom et (facultatif) organisation.",
)
@_option(
    "--ignorer-invalides",
    "skip_invalid",
    "--skip-invalid",
    is_flag=True,
    help="Ignorer les lignes invalides de la liste (sinon : rien n'est fait).",
)
@out_option(f"Dossier des brouillons .eml (par défaut : {DEFAULT_OUT}).", default=None)
@_option(
    "--envoyer", "send", "--send", is_flag=True, help="Envoyer par SMTP au lieu d'écrire des .eml."
)
@_option(
    "--simulation",
    "dry_run",
    "--dry-run",
    is_flag=True,
    help="Afficher ce qui serait envoyé, sans rien envoyer.",
)
@_option(
    "--smtp-hote", "smtp_host", "--smtp-host", metavar="HÔTE", help="Serveur SMTP (avec --envoyer)."
)
@click.option(
    "--smtp-port",
    type=click.IntRange(1, 65535),
    help="Port SMTP (par défaut : 587 en starttls, 465 en tls, 25 sans chiffrement).",
)
@_option(
    "--smtp-chiffrement",
    "security",
    "--smtp-tls",
    type=click.Choice(SECURITIES),
    default=SECURITIES[0],
    show_default=True,
    help="Chiffrement : STARTTLS, TLS implicite, ou aucun.",
)
@_option(
    "--smtp-autorite",
    "smtp_cafile",
    "--smtp-cafile",
    metavar="FICHIER.pem",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Certificat de l'autorité qui a signé celui du serveur (autorité privée).",
)
@_option(
    "--cadence",
    "rate",
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=2,
    show_default=True,
    help="Messages par seconde, au plus.",
)
@_option(
    "--avant-embargo",
    "allow_embargo",
    "--allow-embargo",
    is_flag=True,
    help="Envoyer avant la levée de l'embargo (l'objet et le message le signalent).",
)
@_option(
    "--piece-jointe-max",
    "max_attachment",
    "--max-attachment",
    type=Size(),
    default="5Mo",
    show_default=True,
    help="Au-delà, le PDF n'est pas joint mais lié (--adresse-publication).",
)
@_option(
    "--adresse-publication",
    "link_base",
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
@click.option("--langue", "language", type=click.Choice(["fr", "en"]),
              help="Édition à envoyer d'un communiqué publié en plusieurs langues (par défaut : "
              "la première).")  # fmt: skip
def email_command(**options: Any) -> int:
    """Écrit le communiqué en e-mail (.eml), ou l'envoie par SMTP avec --envoyer.

    Un message par destinataire : le texte dans le corps (texte brut et HTML), le PDF en
    pièce jointe. Identifiant SMTP : variables d'environnement COMMUNIQUES_SMTP_USER et
    COMMUNIQUES_SMTP_PASSWORD, jamais sur la ligne de commande.
    """
    from ..commands import email

    request = EmailRequest(**options)
    prepared = email.prepare(request)
    out = console()
    for ignored in prepared.ignored:
        out.print(f"[yellow]ignorée[/] {ignored}", soft_wrap=True)
    skipped = 1 if prepared.ignored else 0  # what was asked for was not all done
    if prepared.ignored:
        out.print(
            f"[yellow]{len(prepared.ignored)} ligne(s) ignorée(s)[/] (--ignorer-invalides) : "
            "personne n'y est écrit",
            soft_wrap=True,
        )
    if not request.sending:
        for path in email.write_drafts(prepared):
            out.print(f"[green]✓[/] {path}", soft_wrap=True)
        return skipped
    if request.dry_run:
        _print_plan(email.plan(prepared), request.rate)
        return skipped

    def progress(status: str, recipient: Recipient, answer: str) -> None:
        mark = "[green]✓[/]" if status == "envoyé" else "[red]✗[/]"
        out.print(f"{mark} {_who(recipient)} : {answer}", soft_wrap=True)

    report, log = email.send(prepared, progress, _ask_to_resend if _on_terminal() else None)
    left = (
        len(prepared.recipients) - len(report.sent) - len(report.already) - len(report.refused)
        - len(report.unchecked)
    )  # fmt: skip
    for recipient, entry in report.unchecked:
        out.print(
            f"[yellow]à vérifier[/] {_who(recipient)} : le serveur a peut-être reçu son message "
            f"({entry.get('message_id')}, {entry.get('heure')}) sans pouvoir le confirmer ; non "
            "renvoyé. Vérifiez, puis relancez dans un terminal pour décider",
            soft_wrap=True,
        )
    out.print(
        f"{len(report.sent)} envoyé(s), {len(report.already)} déjà servi(s), "
        f"{len(report.refused)} refusé(s) par le serveur"
        + (f", {len(report.unchecked)} à vérifier" if report.unchecked else "")
        + f" ; journal : {log}",
        soft_wrap=True,
    )
    if report.interrupted:
        out.print(
            f"[bold red]envoi interrompu[/] : {report.interrupted}. {left} restant(s) : "
            "relancez la même commande pour les servir",
            soft_wrap=True,
        )
    return 1 if report.interrupted or report.refused or report.unchecked else skipped


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def _ask_to_resend(recipient: Recipient, entry: dict[str, Any]) -> bool:
    """On a terminal: the message may have arrived; the user, who can check, decides."""
    click.echo(
        f"Le message pour {_who(recipient)} ({entry.get('message_id')}, {entry.get('heure')}) "
        "a été transmis au serveur, mais la connexion s'est coupée avant sa confirmation : il "
        "est peut-être arrivé.",
        err=True,
    )
    answer = click.prompt(
        "Le renvoyer ? (oui, ou non s'il est arrivé)",
        type=click.Choice(["oui", "non", "o", "n"], case_sensitive=False),
        show_choices=False,
        err=True,
    )
    return str(answer).lower().startswith("o")


def _print_plan(plan: DryRun, rate: float) -> None:
    from ..l10n import decimal

    click.echo(f"Objet : {plan.headers['Subject']}")
    click.echo(f"De : {plan.headers['From']}")
    click.echo(f"Répondre à : {plan.headers['Reply-To']}")
    click.echo(f"PDF : {plan.attachment}")
    if plan.server:
        click.echo(f"Serveur : {plan.server}")
    click.echo(f"Journal : {plan.log}")
    for recipient in plan.pending:
        click.echo(f"→ {_who(recipient)}")
    for recipient in plan.done:
        click.echo(f"  déjà servi : {_who(recipient)}")
    for recipient in plan.uncertain:
        click.echo(f"  à vérifier (peut-être reçu, non renvoyé) : {_who(recipient)}")
    click.echo(
        f"{len(plan.pending)} message(s) à envoyer, {len(plan.done)} destinataire(s) déjà "
        f"servi(s), {decimal(rate, None)} message(s) par seconde au plus : rien n'a été envoyé "
        "(--simulation)"
    )


def _who(recipient: Recipient) -> str:
    name = f"{recipient.nom} <{recipient.email}>" if recipient.nom else recipient.email
    return f"{name} ({recipient.organisation})" if recipient.organisation else name
