"""Building many communiqués: incremental, in parallel, one bad file never stopping the rest.

The parent process plans (`planning`: which communiqués changed, from the manifest), holds
the output folder (`lock`), sends each communiqué to an executor (`executors`: this process,
local workers or Dask) that runs the pure `render_task`, writes what comes back through
`build.write_outputs`, keeps the manifest up to date and renders the archive page (`index`).
"""

from __future__ import annotations

import time
from contextlib import closing, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import output_name, write_outputs
from ..errors import Diagnostic
from ..files import writing_into
from ..manifest import Manifest
from ..sources import PressOffice
from ..themes import Theme
from .executors import INTERNAL, WORKER_LOST, _in_worker, execute, render_task, warm_up
from .index import write_index
from .lock import LOCK_FILE, build_lock
from .planning import Options, Progress, Report, Result, Task, prepare, unchanged

if TYPE_CHECKING:
    from ..render.pdf_process import PdfProcess

__all__ = [
    "INTERNAL",
    "LOCK_FILE",
    "WORKER_LOST",
    "Options",
    "Progress",
    "Report",
    "Result",
    "Task",
    "_in_worker",
    "build",
    "build_lock",
    "prepare",
    "render_task",
    "warm_up",
    "write_index",
]

MANIFEST_SAVE_INTERVAL = 2.0  # seconds: a killed build loses at most this much bookkeeping


def build(
    sources: list[Path],
    options: Options,
    progress: Progress | None = None,
    pdf_process: PdfProcess | None = None,
) -> Report:
    """Build `sources` into `options.out_dir`, skipping those whose inputs did not change.
    A communiqué built in this process has its PDF laid out by `pdf_process`, if given.

    Raises BuildLocked if another build is writing into the same folder, and a sentence
    with the fix if the folder cannot be written (read-only, full, not a folder)."""
    with writing_into(options.out_dir), build_lock(options.out_dir):
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
    written = manifest.written_files()
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
        if (other := _written_by_another(manifest, name, source)) is not None:
            message = (
                f"même nom de sortie « {name} » que {other}, déjà construit dans {out_dir} : "
                "renommez l'un des fichiers ou construisez-les dans des dossiers distincts (--out)"
            )
            report.errors[source] = [Diagnostic(source, 1, 1, "", message)]
            tell("erreur", source)
            continue
        theme = Theme.of(PressOffice.find(source))
        if not options.force and unchanged(manifest, name, source, theme, options):
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
                layout_seconds=options.layout_seconds,
            )
        )

    # The manifest on disk never vouches for a file about to be rewritten: if the build is
    # killed, what it lists still matches the files, and the rest is rebuilt next time.
    rebuilt = [manifest.entries.pop(task.name, None) for task in tasks]
    if any(rebuilt):
        manifest.save(out_dir)
    last_save = time.monotonic()
    # Interrupted (Ctrl-C, SIGTERM, SIGHUP), the workers are stopped and the manifest keeps
    # what is done, so that the next build redoes only the rest.
    with closing(execute(tasks, options, pdf_process)) as results:
        try:
            for result in results:
                if result.outputs is None:
                    report.errors[result.source] = result.errors
                    manifest.entries.pop(result.name, None)
                    tell("erreur", result.source)
                    continue
                paths = write_outputs(out_dir, result.name, result.outputs)
                assert result.entry is not None
                manifest.entries[result.name] = result.entry
                report.built[result.source] = paths
                if result.warnings:
                    report.warnings[result.source] = result.warnings
                tell("construit", result.source)
                if time.monotonic() - last_save > MANIFEST_SAVE_INTERVAL:
                    manifest.save(out_dir)
                    last_save = time.monotonic()
        except (KeyboardInterrupt, OSError):  # a full disk too: what is written is kept
            results.close()
            with suppress(OSError):
                manifest.save(out_dir)
            raise

    for name, entry in list(manifest.entries.items()):
        if not Path(entry.source).is_file():
            manifest.orphans[name] = manifest.entries.pop(name)
    report.stale, report.foreign = manifest.leftovers(out_dir, written)
    if options.prune:
        for path in report.stale:
            path.unlink(missing_ok=True)
        report.pruned = True
    manifest.orphans = {
        name: entry
        for name, entry in manifest.orphans.items()
        if name not in manifest.entries
        and any((out_dir / output.file).is_file() for output in entry.outputs.values())
    }
    if out_dir.is_dir() or manifest.entries:
        manifest.save(out_dir)
        write_index(out_dir, manifest)
        # The files the HTML pages name, and the archive site with --site.
        from ..site.archive import publish

        report.site = publish(out_dir, manifest, site=options.site, jobs=options.jobs)
    report.seconds = time.perf_counter() - started
    return report


def _written_by_another(manifest: Manifest, name: str, source: Path) -> Path | None:
    """The source, still present, of another office or folder whose outputs are already
    called `name` in the folder (from the manifest: across runs too)."""
    entry = manifest.entries.get(name)
    if entry is None:
        return None
    other = Path(entry.source)
    if other == source.resolve() or not other.is_file():
        return None  # the same file, or one renamed or removed since: its name is free
    return other
