"""`communiques studio`: the local editor with a live preview (the `studio` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import UsageError
from ..sources import PressOffice
from .shared import command


@command("studio")
@click.option(
    "--bureau",
    "folder",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    help="Bureau de presse (par défaut : le dossier courant).",
)
@click.option(
    "--port",
    metavar="PORT",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port (par défaut : libre).",
)
@click.option(
    "--hote",
    metavar="ADRESSE",
    default="127.0.0.1",
    show_default=True,
    help="Adresse d'écoute ; une autre que 127.0.0.1 rend le studio visible du réseau.",
)
@click.option("--sans-navigateur", is_flag=True, help="Ne pas ouvrir le navigateur.")
def studio_command(folder: Path, port: int, hote: str, sans_navigateur: bool) -> None:
    """Ouvre un éditeur dans le navigateur, avec l'aperçu du PDF pendant la frappe."""
    try:
        from ..studio.server import serve
    except ImportError as exc:
        raise UsageError(
            f"le studio demande des bibliothèques absentes ({exc.name}) : "
            "installez-les avec pip install 'communiques[studio]'"
        ) from None
    serve(PressOffice.find(folder), port, hote, not sans_navigateur, echo=click.echo)
