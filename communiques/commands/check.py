"""`communiques check`: proofreads communiqués without writing anything."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ERROR, Diagnostic
from ..sources import PressOffice
from .common import working_on


@dataclass
class CheckResult:
    checked: int = 0
    failed: int = 0
    """Communiqués with at least one error."""
    findings: list[Diagnostic] = field(default_factory=list)
    """Each once, though an organisation's finding concerns every communiqué of it."""

    @property
    def warnings(self) -> int:
        return sum(f.level != ERROR for f in self.findings)

    def exit_code(self, strict: bool) -> int:
        """1 for an error, or with `strict` for a warning too; 0 otherwise."""
        return 1 if self.failed or (strict and self.warnings) else 0


def check(sources: Sequence[Path], layout: bool = True) -> CheckResult:
    """Proofreads each source; with `layout`, measures the laid out text too (WeasyPrint),
    or takes the measure from the user's cache when the text and the theme are unchanged."""
    pdf_process = None
    if layout and sources:
        from ..check.measure import likely_needed

        if likely_needed(list(sources)):  # as for build: WeasyPrint loads on the other core
            from ..render import pdf_process as helper

            office = PressOffice.find(sources[0])
            pdf_process = helper.start(office.asset_dirs, office.template_dirs)
    from ..check import check_file
    from ..check.measure import Measurer
    from ..dictionary import save_suggestions

    measurer = Measurer(pdf_process) if layout else None
    result = CheckResult(checked=len(sources))
    seen: set[Diagnostic] = set()
    for source in sources:
        with working_on(source):
            found = check_file(source, layout=layout, measurer=measurer)
        result.failed += any(f.level == ERROR for f in found)
        result.findings.extend(f for f in found if f not in seen)
        seen.update(found)
    if measurer is not None:
        measurer.save()
    save_suggestions()
    return result
