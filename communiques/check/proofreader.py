"""Running the rules: `proofread` on what `load` returned, `check_file` on a file (loading
it, then measuring each edition's body in a helper process while the rules run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from ..build import Theme, laid_out
from ..errors import DataErrors, Diagnostic
from ..render.budget import LAYOUT_SECONDS, time_budget, too_complex
from ..resolve import Resolved, editions, load
from ..sources import PressOffice

# Each family registers its rules on import.
from . import coherence, data, length, spelling, translations, typography  # noqa: F401
from .measure import Measurer
from .registry import Proofreading, run
from .spelling import template_strings, word_list


def proofread(
    resolved: Resolved,
    words: frozenset[str] = frozenset(),
    templates: Iterable[tuple[Path, int, str]] = (),
) -> list[Diagnostic]:
    """Every rule that needs no layout. Pure: the communiqué as `load` returned it (its
    files' text and marks included, never read again) in, findings out.

    `words` are the project's own words (lowercase); `templates` the French strings of the
    templates as (template, line, text).
    """
    return run(Proofreading.of(resolved, words, templates))


def check_file(
    source: Path,
    *,
    layout: bool = True,
    measurer: Measurer | None = None,
    layout_seconds: float = LAYOUT_SECONDS,
) -> list[Diagnostic]:
    """Proofread one communiqué file: its data errors if it cannot be built, otherwise what
    `proofread` finds, plus the length of each edition's body once laid out (by `measurer`:
    from the cache, or in a helper process while this one proofreads), within
    `layout_seconds`."""
    try:
        office = PressOffice.find(source)
        resolved = load(source, office)
        over = f"plus de {layout_seconds:g} s"
        english = office.settings.orthographe_anglaise
        try:
            with time_budget(layout_seconds, lambda: too_complex(resolved, over)):
                findings = _proofread_file(resolved, Theme.of(office), layout, measurer, english)
        except MemoryError:  # in the PDF helper, past its limit
            raise too_complex(resolved, "mémoire épuisée") from None
    except DataErrors as exc:
        return run(exc, "chargement")
    return sorted(set(findings))


def _proofread_file(
    resolved: Resolved, theme: Theme, layout: bool, measurer: Measurer | None, english: str
) -> list[Diagnostic]:
    measures = _measure_bodies(resolved, theme, layout, measurer)
    words = word_list(theme.asset_dirs)
    templates = template_strings(theme.template_dirs, resolved.communique.modele)
    proofreading = Proofreading.of(resolved, words, templates, english)
    findings = run(proofreading)
    bodies = tuple((edition, laid_out(edition, pages)) for edition, pages in measures)
    findings.extend(
        run(Proofreading(resolved, (), proofreading.speller, (), bodies), "mise en page")
    )
    return findings


def _measure_bodies(
    resolved: Resolved, theme: Theme, layout: bool, measurer: Measurer | None
) -> list[tuple[Resolved, Callable[[], float]]]:
    """Each edition with the height of its body in pages, to be waited for. The HTML is
    rendered even without layout: a template error is the first thing to report."""
    from ..render.html import render_html

    measures: list[tuple[Resolved, Callable[[], float]]] = []
    for edition in editions(resolved):
        html = render_html(edition, theme.template_dirs)
        if layout:
            measurer = measurer or Measurer()
            measures.append((edition, measurer.measure(html, theme)))
    return measures
