"""The DOCX as a package: its extended properties (app.xml) and its bytes.

python-docx owns the parts; this module names us in app.xml and writes the zip in one pass,
with fixed dates and permissions, so that the same document gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml.etree import SubElement

from .. import __version__
from ..adapters import docx as adapter

if TYPE_CHECKING:
    from docx.opc.package import OpcPackage


def app_properties(document: Document) -> None:
    """docProps/app.xml names us and our version (Word's XX.YYYY form: 0.1.0 → 00.0100);
    no page or word count, as Word would count them differently from the PDF."""
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            properties = rel.target_part.element
            break
    else:
        return
    namespace = properties.nsmap[None]
    major, minor, patch = (int(x) for x in [*__version__.split("."), "0", "0"][:3])
    version = f"{major:02d}.{minor:02d}{patch:02d}"
    for name, value in (("Application", "communiques"), ("AppVersion", version)):
        element = properties.find(f"{{{namespace}}}{name}")
        if element is None:
            element = SubElement(properties, f"{{{namespace}}}{name}")
        element.text = value


def property_text(text: str) -> str:
    """Word's document properties hold 255 characters; a longer title is cut, not fatal."""
    return text if len(text) <= 255 else text[:254] + "…"


def docx_bytes(package: OpcPackage) -> bytes:
    """The package as python-docx saves it, in one pass (its `save`, then a copy to fix the
    dates, took a third of the time)."""
    return _zip(_package_files(package))


def _package_files(package: OpcPackage) -> Iterator[tuple[str, bytes]]:
    """Each file of the package, as python-docx's `OpcPackage.save` writes them and in its
    order: content types, package relationships, then each part and its relationships."""
    parts = package.parts
    for part in parts:
        adapter.prepare_to_write(part)
    yield "[Content_Types].xml", adapter.content_types_xml(parts)
    yield "_rels/.rels", package.rels.xml
    for part in parts:
        yield part.partname.membername, part.blob
        if len(part.rels):
            yield part.partname.rels_uri.membername, part.rels.xml


# Zip's records (PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.16): version 2.0, deflate, written on Unix,
# dated 1980-01-01 00:00 (DOS date 0x21, the earliest a zip holds), permissions 0644.
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_VERSION, _MADE_BY, _DEFLATED, _DOS_DATE, _UNIX_0644 = 20, (3 << 8) | 20, 8, 0x21, 0o644 << 16


@functools.lru_cache(maxsize=64)
def _deflated(data: bytes) -> tuple[int, bytes]:
    """`data`'s CRC-32 and raw deflate stream. Most of a communiqué's package is the same
    from one document to the next (the embedded fonts, styles, theme, logo: 140 of 150 KB):
    compressed once per process, it no longer costs 4 ms a document."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


def _zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated zip whose entries all have the same date and permissions, so that the same
    document gives the same bytes. Written here rather than by `zipfile`, which cannot take
    an entry already compressed: the entries that do not change are compressed once."""
    out = io.BytesIO()
    central = []
    for name, data in files:
        encoded = name.encode("ascii")
        crc, packed = _deflated(data)
        header = (_VERSION, 0, _DEFLATED, 0, _DOS_DATE, crc, len(packed), len(data), len(encoded))
        central.append(
            _CENTRAL.pack(0x02014B50, _MADE_BY, *header, 0, 0, 0, 0, _UNIX_0644, out.tell())
            + encoded
        )
        out.write(_LOCAL.pack(0x04034B50, *header, 0) + encoded + packed)
    start = out.tell()
    out.write(b"".join(central))
    size = out.tell() - start
    out.write(_END.pack(0x06054B50, 0, 0, len(central), len(central), size, start, 0))
    return out.getvalue()
