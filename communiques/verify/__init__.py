"""Checks a PDF against the machine-checkable rules of PDF/UA-1 and, when it claims it, PDF/A-2
or PDF/A-3: what veraPDF, the reference validator, would look at, with the tools we have here.

veraPDF cannot be installed on our machines; these checks read the file with pikepdf (qpdf)
and fontTools. Each finding names the rule as veraPDF does ("PDF/UA-1 7.1-3": ISO 14289-1,
clause 7.1, test 3; "PDF/A 6.2.8": ISO 19005-2 and -3, clause 6.2.8) so that a user who has
veraPDF can compare the two reports. docs/pdf-accessible.md lists what is covered and what
is not. `verify_pdf` is pure: bytes in, findings out.

The rules are declared by standard (`pdfua.py`, `pdfa.py`) and checked by part of the file
(`metadata`, `structure`, `content`, `fonts`, `archival`), each check registered in
`context.CHECKS` in the order of the report.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import Diagnostic

# Each module registers its checks on import.
from . import archival, content, fonts, metadata, pages, structure  # noqa: F401
from .context import CHECKS, RULES, Context

__all__ = ["CHECKS", "RULES", "verify_pdf"]


def verify_pdf(data: bytes, path: Path = Path("document.pdf")) -> list[Diagnostic]:
    """Everything that keeps `data` from being a PDF/UA-1 file (always checked: we publish
    only tagged PDFs) and, if it claims PDF/A-2 or PDF/A-3, a PDF/A file of that part."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [Diagnostic(path, 0, 0, "qpdf", f"fichier PDF illisible : {exc}", rule="qpdf")]
    with pdf:
        context = Context(pdf, data, path)
        for each in CHECKS:
            if each.when(context):
                each.function(context)
        return context.findings
