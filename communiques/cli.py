"""The `communiques` command: parses options, prints, sets exit codes; no document logic here.

Exit codes: 0 success, 1 errors in the data, 2 bad usage. Heavy libraries (WeasyPrint,
python-docx) are imported only by the commands that render.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from . import __version__
from .build import DEFAULT_FORMATS, FORMATS, Report, build
from .errors import DataError
from .sources import BUILTIN_ROOT, PressOffice, collect_sources

STARTERS = BUILTIN_ROOT / "templates" / "nouveau"


def _console(stderr: bool = False):  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _sources(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise click.BadParameter(
                f"introuvable : {', '.join(map(str, missing))}", param_hint="PATHS"
            )
        return collect_sources(list(paths))
    office = PressOffice.find(Path.cwd())
    found = list(office.communique_files())
    if not found:
        raise click.UsageError(
            f"aucun communiqué dans {office.root / 'communiques'} : "
            "indiquez des fichiers ou un dossier"
        )
    return found


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"format inconnu : {', '.join(unknown) or '(vide)'} (formats : {', '.join(FORMATS)})",
            param_hint="--format",
        )
    return chosen


def _print_errors(errors: dict[Path, list[DataError]]) -> None:
    console = _console(stderr=True)
    for problems in errors.values():
        for error in problems:
            console.print(f"[bold red]erreur[/] {error}", markup=True, soft_wrap=True)


def _summary(report: Report, verb: str) -> int:
    _print_errors(report.errors)
    console = _console(stderr=True)
    total = len(report.built) + len(report.errors)
    if report.errors:
        console.print(
            f"{len(report.errors)} fichier(s) en erreur sur {total}, {len(report.built)} {verb}"
        )
        return 1
    console.print(f"{total} communiqué(s) {verb}")
    return 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communiques")
def main() -> None:
    """Communiqués de presse officiels (PDF et DOCX) à partir de fichiers YAML."""


@main.command(name="build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Dossier de sortie.",
)
@click.option(
    "--format",
    "formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    help=f"Formats, séparés par des virgules : {', '.join(FORMATS)}.",
)
def build_command(paths: tuple[Path, ...], out_dir: Path, formats: str) -> None:
    """Construit les communiqués (fichiers ou dossiers ; par défaut ceux du bureau de presse)."""
    report = build(_sources(paths), out_dir, _formats(formats))
    console = _console(stderr=True)
    for outputs in report.built.values():
        console.print("[green]✓[/] " + ", ".join(str(p) for p in outputs), soft_wrap=True)
    sys.exit(_summary(report, "construit(s)"))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Vérifie les communiqués sans rien écrire."""
    report = build(_sources(paths), Path("build"), ("html",), write=False)
    sys.exit(_summary(report, "valide(s)"))


@main.command()
@click.argument("name")
@click.option(
    "--modele",
    type=click.Choice(["communique", "annonce-laureats", "annonce-comite"]),
    default="communique",
    show_default=True,
    help="Modèle du communiqué.",
)
@click.option(
    "--dossier",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Bureau de presse (par défaut : le dossier courant).",
)
def new(name: str, modele: str, folder: Path) -> None:
    """Crée un fichier de communiqué commenté, prêt à remplir."""
    from slugify import slugify

    office = PressOffice.find(folder)
    target = office.root / "communiques" / f"{slugify(name) or 'communique'}.yaml"
    if target.exists():
        raise click.UsageError(f"{target} existe déjà")
    text = (STARTERS / f"{modele}.yaml").read_text(encoding="utf-8")
    text = text.replace("{date}", dt.date.today().isoformat())
    text = text.replace("{emetteur}", _first_id(office, "organisations", "mon-organisation"))
    text = text.replace("{programme}", _first_id(office, "programmes", "mon-programme"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    _console(stderr=True).print(f"[green]✓[/] {target} créé", soft_wrap=True)


def _first_id(office: PressOffice, kind: str, default: str) -> str:
    files = sorted((office.root / kind).glob("*.y*ml"))
    return files[0].stem if files else default


@main.command()
def schema() -> None:
    """Affiche le schéma JSON des fichiers de communiqué (pour les éditeurs)."""
    from .model import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))
