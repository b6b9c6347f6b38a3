"""The fonts of a PDF: every font embedded, mapped to Unicode (never to U+0000, U+FEFF or
U+FFFE), its glyph widths those of its program (PDF/UA-1 7.21, PDF/A 6.2.11). Also where
the pages' resources are found, which the archival checks read too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

from .context import Context, check, pikepdf


def resources(c: Context) -> Iterator[tuple[int, Any]]:
    """(page, resource dictionary) for each page, its forms and its annotations' appearances."""
    pk = pikepdf()
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(c.pdf.pages, start=1):
        pending = [page.obj.get("/Resources")]
        for annotation in page.obj.get("/Annots", ()):
            appearance = (annotation.get("/AP") or {}).get("/N")
            if isinstance(appearance, pk.Stream):
                pending.append(appearance.get("/Resources"))
        while pending:
            found = pending.pop()
            if found is None:
                continue
            if found.is_indirect:
                if found.objgen in seen:
                    continue
                seen.add(found.objgen)
            yield number, found
            for xobject in (found.get("/XObject") or {}).values():
                if isinstance(xobject, pk.Stream) and xobject.get("/Subtype") == "/Form":
                    pending.append(xobject.get("/Resources"))


def _page_fonts(c: Context) -> Iterator[tuple[int, str, Any]]:
    """(page, resource name, font dictionary) for every font, once."""
    seen: set[tuple[int, int]] = set()
    for number, found in resources(c):
        for name, font in (found.get("/Font") or {}).items():
            if font.is_indirect:
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
            yield number, str(name), font


@check("polices")
def fonts(c: Context) -> None:
    """Each font once, its PDF/UA-1 and PDF/A findings together."""
    for page, _name, font in _page_fonts(c):
        subtype = str(font.get("/Subtype", ""))[1:]
        base = str(font.get("/BaseFont", "?"))[1:]
        if subtype == "Type3":
            continue
        descendant = font.DescendantFonts[0] if subtype == "Type0" else font
        descriptor = descendant.get("/FontDescriptor")
        program = None
        if descriptor is not None:
            program = next(
                (
                    descriptor[k]
                    for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    if k in descriptor
                ),
                None,
            )
        if program is None:
            c.add("PDF/UA-1 7.21.4.1-1", f"police {base} non embarquée", page=page)
            if c.pdfa:
                c.add("PDF/A 6.2.11.4.1", f"police {base} non embarquée", page=page)
            continue
        if descendant.get("/Subtype") == "/CIDFontType2" and "/CIDToGIDMap" not in descendant:
            c.add("PDF/UA-1 7.21.3.2-1", f"police {base} sans /CIDToGIDMap", page=page)
        if "/ToUnicode" not in font and subtype in ("Type0", "TrueType"):
            c.add("PDF/UA-1 7.21.7-1", f"police {base} sans table Unicode (/ToUnicode)", page=page)
            if c.pdfa and c.pdfa_conformance in ("U", "A"):
                c.add("PDF/A 6.2.11.7.2", f"police {base} sans /ToUnicode", page=page)
        elif "/ToUnicode" in font:
            bad = _bad_unicode(bytes(font.ToUnicode.read_bytes()))
            if bad:
                c.add(
                    "PDF/UA-1 7.21.7-2",
                    f"police {base} : valeur Unicode interdite {bad}",
                    page=page,
                )
        if subtype == "Type0" and descendant.get("/Subtype") == "/CIDFontType2":
            for problem in _width_problems(descendant, bytes(program.read_bytes())):
                c.add("PDF/UA-1 7.21.5-1", f"police {base} : {problem}", page=page)
                if c.pdfa:
                    c.add("PDF/A 6.2.11.5", f"police {base} : {problem}", page=page)


_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>")
_RANGE = re.compile(r"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])")


def _bad_unicode(cmap: bytes) -> str | None:
    """A ToUnicode destination that is U+0000, U+FEFF or U+FFFE, if any."""
    text = cmap.decode("latin-1")
    destinations = [m for block in _BFCHAR.findall(text) for m in _PAIR.findall(block)]
    for block in _BFRANGE.findall(text):
        for target in _RANGE.findall(block):
            destinations.extend(re.findall(r"[0-9A-Fa-f]+", target))
    for hexa in destinations:
        try:
            characters = bytes.fromhex(hexa).decode("utf-16-be")
        except (ValueError, UnicodeDecodeError):
            return f"<{hexa}> (UTF-16 invalide)"
        for bad in ("\u0000", "\ufeff", "\ufffe"):
            if bad in characters:
                return f"U+{ord(bad):04X}"
    return None


def _width_problems(cid_font: Any, program: bytes) -> list[str]:
    """Glyph widths of /W against the advance widths of the embedded TrueType program, with
    veraPDF's tolerance of one unit."""
    from fontTools.ttLib import TTFont, TTLibError

    pk = pikepdf()
    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        order = font.getGlyphOrder()
    except (TTLibError, KeyError, AssertionError) as exc:
        return [f"programme TrueType illisible ({exc})"]
    gid_map = cid_font.get("/CIDToGIDMap")
    mapping = bytes(gid_map.read_bytes()) if isinstance(gid_map, pk.Stream) else None
    problems = []
    widths = list(cid_font.get("/W", ()))
    index = 0
    while index < len(widths) - 1:
        first = int(widths[index])
        if isinstance(widths[index + 1], pk.Array):
            entries = [(first + i, float(w)) for i, w in enumerate(widths[index + 1])]
            index += 2
        else:
            last, width = int(widths[index + 1]), float(widths[index + 2])
            entries = [(cid, width) for cid in range(first, last + 1)]
            index += 3
        for cid, width in entries:
            gid = cid
            if mapping is not None:
                gid = (
                    int.from_bytes(mapping[2 * cid : 2 * cid + 2], "big")
                    if 2 * cid + 1 < len(mapping)
                    else 0
                )
            if gid >= len(order):
                problems.append(f"CID {cid} sans glyphe dans le programme")
                continue
            advance = metrics[order[gid]][0] * 1000 / units
            if abs(advance - width) > 1:
                problems.append(
                    f"largeur du CID {cid} : {width:g} dans /W, {advance:g} dans la police"
                )
    return problems[:5]
