"""`communiques build`: communiqués into PDF, DOCX and HTML, incrementally, in parallel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..formats import ARCHIVE_VARIANT, DEFAULT_FORMATS
from ..sources import PressOffice

if TYPE_CHECKING:
    from ..batch import Progress, Report

EXECUTORS = ("local", "dask")


def build(
    sources: Sequence[Path],
    out_dir: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    *,
    jobs: int | None = None,
    force: bool = False,
    prune: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    hosts: tuple[str, ...] = (),
    pdf_variant: str | None = None,
    archive: bool = False,
    site: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Builds `sources` into `out_dir`; a communiqué's data errors are in the report, not
    raised, so that one bad file never stops the others. Without `jobs`, one process per idle
    core (cores.default_jobs)."""
    if executor == "dask" and not scheduler:
        raise UsageError("--executeur dask demande --planificateur tcp://HÔTE:8786")
    if archive and pdf_variant not in (None, ARCHIVE_VARIANT):
        raise UsageError(f"--archive ({ARCHIVE_VARIANT}) contredit --variante-pdf {pdf_variant}")
    pdf_process = None
    if len(sources) == 1 and executor == "local" and jobs != 1 and "pdf" in formats:
        # Before the heavy imports below, so that the fork is cheap and overlaps them; none
        # unless a second core is idle.
        from ..render import pdf_process as helper

        office = PressOffice.find(sources[0])
        pdf_process = helper.start(office.asset_dirs, office.template_dirs)
    if jobs is None:
        from ..cores import default_jobs

        jobs = default_jobs(len(sources))
    if executor == "local" and jobs > 1 and len(sources) > 1:
        from .. import forkserver

        forkserver.start()  # imports the renderers while we import and read the office
    from .. import batch

    options = batch.Options(
        out_dir, formats, jobs, force, prune, executor, scheduler, hosts=hosts,
        pdf_variant=ARCHIVE_VARIANT if archive else pdf_variant, site=site,
    )  # fmt: skip
    return batch.build(list(sources), options, progress, pdf_process)
