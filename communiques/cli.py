"""The `communiques` command: parses options, prints, sets exit codes; no document logic here.

Exit codes: 0 success, 1 errors in the data, 2 bad usage. Heavy libraries (WeasyPrint,
python-docx) are imported only by the commands that render.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import Diagnostic
from .formats import DEFAULT_FORMATS, FORMATS
from .sources import BUILTIN_ROOT, PressOffice, collect_sources

if TYPE_CHECKING:
    from .batch import Options, Progress, Report
    from .render.pdf_process import PdfProcess

SCHEMA_FILE = Path(__file__).with_name("communique.schema.json")

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


def _print_errors(errors: dict[Path, list[Diagnostic]]) -> None:
    console = _console(stderr=True)
    for problems in errors.values():
        for error in problems:
            console.print(str(error), markup=False, soft_wrap=True)


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
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="nombre de processeurs",
    help="Processus de mise en page en parallèle.",
)
@click.option("--force", is_flag=True, help="Tout reconstruire, même ce qui n'a pas changé.")
@click.option("--prune", is_flag=True, help="Supprimer de la sortie les fichiers sans source.")
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Où mettre en page : processus locaux ou grappe Dask.",
)
@click.option(
    "--scheduler", metavar="tcp://HÔTE:8786", help="Planificateur Dask (avec --executor dask)."
)
@click.option(
    "--hote-autorise",
    "hosts",
    multiple=True,
    metavar="HÔTE",
    help="Hôte dont les modèles peuvent charger des ressources (répétable) ; sans : aucun réseau.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(["pdf/ua-1", "pdf/a-2u", "pdf/a-3u"]),  # render.pdf.PDF_VARIANTS
    default=None,
    help="PDF balisé accessible (pdf/ua-1, par défaut) ou d'archivage, balisé lui aussi.",
)
@click.option("--archive", is_flag=True, help="PDF d'archivage : --pdf-variant pdf/a-3u.")
@click.option(  # issue #18
    "--site",
    is_flag=True,
    help="Écrire aussi le site d'archive (accueil par année, flux Atom, recherche) dans OUT/site/.",
)
def build_command(paths: tuple[Path, ...], out_dir: Path, formats: str, jobs: int, force: bool,
                  prune: bool, executor: str, scheduler: str | None,
                  hosts: tuple[str, ...], pdf_variant: str | None,
                  archive: bool, site: bool) -> None:  # fmt: skip
    """Construit les communiqués (fichiers ou dossiers ; par défaut ceux du bureau de presse)."""
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask demande --scheduler tcp://HÔTE:8786")
    if archive and pdf_variant not in (None, "pdf/a-3u"):
        raise click.UsageError(f"--archive (pdf/a-3u) contredit --pdf-variant {pdf_variant}")
    sources = _sources(paths)
    chosen = _formats(formats)
    pdf_process = None
    if len(sources) == 1 and executor == "local" and jobs > 1 and "pdf" in chosen:
        # Before the heavy imports below, so that the fork is cheap and overlaps them.
        from .render import pdf_process as helper

        office = PressOffice.find(sources[0])
        pdf_process = helper.start(office.asset_dirs, office.template_dirs)
    from .batch import Options

    options = Options(
        out_dir, chosen, jobs, force, prune, executor, scheduler, hosts=hosts,
        pdf_variant="pdf/a-3u" if archive else pdf_variant, site=site,
    )  # fmt: skip
    console = _console(stderr=True)
    if console.is_terminal:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("Construction", total=len(sources), rate="")

            def advance(event: str, source: Path, done: int, total: int) -> None:
                elapsed = bar.tasks[0].elapsed or 0
                bar.update(task, completed=done, rate=f"{done / elapsed:.1f}/s" if elapsed else "")

            report = _locked_build(sources, options, advance, pdf_process)
    else:

        def plain(event: str, source: Path, done: int, total: int) -> None:
            console.print(f"[{done}/{total}] {event} : {source}", soft_wrap=True, highlight=False)

        report = _locked_build(sources, options, plain, pdf_process)
    _print_errors(report.errors)
    for path in report.stale:
        verb = "supprimé" if report.pruned else "sans source (--prune pour le supprimer)"
        console.print(f"[yellow]{path}[/] : {verb}", soft_wrap=True)
    console.print(
        f"{len(report.built)} construit(s), {len(report.skipped)} inchangé(s), "
        f"{len(report.errors)} en erreur, en {report.seconds:.1f} s"
        + (
            f" ({len(report.built) / report.seconds:.1f}/s)"
            if report.built and report.seconds
            else ""
        )
    )
    if report.site is not None:
        console.print(
            f"site : {report.site.folder / 'index.html'} ({len(report.site.written)} fichier(s) "
            f"écrit(s), {len(report.site.removed)} supprimé(s), en {report.site.seconds:.1f} s)",
            soft_wrap=True,
        )
    sys.exit(1 if report.errors else 0)


def _locked_build(
    sources: list[Path], options: Options, progress: Progress, pdf_process: PdfProcess | None
) -> Report:
    """The build, or exit 1 with the reason when another build holds the output folder or
    the Dask cluster cannot be used."""
    from rich.markup import escape

    from .batch import build
    from .errors import BuildLocked, ExecutorUnavailable

    try:
        return build(sources, options, progress, pdf_process)
    except (BuildLocked, ExecutorUnavailable) as exc:
        _console(stderr=True).print(f"[bold red]erreur[/] {escape(str(exc))}", soft_wrap=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["texte", "json"]),
    default="texte",
    show_default=True,
    help="texte (fichier:ligne:colonne: niveau: message) ou json.",
)
@click.option("--strict", is_flag=True, help="Les avertissements font aussi échouer (code 1).")
@click.option(
    "--mise-en-page/--sans-mise-en-page",
    "layout",
    default=True,
    show_default=True,
    help="Mesurer la longueur du texte mis en page (plus lent : charge WeasyPrint).",
)
def check(paths: tuple[Path, ...], output_format: str, strict: bool, layout: bool) -> None:
    """Relit les communiqués sans rien écrire : données, orthographe, typographie, cohérence
    et longueur. Les erreurs font échouer (code 1), les avertissements non, sauf --strict."""
    sources = _sources(paths)
    pdf_process = None
    if layout and sources:  # as for build: WeasyPrint loads on the other core meanwhile
        from .render import pdf_process as helper

        office = PressOffice.find(sources[0])
        pdf_process = helper.start(office.asset_dirs, office.template_dirs)
    from .errors import ERROR
    from .proofread import check_file

    seen: set[Diagnostic] = set()  # an organisation's findings once, not once per communiqué
    findings: list[Diagnostic] = []
    failed = 0
    for source in sources:
        found = check_file(source, layout=layout, pdf_process=pdf_process)
        failed += any(f.level == ERROR for f in found)
        findings.extend(f for f in found if f not in seen)
        seen.update(found)
    if output_format == "json":
        click.echo(json.dumps([f.as_json() for f in findings], ensure_ascii=False, indent=1))
    else:
        for finding in findings:
            click.echo(str(finding))
    warnings = sum(f.level != ERROR for f in findings)
    click.echo(  # not rich: its import alone is a tenth of the command's time
        f"{len(sources) - failed} valide(s), {failed} en erreur, {warnings} avertissement(s)",
        err=True,
    )
    sys.exit(1 if failed or (strict and warnings) else 0)


def _relative(path: Path) -> Path:
    """A path as the user would type it from here, as editors and terminals link it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        return path


@main.command(name="list")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Dossier de sortie à lister.",
)
def list_command(out_dir: Path) -> None:
    """Affiche l'archive construite (d'après build/manifest.json), la plus récente d'abord :
    un tableau dans un terminal, des lignes séparées par des tabulations sinon."""
    from .manifest import Manifest

    entries = sorted(Manifest.load(out_dir).entries.values(), key=lambda e: e.date, reverse=True)
    header = ("Date", "Titre", "Émetteur", "Pages", "Fichiers")
    rows = []
    for entry in entries:
        pages = " ".join(str(o.pages) for o in entry.outputs.values() if o.pages)
        files = " ".join(o.file for o in entry.outputs.values())
        rows.append((entry.date, entry.titre, entry.emetteur, pages, files))
    if not sys.stdout.isatty():  # for grep, cut and spreadsheets; and rich takes 2 ms a row
        for row in (header, *rows):
            click.echo("\t".join(row))
        return
    from rich.table import Table

    table = Table(*header, title=f"{len(entries)} communiqué(s)")
    for row in rows:
        table.add_row(*row)
    _console().print(table)


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
    # Written by `make schema` and checked against the model by the tests: printing it does
    # not build the pydantic models (0.35 s → 0.1 s).
    click.echo(SCHEMA_FILE.read_text(encoding="utf-8"), nl=False)


from .cli_email import email_command  # noqa: E402

main.add_command(email_command)

from .cli_verify import verify_command  # noqa: E402

main.add_command(verify_command)


def run() -> None:
    """The console script: `main`, then exit without the interpreter's teardown.

    Freeing every object of WeasyPrint, pydantic and lxml one by one takes about 0.15 s that
    the system does at once; by then every output is written and renamed, and stdout and
    stderr are flushed here.
    """
    try:
        main()
    except SystemExit as exc:
        if not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    else:
        code = 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
