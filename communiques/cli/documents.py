"""The commands on communiqué files and their outputs: build, check, new, list, schema.
Each parses, calls its function in communiques/commands/, prints, and returns its exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..commands import schema as schema_module
from ..commands.build import EXECUTORS
from ..commands.common import find_sources
from ..errors import relative
from ..formats import DEFAULT_FORMATS, FORMATS, PDF_VARIANTS, parse_formats
from .shared import (
    Option,
    add_options,
    command,
    console,
    current_office,
    out_option,
    output_folder,
    paths_argument,
    report_format_option,
)

if TYPE_CHECKING:
    from ..batch import Progress, Report


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@command(name="build")
@add_options(
    paths_argument,
    out_option("Dossier de sortie (par défaut : le réglage sortie du bureau, build/)."),
    click.option(
        "--format", "formats", default=",".join(DEFAULT_FORMATS), show_default=True,
        callback=_formats, help=f"Formats, séparés par des virgules : {', '.join(FORMATS)}.",
    ),
    click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        show_default="un par cœur libre",
        help="Processus de mise en page en parallèle.",
    ),
    click.option("--force", is_flag=True, help="Tout reconstruire, même ce qui n'a pas changé."),
    click.option(
        "--nettoyer", "prune", cls=Option, old=("--prune",), is_flag=True,
        help="Supprimer de la sortie les fichiers sans source.",
    ),
    click.option(
        "--executeur", "executor", cls=Option, old=("--executor",), type=click.Choice(EXECUTORS),
        default=EXECUTORS[0], show_default=True,
        help="Où mettre en page : processus locaux ou grappe Dask.",
    ),
    click.option(
        "--planificateur", "scheduler", cls=Option, old=("--scheduler",),
        metavar="tcp://HÔTE:8786", help="Planificateur Dask (avec --executeur dask).",
    ),
    click.option(
        "--hote-autorise", "hosts", multiple=True, metavar="HÔTE",
        help="Hôte dont les modèles peuvent charger des ressources (répétable) ; sans : aucun "
        "réseau.",
    ),
    click.option(
        "--variante-pdf", "pdf_variant", cls=Option, old=("--pdf-variant",),
        type=click.Choice(PDF_VARIANTS),
        help="PDF balisé accessible (pdf/ua-1, par défaut) ou d'archivage, balisé lui aussi.",
    ),
    click.option("--archive", is_flag=True, help="PDF d'archivage : --variante-pdf pdf/a-3u."),
    click.option(
        "--site", is_flag=True,
        help="Écrire aussi le site d'archive (accueil par année, flux Atom, recherche) dans "
        "OUT/site/.",
    ),
)  # fmt: skip
def build_command(paths: tuple[Path, ...], **options: Any) -> int:
    """Construit les communiqués (fichiers ou dossiers ; par défaut ceux du bureau de presse)."""
    from ..commands.build import build

    sources = find_sources(paths, current_office)
    options["out_dir"] = output_folder(options["out_dir"], loose_files=bool(paths))
    out = console()
    with _progress(out, len(sources)) as progress:
        report = build(sources, progress=progress, **options)
    _print_build(out, report)
    return 1 if report.errors else 0


@contextmanager
def _progress(out: Any, total: int) -> Iterator[Progress]:
    """A progress bar on a terminal; one line per communiqué otherwise (logs, CI)."""
    if not out.is_terminal:
        yield lambda event, source, done, total: out.print(
            f"[{done}/{total}] {event} : {relative(source)}", soft_wrap=True, highlight=False
        )
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar

    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
    )  # fmt: skip
    with Bar(*columns, console=out, transient=True) as bar:
        task = bar.add_task("Construction", total=total, rate="")

        from ..l10n import decimal

        def advance(event: str, source: Path, done: int, total: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0
            bar.update(task, completed=done, rate=f"{decimal(done / elapsed)}/s" if elapsed else "")

        yield advance


def _print_build(out: Any, report: Report) -> None:
    from ..l10n import decimal

    for problems in (*report.errors.values(), *report.warnings.values()):
        for diagnostic in problems:
            click.echo(str(diagnostic), err=True)
    for path in report.stale:
        verb = "supprimé" if report.pruned else "sans source (--nettoyer pour le supprimer)"
        out.print(f"[yellow]{path}[/] : {verb}", soft_wrap=True)
    for path in report.foreign:
        out.print(
            f"[yellow]{path}[/] : fichier que communiques n'a pas écrit, conservé", soft_wrap=True
        )
    rate = len(report.built) / report.seconds if report.built and report.seconds else 0
    if report.site is not None:
        out.print(
            f"site : {report.site.folder / 'index.html'} ({len(report.site.written)} fichier(s) "
            f"écrit(s), {len(report.site.removed)} supprimé(s), "
            f"en {decimal(report.site.seconds)} s)",
            soft_wrap=True,
        )
    out.print(
        f"{len(report.built)} construit(s), {len(report.skipped)} inchangé(s), "
        f"{len(report.errors)} en erreur, en {decimal(report.seconds)} s"
        + (f" ({decimal(rate)}/s)" if rate else "")
    )


@command()
@add_options(
    paths_argument,
    report_format_option("texte (fichier:ligne:colonne: niveau: message) ou json."),
    click.option("--strict", is_flag=True, help="Les avertissements font aussi échouer (code 1)."),
    click.option(
        "--mise-en-page/--sans-mise-en-page", "layout", default=True, show_default=True,
        help="Mesurer la longueur du texte mis en page (plus lent : charge WeasyPrint).",
    ),
)  # fmt: skip
def check(paths: tuple[Path, ...], output_format: str, strict: bool, layout: bool) -> int:
    """Relit les communiqués sans rien écrire : données, orthographe, typographie, cohérence
    et longueur. Les erreurs font échouer (code 1), les avertissements non, sauf --strict."""
    from ..commands.check import check as check_sources

    result = check_sources(find_sources(paths, current_office), layout)
    if output_format == "json":
        click.echo(json.dumps([f.as_json() for f in result.findings], ensure_ascii=False, indent=1))
    else:
        for finding in result.findings:
            click.echo(str(finding))
    click.echo(  # not rich: its import alone is a tenth of the command's time
        f"{result.checked - result.failed} valide(s), {result.failed} en erreur, "
        f"{result.warnings} avertissement(s)",
        err=True,
    )
    return result.exit_code(strict)


@command(name="list")
@add_options(out_option("Dossier de sortie à lister (par défaut : celui du bureau)."))
def list_command(out_dir: Path | None) -> None:
    """Affiche l'archive construite (d'après build/manifest.json), la plus récente d'abord :
    un tableau dans un terminal, des lignes séparées par des tabulations sinon."""
    from ..commands.listing import listing

    entries = listing(output_folder(out_dir))
    header = ("Date", "Titre", "Émetteur", "Pages", "Fichiers")
    rows = [
        (
            e.date,
            e.titre,
            e.emetteur,
            " ".join(str(o.pages) for o in e.outputs.values() if o.pages),
            " ".join(o.file for o in e.outputs.values()),
        )
        for e in entries
    ]
    if not sys.stdout.isatty():  # for grep, cut and spreadsheets; and rich takes 2 ms a row
        for row in (header, *rows):
            click.echo("\t".join(row))
        return
    from rich.table import Table

    table = Table(*header, title=f"{len(entries)} communiqué(s)")
    for row in rows:
        table.add_row(*row)
    console(stderr=False).print(table)


@command()
@click.argument("name", metavar="NOM")
@click.option(
    "--modele", default="communique", show_default=True,
    help="Modèle du communiqué (ceux du paquet et ceux du dossier templates/ du bureau).",
)  # fmt: skip
def new(name: str, modele: str) -> None:
    """Crée un fichier de communiqué commenté, prêt à remplir, dans le dossier communiques/ du
    bureau ; sa date est celle du nom (2026-06-02-…) ou celle du jour."""
    from ..commands.new import new as create

    target = create(name, modele, current_office())
    console().print(f"[green]✓[/] {target} créé", soft_wrap=True)


@command()
def schema() -> None:
    """Affiche le schéma JSON des fichiers de communiqué (pour les éditeurs)."""
    click.echo(schema_module.schema(), nl=False)
