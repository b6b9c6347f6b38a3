"""Shared fixtures: the example press office, built once per session, and text extraction.

Tests compare real outputs: text extracted from the PDF with pypdf, the DOCX read back with
python-docx.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daect"
SEED_COMMUNIQUE = EXAMPLE / "communiques" / "2021-04-19-expe-ct.yaml"
SEED_MARKDOWN = ROOT.parent / "shared" / "seed" / "communique-2021-04-19-expe-ct.md"


def normalise(text: str) -> str:
    """Text as a reader compares it: one kind of space, apostrophe and quote; no hyphenation."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u00ad\n", "").replace("-\n", "-")  # a soft hyphen joins the word
    text = re.sub(r"[’']", "'", text)
    text = re.sub(r"\s+", " ", text)  # \s covers the no-break spaces
    text = re.sub(r" ([:;!?»])", r"\1", text).replace("« ", "«")
    return text.strip()


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    """The text of every paragraph: first-page header, body (tables included), footer."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    parts: list[str] = []
    for story in (section.first_page_header, document, section.footer):
        for block in story.iter_inner_content():
            if hasattr(block, "rows"):  # a table; in a header or footer, one for the layout
                parts.extend(p.text for row in block.rows for c in row.cells for p in c.paragraphs)
            else:
                parts.append(block.text)
    return "\n".join(parts)


def render_file(
    path: Path, formats: tuple[str, ...], hosts: tuple[str, ...] = ()
) -> dict[str, bytes]:
    """The outputs of one communiqué file, rendered in this process with its office's theme."""
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    return render(load(path), Theme.of(PressOffice.find(path)), formats, hosts)


def imported(importtime: str) -> set[str]:
    """The modules a `python -X importtime` run imported, from its report on stderr."""
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in importtime.splitlines()
        if line.startswith("import time:")
    }


@pytest.fixture(autouse=True, scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user's cache folder (the spelling dictionary's words) for this session only: the
    tests neither write into the home folder nor depend on what it holds."""
    folder = tmp_path_factory.mktemp("cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A private copy of the example press office, free to be changed by the test."""
    target = tmp_path / "bureau"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build"))
    return target


@pytest.fixture(scope="session")
def seed_outputs() -> dict[str, bytes]:
    """The example communiqué rendered once for the whole session: {format: bytes}."""
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    office = PressOffice.find(SEED_COMMUNIQUE)
    return render(load(SEED_COMMUNIQUE, office), Theme.of(office), ("pdf", "docx", "html"))


sys.path.insert(0, str(ROOT / "bench"))  # the synthetic archive generator


def studio_process(office: Path, *options: str) -> subprocess.Popen[str]:
    """`communiques studio` on `office`, as a user starts it, its output read line by line."""
    return subprocess.Popen(
        [sys.executable, "-m", "communiques", "studio", "--bureau", str(office),
         "--sans-navigateur", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


CAPTURES = "COMMUNIQUES_CAPTURES"
"""Set by `make captures`: the browser tests then refresh the screenshots kept in docs/."""


def capture_path(name: str, elsewhere: Path) -> Path:
    """docs/<name> when the screenshots are being refreshed, `elsewhere`/<name> otherwise: a
    test run never rewrites a tracked file."""
    return (ROOT / "docs" if os.environ.get(CAPTURES) else elsewhere) / name
