"""`communiques init`: asks what it lacks on a terminal (never otherwise), then creates the
office through communiques/commands/init.py."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .shared import command, console


@command("init")
@click.argument("folder", metavar="[DOSSIER]", required=False, type=click.Path(path_type=Path))
@click.option("--nom", help="Nom complet de l'organisation émettrice.")
@click.option("--sigle", help="Sigle de l'organisation (nom de son fichier).")
@click.option("--ville", help="Lieu des communiqués (réglage lieu).")
@click.option("--site", help="Site de l'organisation (https://…).")
@click.option(
    "--logo", type=click.Path(dir_okay=False, path_type=Path), help="Logo PNG, JPEG ou SVG."
)
def init_command(
    folder: Path | None,
    nom: str | None,
    sigle: str | None,
    ville: str | None,
    site: str | None,
    logo: Path | None,
) -> None:
    """Crée un bureau de presse prêt à l'emploi dans DOSSIER (par défaut : le dossier courant) :
    réglages, organisation, logo, mots justes et un premier communiqué."""
    from ..commands.init import DEFAULT_CITY, DEFAULT_NAME, Answers, acronym, init

    asking = sys.stdin.isatty()

    def ask(value: str | None, question: str, default: str) -> str:
        if value is not None:
            return value
        return click.prompt(question, default=default) if asking else default

    nom = ask(nom, "Nom de l'organisation", DEFAULT_NAME)
    answers = Answers(
        nom=nom,
        sigle=ask(sigle, "Sigle", acronym(nom)),
        ville=ask(ville, "Ville des communiqués", DEFAULT_CITY),
        site=ask(site, "Site (facultatif)", ""),
        logo=logo or _path(ask(None, "Logo (facultatif)", "") if asking else ""),
    )
    named = click.get_current_context().meta.get("communiques.bureau")  # --bureau, alike
    created = init(folder or named or Path("."), answers)
    out = console()
    for path in created.files:
        out.print(f"[green]✓[/] {path} créé", soft_wrap=True)
    for notice in created.notices:
        out.print(f"[yellow]{notice}[/]", soft_wrap=True)
    out.print(
        f"Bureau prêt : cd {created.root} puis `communiques build`, ou "
        "`communiques new 2026-06-02-mon-sujet`.",
        soft_wrap=True,
    )


def _path(text: str) -> Path | None:
    return Path(text) if text else None
