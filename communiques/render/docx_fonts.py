"""The theme's fonts embedded in the DOCX, as Word embeds them, where their licence allows.

Without them, a machine lacking Liberation Sans lays the document out in another font
(LibreOffice took DejaVu: one page where the PDF has two). Word's way (ECMA-376 part 1,
§17.8.1 and §17.8.3.3): each face is a part `word/fonts/fontN.odttf` related to the font
table, named by `w:embedRegular`/`w:embedBold`/`w:embedItalic`/`w:embedBoldItalic` in the
font's `w:font` with a GUID key; the first 32 bytes of the font are XORed with that key (the
"obfuscation", which stops a casual copy, not a reader), and `w:embedTrueTypeFonts` in the
settings tells Word to keep them when it saves.

A face is embedded only if its OS/2 `fsType` allows it (Liberation Sans: SIL OFL, installable)
and only if the document uses it. It is subset to the Latin characters French and English
text is typed in (Latin-1, Latin Extended-A, general punctuation, €): 50 KB a face instead of
410, made once and kept in the user's cache, the same for every communiqué, so that the reader
can still edit in it; `w:subsetted` and `w:saveSubsetFonts` tell Word so.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import uuid
from pathlib import Path
from typing import Any

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from ..adapters import docx as adapter
from . import wordml as w
from .resources import inside

FONTS_FOLDER = "fonts"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
# Word's element for each face, in the schema's order; a face is (bold, italic).
FACES = {
    (False, False): "w:embedRegular",
    (True, False): "w:embedBold",
    (False, True): "w:embedItalic",
    (True, True): "w:embedBoldItalic",
}
# What French and English text is typed in: Basic Latin, Latin-1, Latin Extended-A (œ, Ÿ),
# general punctuation (’ « » … – — narrow no-break space), €, ™, −, ≤ ≥, ﬁ ﬂ.
_RANGES = ((0x20, 0x7F), (0xA0, 0x180), (0x2000, 0x2070))
_SINGLES = (0x02C6, 0x02DC, 0x20AC, 0x2116, 0x2122, 0x2192, 0x2212, 0x2264, 0x2265, 0xFB01, 0xFB02)
_CHARACTERS = frozenset([*(c for a, b in _RANGES for c in range(a, b)), *_SINGLES])
_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
_NAMESPACE = uuid.UUID("6f1c4d2e-3b7a-5c8e-9d0f-1a2b3c4d5e6f")  # ours: keys are stable


def font_files(asset_dirs: tuple[Path, ...]) -> tuple[tuple[Path, int], ...]:
    """The TrueType files of the theme's fonts/ folders (the office's before the built-in
    ones), with their modification time, which keys the cache of `faces`; a link leading out
    of the office is refused, as for every file read by name (`resources.inside`)."""
    files = []
    for folder in asset_dirs:
        for path in sorted((folder / FONTS_FOLDER).glob("*.ttf")):
            real = inside(path, asset_dirs)
            files.append((real, real.stat().st_mtime_ns))
    return tuple(files)


@functools.lru_cache(maxsize=4)
def index(files: tuple[tuple[Path, int], ...]) -> dict[tuple[str, bool, bool], tuple[Path, int]]:
    """Each embeddable face by (family, bold, italic) and its file; the first file found for
    a face wins, as the office's assets come before the built-in ones. Reads only the name
    and OS/2 tables: a face is subset (`face`) only when a document uses it."""
    from fontTools.ttLib import TTFont, TTLibError

    found: dict[tuple[str, bool, bool], tuple[Path, int]] = {}
    for path, mtime_ns in files:
        try:
            with TTFont(str(path), lazy=True) as font:
                if "glyf" not in font or "OS/2" not in font or not _embeddable(font):
                    continue
                names = font["name"]
                family = str(names.getDebugName(16) or names.getDebugName(1) or "")
                selection = font["OS/2"].fsSelection
        except (TTLibError, OSError, AssertionError):
            continue  # not a font we can read: the PDF reports it, not the DOCX
        found.setdefault((family, bool(selection & 0x20), bool(selection & 0x01)),
                         (path, mtime_ns))  # fmt: skip
    return found


@functools.lru_cache(maxsize=16)
def face(path: Path, mtime_ns: int) -> tuple[str, bytes]:
    """The face in `path`, subset to `_CHARACTERS` and obfuscated: its key and its bytes. The
    key is derived from the subset's bytes, so the same font gives the same DOCX."""
    data = _subset(path, mtime_ns)
    key = "{" + str(uuid.uuid5(_NAMESPACE, hashlib.sha256(data).hexdigest())).upper() + "}"
    return key, obfuscate(data, key)


def _subset(path: Path, mtime_ns: int) -> bytes:
    """The subset of the face in `path`, from the user's cache when it has it: fontTools
    takes 0.1 to 0.15 s a face, and a single `build` embeds two (1.08 → 0.79 s measured
    without them). The cache is salted with fontTools' version; an entry that is not a
    TrueType font is made again."""
    from fontTools import subset, version
    from fontTools.ttLib import TTFont

    from .. import cache as user_cache

    table = user_cache.Table("polices", f"fontTools {version}")
    name = f"{path}:{path.stat().st_size}:{mtime_ns}"
    stored = table.get(name)
    if isinstance(stored, str):
        with contextlib.suppress(ValueError):
            data = base64.b64decode(stored, validate=True)
            if data[:4] in _TRUETYPE:
                return data
    font = TTFont(str(path), recalcTimestamp=False)  # the same bytes on every run
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_CHARACTERS)
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    data = buffer.getvalue()
    table.put(name, base64.b64encode(data).decode("ascii"))
    table.save()
    return data


def _embeddable(font: Any) -> bool:
    """The licence's word (OS/2 fsType): not "restricted", not "bitmap embedding only"."""
    fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    return (fs_type & 0x000F) != 0x0002 and not fs_type & 0x0200


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 part 1, §17.8.1: the first 32 bytes XORed with the GUID's 16 bytes taken
    from the end of its written form; applying it twice gives the font back."""
    guid = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ guid[i % 16] for i, byte in enumerate(data[:32]))
    return head + data[32:]


def embed(font_table: Any, settings: Any, package: Any, used: set[tuple[bool, bool]],
          files: tuple[tuple[Path, int], ...]) -> None:  # fmt: skip
    """Embeds into the font table part `font_table` the faces in `used` ((bold, italic)) of
    every font it names and the theme has, and asks Word in `settings` to keep them."""
    available = index(files)
    number = 0
    for font in font_table.element.findall(qn("w:font")):
        family = font.get(qn("w:name"))
        for (bold, italic), tag in FACES.items():
            source = available.get((family, bold, italic))
            if source is None or (bold, italic) not in used:
                continue
            key, data = face(*source)
            number += 1
            part = adapter.new_part(f"/word/fonts/font{number}.odttf", CONTENT_TYPE, data,
                                    package)  # fmt: skip
            rel_id = font_table.relate_to(part, RELATIONSHIP)
            w.put(font, tag, {"fontKey": key, "subsetted": "1"}).set(qn("r:id"), rel_id)
    if number:
        w.put(settings, "w:embedTrueTypeFonts")
        w.put(settings, "w:saveSubsetFonts")


def embed_used(document: Document, asset_dirs: tuple[Path, ...]) -> None:
    """The faces the document uses, embedded: regular and bold always (the styles use
    both), italic ones if a story sets w:i or uses a style that does (Emphasis, which the
    reference keeps but we never use, does not count)."""
    part = document.part
    font_table = next(r.target_part for r in part.rels.values() if r.reltype == RT.FONT_TABLE)
    stories = [part.element]
    stories += [r.target_part.element for r in part.rels.values()
                if r.reltype in (RT.HEADER, RT.FOOTER)]  # fmt: skip
    italic_styles = {
        style.get(qn("w:styleId"))
        for style in document.styles.element.iterfind(qn("w:style"))
        if any(_on(i) for i in style.iterfind(f"{w.R_PR}/{w.ITALIC}"))
    }
    italic = any(
        _on(element) if element.tag == w.ITALIC else element.get(w.VAL) in italic_styles
        for story in stories
        for element in story.iter(w.ITALIC, w.P_STYLE, w.R_STYLE)
    )
    used = {(False, False), (True, False)} | ({(False, True), (True, True)} if italic else set())
    embed(font_table, document.settings.element, part.package, used,
                font_files(asset_dirs))  # fmt: skip


def _on(element: Any) -> bool:
    return element.get(w.VAL) not in ("0", "false", "off")
