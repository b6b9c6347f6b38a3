"""Building many communiqués: incremental, in parallel, one bad file never stopping the rest.

The parent process reads and validates the sources (cheap, and errors need the YAML marks),
sends each resolved communiqué to a worker that runs the pure `render_task`, and writes what
comes back. Workers are local processes, or a Dask cluster for archives past one machine.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from .build import PortableTheme, Theme, output_name, render
from .errors import BuildLocked, DataErrors, Diagnostic, ExecutorUnavailable
from .files import write_all
from .formats import DEFAULT_FORMATS
from .manifest import Entry, Manifest, Output, build_key
from .resolve import Resolved, load
from .sources import PressOffice

if TYPE_CHECKING:
    from .render.pdf_process import PdfProcess
    from .site.archive import SiteReport

MANIFEST_SAVE_INTERVAL = 2.0  # seconds: a killed build loses at most this much bookkeeping
LOCK_FILE = ".verrou"


@dataclass(frozen=True)
class Options:
    out_dir: Path = Path("build")
    formats: tuple[str, ...] = DEFAULT_FORMATS
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    force: bool = False
    prune: bool = False
    executor: str = "local"
    scheduler: str | None = None
    hosts: tuple[str, ...] = ()
    """Hosts rendering may fetch resources from (--hote-autorise); none by default."""
    pdf_variant: str | None = None
    """PDF/UA-1 by default; "pdf/a-3u" or "pdf/a-2u" for an archive (--pdf-variant, --archive)."""
    site: bool = False
    """Also write the archive site in out_dir/site/ (--site, issue #18)."""

    def key_options(self) -> tuple[str, ...]:
        hosts = (f"hosts={','.join(sorted(self.hosts))}",) if self.hosts else ()
        # Always named, so PDFs made before they were tagged are rebuilt once.
        variant = (f"pdf={self.pdf_variant or 'pdf/ua-1'}",) if "pdf" in self.formats else ()
        return (f"formats={','.join(sorted(self.formats))}", *hosts, *variant)


@dataclass(frozen=True)
class Task:
    """One communiqué to build. Local workers read the source themselves, in parallel; a
    remote worker gets it already resolved, with the key of its inputs."""

    name: str
    source: Path
    theme: Theme | PortableTheme
    formats: tuple[str, ...]
    key_options: tuple[str, ...]
    prepared: tuple[Resolved, str, tuple[str, ...]] | None = None
    hosts: tuple[str, ...] = ()
    pdf_variant: str | None = None


@dataclass(frozen=True)
class Result:
    name: str
    source: Path
    outputs: dict[str, bytes] | None
    errors: list[Diagnostic]
    entry: Entry | None = None


@dataclass
class Report:
    built: dict[Path, list[Path]] = field(default_factory=dict)
    skipped: list[Path] = field(default_factory=list)
    errors: dict[Path, list[Diagnostic]] = field(default_factory=dict)
    stale: list[Path] = field(default_factory=list)
    pruned: bool = False
    seconds: float = 0.0
    site: SiteReport | None = None


Progress = Callable[[str, Path, int, int], None]
"""Called as (event, source, done, total) with event "construit", "inchangé" or "erreur"."""


def render_task(task: Task, pdf_process: PdfProcess | None = None) -> Result:
    """Runs in a worker: never raises, so one bad communiqué cannot stop a batch."""
    try:
        if task.prepared is None:
            assert isinstance(task.theme, Theme)
            resolved, key, inputs = prepare(task.source, task.theme, task.key_options)
        else:
            resolved, key, inputs = task.prepared
        theme = task.theme.local() if isinstance(task.theme, PortableTheme) else task.theme
        outputs = render(
            resolved,
            theme,
            task.formats,
            task.hosts,
            pdf_variant=task.pdf_variant,
            pdf_process=pdf_process,
        )
        return Result(
            task.name, task.source, outputs, [], _entry(task.name, resolved, outputs, key, inputs)
        )
    except DataErrors as exc:
        return Result(task.name, task.source, None, exc.errors)
    except Exception as exc:  # a bug must still not stop the batch: report it on the file
        message = f"erreur inattendue pendant la mise en page : {type(exc).__name__}: {exc}"
        return Result(task.name, task.source, None, [Diagnostic(task.source, 1, 1, "", message)])


def prepare(
    source: Path, theme: Theme, key_options: tuple[str, ...]
) -> tuple[Resolved, str, tuple[str, ...]]:
    """Read and resolve a source; the key of everything its outputs depend on."""
    resolved = load(source, PressOffice.find(source))
    inputs = [*resolved.inputs, *theme_files(theme, resolved.communique.modele)]
    key = build_key(inputs, [_theme_listing(theme), *key_options])
    return resolved, key, tuple(str(p) for p in inputs)


def count_pages(pdf: bytes) -> int:
    import pikepdf  # qpdf reads a communiqué in under a millisecond, pypdf in about 20

    with pikepdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def theme_files(theme: Theme, modele: str) -> list[Path]:
    """The template and asset files a communiqué of this modèle is made with."""
    files: list[Path] = []
    for name in (f"{modele}.html.j2", "reference.docx"):
        found = next((d / name for d in theme.template_dirs if (d / name).is_file()), None)
        files.extend([found] if found else [])
    for folder in theme.template_dirs:
        files.extend(sorted(folder.glob("_*.j2")))
    for folder in theme.asset_dirs:
        for sub in ("css", "fonts"):
            files.extend(sorted(p for p in (folder / sub).rglob("*") if p.is_file()))
    return files


SCHEDULER_TIMEOUT = "10s"


@contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per output folder: two would overwrite each other's files and
    manifest. The kernel's lock (flock) is released even when the build is killed; the file
    holds the PID for the message and is removed at the end."""
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK_FILE
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.read(descriptor, 32).decode(errors="replace").strip()
            os.close(descriptor)
            who = (
                f"une autre construction (processus {other})" if other else "une autre construction"
            )
            raise BuildLocked(
                f"{who} écrit déjà dans {out_dir} : attendez qu'elle se termine"
            ) from None
        try:  # the file we locked may have been removed by the build that just finished
            if os.stat(path).st_ino == os.fstat(descriptor).st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        for leftover in out_dir.glob(".*.part"):  # from a build that was killed
            leftover.unlink(missing_ok=True)
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(descriptor)


def build(
    sources: list[Path],
    options: Options,
    progress: Progress | None = None,
    pdf_process: PdfProcess | None = None,
) -> Report:
    """Build `sources` into `options.out_dir`, skipping those whose inputs did not change.
    A communiqué built in this process has its PDF laid out by `pdf_process`, if given.

    Raises BuildLocked if another build is writing into the same folder."""
    with build_lock(options.out_dir):
        return _build(sources, options, progress, pdf_process)


def _build(
    sources: list[Path],
    options: Options,
    progress: Progress | None,
    pdf_process: PdfProcess | None,
) -> Report:
    started = time.perf_counter()
    report = Report()
    out_dir = options.out_dir
    manifest = Manifest.load(out_dir)
    total = len(sources)
    done = 0

    def tell(event: str, source: Path) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(event, source, done, total)

    tasks: list[Task] = []
    claimed: dict[str, Path] = {}
    for source in sources:
        name = output_name(source)
        if name in claimed:
            message = (
                f"même nom de sortie « {name} » que {claimed[name]} : renommez l'un des fichiers"
            )
            report.errors[source] = [Diagnostic(source, 1, 1, "", message)]
            tell("erreur", source)
            continue
        claimed[name] = source
        office = PressOffice.find(source)
        theme = Theme.of(office)
        if not options.force and _unchanged(manifest, name, source, theme, options):
            report.skipped.append(source)
            tell("inchangé", source)
            continue
        tasks.append(
            Task(
                name,
                source,
                theme,
                options.formats,
                options.key_options(),
                hosts=options.hosts,
                pdf_variant=options.pdf_variant,
            )
        )

    # The manifest on disk never vouches for a file about to be rewritten: if the build is
    # killed, what it lists still matches the files, and the rest is rebuilt next time.
    rebuilt = [manifest.entries.pop(task.name, None) for task in tasks]
    if any(rebuilt):
        manifest.save(out_dir)
    last_save = time.monotonic()
    for result in _execute(tasks, options, pdf_process):
        if result.outputs is None:
            report.errors[result.source] = result.errors
            manifest.entries.pop(result.name, None)
            tell("erreur", result.source)
            continue
        paths = write_all(
            (out_dir / f"{result.name}.{fmt}", data) for fmt, data in result.outputs.items()
        )
        assert result.entry is not None
        manifest.entries[result.name] = result.entry
        report.built[result.source] = paths
        tell("construit", result.source)
        if time.monotonic() - last_save > MANIFEST_SAVE_INTERVAL:
            manifest.save(out_dir)
            last_save = time.monotonic()

    for name, entry in list(manifest.entries.items()):
        if not Path(entry.source).is_file():
            del manifest.entries[name]
    report.stale = manifest.stale_files(out_dir, manifest.entries)
    if options.prune:
        for path in report.stale:
            path.unlink(missing_ok=True)
        report.pruned = True
    if out_dir.is_dir() or manifest.entries:
        manifest.save(out_dir)
        write_index(out_dir, manifest)
        # Web (issue #18): the files the HTML pages name, and the archive site with --site.
        from .site.archive import publish

        report.site = publish(out_dir, manifest, site=options.site, jobs=options.jobs)
    report.seconds = time.perf_counter() - started
    return report


def _unchanged(manifest: Manifest, name: str, source: Path, theme: Theme, options: Options) -> bool:
    """Decided from the manifest and file hashes alone: no YAML is parsed for a skipped file."""
    entry = manifest.entries.get(name)
    if entry is None or entry.source != str(source.resolve()):
        return False
    inputs = [Path(p) for p in entry.inputs]
    if not all(p.is_file() for p in inputs):
        return False
    key = build_key(inputs, [_theme_listing(theme), *options.key_options()])
    return manifest.is_current(name, key, options.out_dir)


@cache
def _theme_listing(theme: Theme) -> str:
    """Which theme files exist where: a template added to the office's own templates/ now
    shadows the built-in one, which changes every output although no known input changed."""
    listing = hashlib.sha256()
    for kind, folders in (("templates", theme.template_dirs), ("assets", theme.asset_dirs)):
        for index, folder in enumerate(folders):
            for path in sorted(folder.rglob("*")):
                listing.update(f"{kind}{index}/{path.relative_to(folder)}\n".encode())
    return f"theme={listing.hexdigest()}"


def _entry(
    name: str, resolved: Resolved, outputs: dict[str, bytes], key: str, inputs: tuple[str, ...]
) -> Entry:
    communique = resolved.communique
    return Entry(
        source=str(resolved.source.resolve()),
        key=key,
        inputs=inputs,
        outputs={
            fmt: Output(
                file=f"{name}.{fmt}",
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                pages=count_pages(data) if fmt.endswith("pdf") else None,
            )
            for fmt, data in outputs.items()
        },
        titre=communique.titre,
        date=communique.date.isoformat(),
        emetteur=resolved.emetteur.nom,
        langue=communique.langue,
    )


def _execute(
    tasks: list[Task], options: Options, pdf_process: PdfProcess | None
) -> Iterator[Result]:
    if not tasks:
        return
    if options.executor == "dask":
        yield from _execute_dask(tasks, options.scheduler)
    elif options.jobs <= 1 or len(tasks) == 1:
        yield from (render_task(task, pdf_process) for task in tasks)
    else:
        yield from _execute_local(tasks, min(options.jobs, len(tasks)))


def _execute_local(tasks: list[Task], jobs: int) -> Iterator[Result]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: workers start clean (no inherited threads or half-imported state), import
    # WeasyPrint once, and keep one FontConfiguration for all their documents.
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=warm_up) as pool:
        futures = {pool.submit(_in_worker, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except BrokenProcessPool:  # a worker was killed (out of memory, signal)
                task = futures[future]
                yield Result(
                    task.name, task.source, None, [Diagnostic(task.source, 1, 1, "", WORKER_LOST)]
                )


def _in_worker(task: Task) -> Result:
    """`render_task` in a local worker. After its first communiqué, what the worker keeps for
    good (modules, fonts, stylesheet, caches) is moved out of the cyclic garbage collector's
    sight: collections then take 6 ms a document instead of 13 (measured over 120)."""
    result = render_task(task)
    if not gc.get_freeze_count():
        gc.collect()  # first, so that no garbage is frozen with them
        gc.freeze()
    return result


WORKER_LOST = (
    "mise en page interrompue : un processus de travail s'est arrêté brutalement "
    "(mémoire épuisée ou signal) ; relancez la construction"
)


def warm_up() -> None:
    """Imports the renderers in a fresh worker before its first document arrives."""
    import docx  # noqa: F401

    from .render.pdf import import_weasyprint

    import_weasyprint()


def _execute_dask(tasks: list[Task], scheduler: str | None) -> Iterator[Result]:
    """Sends the same pure task to a Dask cluster; templates and assets travel as bytes, once."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExecutorUnavailable(
            "Dask n'est pas installé : pip install 'communiques[dask]'"
        ) from None
    if not scheduler:
        raise ExecutorUnavailable("adresse du planificateur Dask manquante (--scheduler)")
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise ExecutorUnavailable(
            f"planificateur Dask injoignable à {scheduler} ({exc}) ; "
            "démarrez-le (dask scheduler) ou vérifiez l'adresse"
        ) from None
    portable: dict[Theme, PortableTheme] = {}
    with client:
        futures = []
        for task in tasks:
            assert isinstance(task.theme, Theme)
            try:  # remote workers cannot read our files: resolve here
                prepared = prepare(task.source, task.theme, task.key_options)
            except DataErrors as exc:
                yield Result(task.name, task.source, None, exc.errors)
                continue
            if task.theme not in portable:
                portable[task.theme] = PortableTheme.of(task.theme)
            remote = replace(task, theme=portable[task.theme], prepared=prepared)
            futures.append(client.submit(render_task, remote, pure=False))
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()
            future.release()


def write_index(out_dir: Path, manifest: Manifest) -> None:
    """build/index.html: the archive by year, newest first, with links to each file."""
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from .files import write_atomic
    from .sources import BUILTIN_ROOT

    entries = sorted(manifest.entries.values(), key=lambda e: (e.date, e.titre), reverse=True)
    years: dict[str, list[Entry]] = {}
    for entry in entries:
        years.setdefault(entry.date[:4], []).append(entry)
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(BUILTIN_ROOT / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("_archive.html.j2").render(
        years=years,
        total=len(entries),
        date=lambda iso: dt.date.fromisoformat(iso).strftime("%d/%m/%Y"),
    )
    write_atomic(out_dir / "index.html", html.encode("utf-8"))
