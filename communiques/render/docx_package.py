"""The DOCX as a package: its extended properties (app.xml) and its bytes.

python-docx owns the parts; this module names us in app.xml and writes the zip in one pass,
with fixed dates and permissions, so that the same document gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
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


def _zip(files: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated zip whose entries all have the same date (1980-01-01, the earliest a zip
    holds) and permissions (0644), so that the same document gives the same bytes."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files:
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zipped.writestr(entry, data)
    return archive.getvalue()
