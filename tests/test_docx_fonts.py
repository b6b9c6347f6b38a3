"""The DOCX carries its fonts (Word's embedded, obfuscated fonts), so that LibreOffice on a
machine without Liberation Sans lays it out as the PDF: proved by converting it with a
fontconfig that knows only DejaVu."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, SEED_COMMUNIQUE, docx_text, render_file
from fontTools.ttLib import TTFont
from long_communique import long_outputs
from lxml import etree
from pictures import convert_without_liberation
from pypdf import PdfReader

from communiques.errors import DataErrors
from communiques.office import read_settings
from communiques.render.docx_fonts import obfuscate

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS = {"w": W[1:-1]}


def embedded_fonts(docx: bytes) -> dict[str, TTFont]:
    """Each embedded face by its w:embed… element's name, read back with its key."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        names = archive.namelist()
        rels = "word/_rels/fontTable.xml.rels"
        targets = {r.get("Id"): r.get("Target")
                   for r in (etree.fromstring(archive.read(rels)) if rels in names else [])}  # fmt: skip
        fonts = {}
        for element in table.iterfind("w:font/*", NS):
            name = etree.QName(element).localname
            if name.startswith("embed"):
                data = archive.read("word/" + targets[element.get(f"{R}id")])
                plain = obfuscate(data, element.get(f"{W}fontKey"))
                fonts[name] = TTFont(io.BytesIO(plain))
    return fonts


def test_obfuscation_is_the_specifications() -> None:
    """ECMA-376 part 1, §17.8.1: bytes 0-15 and 16-31 XORed with the key's bytes read from
    the end of its written form; the rest unchanged; twice gives the font back."""
    key = "{00112233-4455-6677-8899-AABBCCDDEEFF}"
    data = bytes(40)
    expected = bytes.fromhex("FFEEDDCCBBAA99887766554433221100") * 2 + bytes(8)
    assert obfuscate(data, key) == expected
    assert obfuscate(obfuscate(b"\x00\x01\x00\x00" * 10, key), key) == b"\x00\x01\x00\x00" * 10


def test_the_example_embeds_liberation_sans_regular_and_bold(
    seed_outputs: dict[str, bytes],
) -> None:
    docx = seed_outputs["docx"]
    fonts = embedded_fonts(docx)
    assert set(fonts) == {"embedRegular", "embedBold"}  # the example has no italic
    assert {f["name"].getDebugName(4) for f in fonts.values()} == {
        "Liberation Sans",
        "Liberation Sans Bold",
    }
    text = {ord(c) for c in docx_text(docx) if not c.isspace() or c == " "}
    for font in fonts.values():
        missing = {chr(c) for c in text} - {chr(c) for c in font.getBestCmap()}
        assert not missing, f"characters of the document not in the embedded font: {missing}"
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        settings = etree.fromstring(archive.read("word/settings.xml"))
        types = archive.read("[Content_Types].xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    assert b"application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
    assert len(docx) < 120_000  # subset: 2 faces of 50 KB, not 410


def test_italic_faces_come_with_italic_text(tmp_path: Path) -> None:
    office = tmp_path / "bureau"
    shutil.copytree(EXAMPLE, office, ignore=shutil.ignore_patterns("build"))
    source = office / "communiques" / SEED_COMMUNIQUE.name
    source.write_text(source.read_text("utf-8") + "corps: Un mot *souligné*.\n", "utf-8")
    fonts = embedded_fonts(render_file(source, ("docx",))["docx"])
    assert set(fonts) == {"embedRegular", "embedBold", "embedItalic", "embedBoldItalic"}
    assert fonts["embedItalic"]["name"].getDebugName(4) == "Liberation Sans Italic"


def test_an_office_may_leave_the_fonts_out(tmp_path: Path) -> None:
    office = tmp_path / "bureau"
    shutil.copytree(EXAMPLE, office, ignore=shutil.ignore_patterns("build"))
    (office / "communiques.toml").write_text("incorporer_polices = false\n", "utf-8")
    docx = render_file(office / "communiques" / SEED_COMMUNIQUE.name, ("docx",))["docx"]
    assert embedded_fonts(docx) == {}
    assert len(docx) < 40_000
    (office / "communiques.toml").write_text('incorporer_polices = "non"\n', "utf-8")
    with pytest.raises(DataErrors) as caught:
        read_settings(office)
    (diagnostic,) = caught.value.errors
    assert diagnostic.field == "incorporer_polices" and "false" in diagnostic.message


def pdf_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent")
def test_libreoffice_without_liberation_lays_out_the_46_laureates_as_the_pdf(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    outputs = long_outputs(tmp_path_factory)
    converted = convert_without_liberation(outputs["docx"], tmp_path)
    assert len(PdfReader(io.BytesIO(outputs["pdf"])).pages) == 3
    assert len(PdfReader(io.BytesIO(converted)).pages) == 3
    fonts = pdf_fonts(converted)
    assert {"LiberationSans", "LiberationSans-Bold"} <= fonts, fonts
    assert not any(f.startswith("DejaVuSans") for f in fonts), fonts


def test_a_subset_face_is_kept_in_the_user_cache_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new process reads the subset made by an earlier one (no fontTools run): the same
    key and bytes; a damaged entry is made again, never embedded."""
    import base64
    import json

    from communiques.render import docx_fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    font = tmp_path / "police.ttf"
    shutil.copy(EXAMPLE.parent.parent / "assets" / "fonts" / "LiberationSans-Regular.ttf", font)
    made = docx_fonts.face(font, font.stat().st_mtime_ns)
    table = tmp_path / "communiques" / "polices.json"
    (stored,) = json.loads(table.read_bytes())["entrees"].values()
    docx_fonts.face.cache_clear()  # as a new process
    assert docx_fonts.face(font, font.stat().st_mtime_ns) == made

    entries = json.loads(table.read_bytes())
    other = (EXAMPLE.parent.parent / "assets" / "fonts" / "LiberationSans-Bold.ttf").read_bytes()
    entries["entrees"] = {name: base64.b64encode(other).decode() for name in entries["entrees"]}
    table.write_text(json.dumps(entries))
    docx_fonts.face.cache_clear()
    key, data = docx_fonts.face(font, font.stat().st_mtime_ns)
    assert obfuscate(data, key) == other  # what the cache held was embedded: it was read

    entries["entrees"] = {name: "PHN2Zz4=" for name in entries["entrees"]}  # « <svg> »
    table.write_text(json.dumps(entries))
    docx_fonts.face.cache_clear()
    assert docx_fonts.face(font, font.stat().st_mtime_ns) == made
    assert list(json.loads(table.read_bytes())["entrees"].values()) == [stored]
    docx_fonts.face.cache_clear()
