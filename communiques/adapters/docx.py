"""Every use of python-docx beyond its documented API, in one place.

python-docx documents its document-level API (styles, sections, core properties) but not
how a package is written or the oxml layer; we need a little of both (a package written in
one pass, a numbering of our own for each ordered list, the font table and extended
properties as XML). If a new version moves one of these, `tests/test_adapters.py` names it.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from functools import cache
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import Part, PartFactory, XmlPart

# Parts that python-docx loads as opaque bytes and that we rewrite as XML.
XML_PARTS = (CT.WML_FONT_TABLE, CT.OFC_EXTENDED_PROPERTIES)


@cache
def load_as_xml() -> None:
    """Have python-docx load the font table and the extended properties (app.xml) as XML
    parts (with an `element`), as it does for styles; by its documented extension point,
    `PartFactory.part_type_for`, whose registrations apply to the documents opened after."""
    for content_type in XML_PARTS:
        PartFactory.part_type_for.setdefault(content_type, XmlPart)


def content_types_xml(parts: Iterable[Part]) -> bytes:
    """[Content_Types].xml for `parts`, as python-docx's `OpcPackage.save` writes it."""
    from docx.opc.pkgwriter import _ContentTypesItem

    return bytes(_ContentTypesItem.from_parts(parts).blob)  # type: ignore[no-untyped-call]


def prepare_to_write(part: Part) -> None:
    """The hook `OpcPackage.save` calls on each part before serialising it."""
    part.before_marshal()  # type: ignore[no-untyped-call]


def restarted_numbering(numbering: Any, num_id: int, start: int) -> str | None:
    """A new w:num in the numbering part's XML `numbering`, sharing the list definition of
    w:num `num_id` but counting from `start`; its id, or None if `num_id` is not there."""
    try:
        shared = numbering.num_having_numId(num_id)
    except KeyError:
        return None
    own = numbering.add_num(shared.abstractNumId.val)
    own.add_lvlOverride(ilvl=0).add_startOverride(start)
    return str(own.numId)


def picture(part: Any, data: bytes, height: int) -> Any:
    """The w:inline of an image of `data`, `height` EMU high, related to the story `part`
    (the body, a header, a footer). Raises docx's UnrecognizedImageError."""
    return part.new_pic_inline(io.BytesIO(data), height=height)


def new_part(partname: str, content_type: str, blob: bytes, package: Any) -> Part:
    """A part of raw bytes (an embedded font) added to `package` once related to."""
    from docx.opc.packuri import PackURI

    return Part(PackURI(partname), content_type, blob, package)
