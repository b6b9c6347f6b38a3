"""What WeasyPrint's tagged PDF leaves out, added before the file is written.

WeasyPrint (70) tags the document but: tags the running page footer with structure elements
that it never links into the tree (a screen reader skips them, a validator sees content with
no place in the structure), describes each link by its URL rather than its text, tags
<strong> and <em> as NonStruct, leaves text uppercased by CSS uppercase in the text a screen
reader reads (it spells « MINISTÈRE » letter by letter), puts no dc:language in the XMP
metadata, lets images ask for interpolation, which PDF/A forbids, and writes the hyphen it
adds at a line end as U+2010, a hyphen like any other to whoever copies the text
(« col‐ lectivités »).
`finish` fixes those on WeasyPrint's in-memory PDF (its `finisher` hook): no second pass over
the bytes, nothing that depends on the clock.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

import pydyf

from ..adapters import weasyprint
from .pagination import drop_empty_elements, join_split_elements

# Inline elements WeasyPrint tags NonStruct, by what they mean. Strong and Em are types of
# PDF 2.0, not of PDF 1.7: PDF/UA-1 (7.1) wants them role-mapped to a standard type, Span.
INLINE_ROLES = {"strong": "Strong", "b": "Strong", "em": "Em", "i": "Em"}
# The PDF/A variants WeasyPrint knows by these names; the others here are PDF/UA.
ARCHIVAL_PREFIX = "pdf/a-"
_SPACES = re.compile(r"\s+")

# PDF/A accepts XMP properties only from the schemas it predefines or from schemas described
# in the file itself (ISO 19005-2, 6.6.2.3): pdfuaid is not predefined, so it comes with its
# description when a PDF/A file also claims PDF/UA.
_PDFUA_EXTENSION_SCHEMA = """<rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"""


def prepare() -> None:
    """Before a layout: have WeasyPrint remember each box's structure element, which
    `_inline_roles_and_written_text` needs (once per process)."""
    weasyprint.record_structure_elements()


def finish(document: Any, pdf: Any, variant: str) -> None:
    """WeasyPrint `finisher`: complete the tagging of `pdf` (a pydyf.PDF) before it is written."""
    _inline_roles_and_written_text(document, pdf)
    join_split_elements(document, pdf)
    drop_empty_elements(pdf)
    _running_content_as_artifacts(pdf)
    _links_and_headers(document)
    _layout_hyphens_as_soft_hyphens(pdf)
    archival = variant.startswith(ARCHIVAL_PREFIX)
    _complete_metadata(pdf, document.metadata.lang, also_pdfua=archival)
    if archival:
        _no_interpolation(pdf)


def _layout_hyphens_as_soft_hyphens(pdf: Any) -> None:
    """The hyphen WeasyPrint adds when it breaks a word at a line end reads as U+00AD in the
    text layer, as Tagged PDF requires of an incidental word division (ISO 32000-1, 14.8.2.2.3):
    a reader, a search or a copy joins the word and keeps a typed hyphen (U+002D) as written.

    WeasyPrint draws that hyphen as U+2010, which has its own glyph in our fonts and which
    typography never leaves in a text (a typed U+2010 becomes U+002D): that glyph's entry in
    each font's ToUnicode map says U+00AD instead.
    """
    for font in pdf.objects:
        if isinstance(font, dict) and font.get("Type") == "/Font" and "ToUnicode" in font:
            lines = _object(pdf, font["ToUnicode"]).stream
            lines[:] = [
                line[:-6] + b"<00ad>" if line.endswith(b" <2010>") else line for line in lines
            ]


def _object(pdf: Any, reference: Any) -> Any:
    """The object a pydyf reference (b"12 0 R") points to."""
    return pdf.objects[int(bytes(reference).split()[0])]


def _is_reference(value: Any) -> bool:
    return isinstance(value, bytes) and value.endswith(b" R")


def _reachable_elements(pdf: Any) -> set[int]:
    """Numbers of the structure elements reachable from the structure tree root."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    seen: set[int] = set()
    pending = [k for k in root["K"] if _is_reference(k)]
    while pending:
        number = int(pending.pop().split()[0])
        if number in seen:
            continue
        element = pdf.objects[number]
        if not isinstance(element, dict) or element.get("Type") != "/StructElem":
            continue
        seen.add(number)
        pending.extend(k for k in element.get("K", ()) if _is_reference(k))
    return seen


def _running_content_as_artifacts(pdf: Any) -> None:
    """The page margins' content (our running footer: issuing body, "page 1 sur 2") becomes
    a pagination artifact, as PDF/UA wants for what repeats on every page.

    WeasyPrint numbers it like real content but leaves its elements out of the tree; we find
    it that way, so nothing here depends on which template put what in the margins.
    """
    if "StructTreeRoot" not in pdf.catalog:
        return
    reachable = _reachable_elements(pdf)
    parent_tree = _object(pdf, _object(pdf, pdf.catalog["StructTreeRoot"])["ParentTree"])
    nums = parent_tree["Nums"]
    pages = pdf.page_references
    for index in range(0, len(nums), 2):
        key, elements = nums[index], nums[index + 1]
        if key >= len(pages) or not isinstance(elements, list):
            continue  # an annotation's entry, not a page's
        orphans = {
            mcid
            for mcid, reference in enumerate(elements)
            if _is_reference(reference) and int(reference.split()[0]) not in reachable
        }
        if not orphans:
            continue
        page = _object(pdf, pages[key])
        _mark_as_artifacts(_object(pdf, page["Contents"]), orphans)
        kept = [None if mcid in orphans else ref for mcid, ref in enumerate(elements)]
        while kept and kept[-1] is None:
            kept.pop()
        nums[index + 1] = pydyf.Array(["null" if ref is None else ref for ref in kept])


def _mark_as_artifacts(stream: Any, mcids: set[int]) -> None:
    """Turn `/Span <</MCID n>> BDC` into `/Artifact <</Type /Pagination>> BDC` for each n."""
    items = stream.stream
    for position in range(1, len(items) - 1):
        properties = items[position]
        if (
            isinstance(properties, dict)
            and properties.get("MCID") in mcids
            and items[position + 1] == b"BDC"
        ):
            items[position - 1] = "/Artifact"
            items[position] = pydyf.Dictionary({"Type": "/Pagination"})


def _inline_roles_and_written_text(document: Any, pdf: Any) -> None:
    """<strong> and <em> tagged Strong and Em (role-mapped to Span); an element whose text
    CSS transforms (the uppercase ministries) given its text as written in /ActualText,
    which a screen reader reads instead of the glyphs, once, on its outermost element."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    mapped: set[str] = set()
    for page in document.pages:
        for box in weasyprint.boxes(page):
            element = weasyprint.structure_element(box)
            if element is None or box.element is None:
                continue
            role = INLINE_ROLES.get(weasyprint.html_tag(box) or "")
            if role and element.get("S") == "/NonStruct":
                element["S"] = f"/{role}"
                mapped.add(role)
            if weasyprint.text_transform(box) != "none" and not _written_above(pdf, element):
                text = _SPACES.sub(" ", "".join(box.element.itertext())).strip()
                if text:
                    element["ActualText"] = pydyf.String(text)
    if mapped:
        root = _object(pdf, pdf.catalog["StructTreeRoot"])
        role_map = root.get("RoleMap") or pydyf.Dictionary()
        role_map.update({role: "/Span" for role in sorted(mapped)})
        root["RoleMap"] = role_map


def _written_above(pdf: Any, element: Any) -> bool:
    """Whether `element` or one of its ancestors already has an /ActualText."""
    while isinstance(element, dict) and element.get("Type") == "/StructElem":
        if "ActualText" in element:
            return True
        element = _object(pdf, element["P"]) if _is_reference(element.get("P")) else None
    return False


_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def _links_and_headers(document: Any) -> None:
    """A link's alternate description (its /Contents, read aloud) is the text of the link,
    "France Diplomatie", not the URL WeasyPrint puts there; the whole text, even when the
    link is broken over two lines. A table header cell says what it heads (`scope`), which
    WeasyPrint does not carry over."""
    for page in document.pages:
        for box in weasyprint.boxes(page):
            if box.element is None:
                continue
            annotation = weasyprint.link_annotation(box)
            if annotation is not None:
                text = _SPACES.sub(" ", "".join(box.element.itertext())).strip()
                if text:
                    annotation["Contents"] = pydyf.String(text)
            cell = weasyprint.structure_element(box)  # the TH/TD element made for the box
            scope = _SCOPES.get(str(box.element.get("scope", "")).lower())
            if cell and weasyprint.html_tag(box) == "th" and scope and "A" in cell:
                cell["A"]["Scope"] = scope


def _complete_metadata(pdf: Any, lang: str | None, *, also_pdfua: bool) -> None:
    """Add dc:language to the XMP metadata and, in a PDF/A file, the PDF/UA identification
    with the extension schema PDF/A requires for it. Nothing here reads the clock."""
    if "Metadata" not in pdf.catalog:
        return
    stream = _object(pdf, pdf.catalog["Metadata"])
    packet = b"".join(
        part if isinstance(part, bytes) else str(part).encode() for part in stream.stream
    )
    added = ""
    if lang:
        added += (
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
            "</rdf:Description>"
        )
    if also_pdfua:
        added += (
            '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
            'pdfuaid:part="1" />' + _PDFUA_EXTENSION_SCHEMA
        )
    if added:
        end = packet.rindex(b"</rdf:RDF>")
        stream.stream = [packet[:end] + added.encode() + packet[end:]]


def _no_interpolation(pdf: Any) -> None:
    """PDF/A: an image may not ask the viewer to smooth it (`Interpolate true`)."""
    for item in pdf.objects:
        extra = getattr(item, "extra", None)
        if isinstance(extra, dict) and extra.get("Subtype") == "/Image" and "Interpolate" in extra:
            extra["Interpolate"] = "false"
