"""The DOCX in a warm process: reference.docx is parsed once, yet each communiqué is written
into its own copy and an edited reference is read again."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
from conftest import ROOT, SEED_COMMUNIQUE
from docx.shared import Pt
from synthetic import generate

from communiques.build import Theme
from communiques.render import docx as docx_render
from communiques.render.html import render_html
from communiques.resolve import load
from communiques.sources import PressOffice


def _html(source: Path) -> tuple[str, Theme]:
    office = PressOffice.find(source)
    theme = Theme.of(office)
    return render_html(load(source, office), theme.template_dirs), theme


def test_communiques_rendered_in_one_process_do_not_leak_into_each_other(tmp_path: Path) -> None:
    seed, theme = _html(SEED_COMMUNIQUE)
    others = [_html(source)[0] for source in generate(tmp_path, 4)]

    def render(html: str) -> bytes:
        return docx_render.render_docx(html, theme.template_dirs, theme.asset_dirs)

    first = render(seed)
    others_first = [render(html) for html in others]
    assert render(seed) == first
    docx_render._reference.cache_clear()
    assert render(seed) == first  # as a fresh process makes it
    assert [render(html) for html in reversed(others)] == others_first[::-1]


def test_docx_zip_is_valid_and_dated_like_every_other(
    seed_outputs: dict[str, bytes], tmp_path: Path
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(seed_outputs["docx"]))
    assert archive.testzip() is None
    assert {entry.date_time for entry in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert {entry.external_attr >> 16 for entry in archive.infolist()} == {0o644}
    assert archive.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
    if shutil.which("unzip"):  # Info-ZIP, a reader other than Python's, checks every CRC
        (tmp_path / "seed.docx").write_bytes(seed_outputs["docx"])
        checked = subprocess.run(["unzip", "-tq", str(tmp_path / "seed.docx")], capture_output=True)
        assert checked.returncode == 0, checked.stdout


def test_an_edited_reference_is_read_again(tmp_path: Path) -> None:
    html, theme = _html(SEED_COMMUNIQUE)
    reference = tmp_path / "reference.docx"
    shutil.copy(ROOT / "templates" / "reference.docx", reference)
    before = docx_render.render_docx(html, (tmp_path,), theme.asset_dirs)
    edited = docx.Document(str(reference))
    edited.styles["Body Text"].font.size = Pt(13)
    edited.save(str(reference))
    after = docx_render.render_docx(html, (tmp_path,), theme.asset_dirs)
    assert docx.Document(io.BytesIO(before)).styles["Body Text"].font.size != Pt(13)
    assert docx.Document(io.BytesIO(after)).styles["Body Text"].font.size == Pt(13)
