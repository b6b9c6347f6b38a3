"""The metadata of a PDF: its XMP packet (which says what the file claims to be: PDF/UA,
PDF/A, which part and conformance; its title and language; PDF/A's schemas) and the Info
dictionary that must agree with it. Runs first: what the XMP claims decides what else is
checked.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .context import Context, check

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}
# XMP schemas PDF/A-2 and -3 accept without an extension schema (ISO 19005-2, 6.6.2.3.1).
PREDEFINED_XMP = frozenset(
    {
        "adobe:ns:meta/",
        NS["rdf"],
        NS["dc"],
        "http://ns.adobe.com/xap/1.0/",
        "http://ns.adobe.com/xap/1.0/rights/",
        "http://ns.adobe.com/xap/1.0/mm/",
        "http://ns.adobe.com/xap/1.0/bj/",
        "http://ns.adobe.com/xap/1.0/t/pg/",
        "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
        "http://ns.adobe.com/pdf/1.3/",
        "http://ns.adobe.com/photoshop/1.0/",
        "http://ns.adobe.com/camera-raw-settings/1.0/",
        "http://ns.adobe.com/tiff/1.0/",
        "http://ns.adobe.com/exif/1.0/",
        "http://ns.adobe.com/exif/1.0/aux/",
        "http://cipa.jp/exif/1.0/",
        "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
        "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
        "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
        "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#",
        "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
        "http://ns.adobe.com/xap/1.0/sType/Font#",
        "http://ns.adobe.com/xap/1.0/sType/Version#",
        "http://ns.adobe.com/xap/1.0/sType/Job#",
        "http://ns.adobe.com/xmp/Identifier/qual/1.0/",
        "http://ns.adobe.com/xap/1.0/g/",
        "http://ns.adobe.com/xap/1.0/g/img/",
        NS["pdfaid"],
        NS["pdfaExtension"],
        NS["pdfaSchema"],
        "http://www.aiim.org/pdfa/ns/property#",
        "http://www.aiim.org/pdfa/ns/type#",
        "http://www.aiim.org/pdfa/ns/field#",
    }
)


@check("metadonnees")
def metadata(c: Context) -> None:
    """XMP: PDF/UA and PDF/A identification, title, language; PDF/A schemas and Info."""
    root = c.pdf.Root
    if "/Metadata" not in root:
        c.add("PDF/UA-1 7.1-8", "pas de métadonnées XMP (/Metadata) dans le catalogue")
        c.add("PDF/UA-1 5-1", "pas d'identification PDF/UA (pdfuaid:part) : XMP absent")
        return
    packet = bytes(root.Metadata.read_bytes())
    header = re.search(rb"<\?xpacket begin=[^>]*\?>", packet)
    try:
        xmp = ET.fromstring(packet)
    except ET.ParseError as exc:
        c.add("PDF/A 6.6.2.1", f"métadonnées XMP mal formées : {exc}")
        return
    descriptions = list(xmp.iter(f"{{{NS['rdf']}}}Description"))

    def value(namespace: str, name: str) -> str | None:
        key = f"{{{NS[namespace]}}}{name}"
        for description in descriptions:
            if key in description.attrib:
                return description.attrib[key]
            if (element := description.find(key)) is not None:
                return "".join(element.itertext()).strip()
        return None

    part, conformance = value("pdfaid", "part"), value("pdfaid", "conformance")
    c.pdfa_part = int(part) if part and part.isdigit() else None
    c.pdfa_conformance = conformance
    ua_part = value("pdfuaid", "part")
    c.pdfua_part = int(ua_part) if ua_part and ua_part.isdigit() else None
    if c.pdfua_part is None:
        c.add("PDF/UA-1 5-1", "pas d'identification PDF/UA (pdfuaid:part) dans les métadonnées")
    elif c.pdfua_part != 1:
        c.add("PDF/UA-1 5-2", f"pdfuaid:part vaut {c.pdfua_part} au lieu de 1")
    if not value("dc", "title"):
        c.add("PDF/UA-1 7.1-9", "pas de titre (dc:title) dans les métadonnées")
    if not value("dc", "language"):
        c.add("XMP dc:language", "pas de langue (dc:language) dans les métadonnées")
    if c.pdfa_part is None:
        return
    if header is None or re.search(rb"\b(bytes|encoding)=", header[0]):
        c.add("PDF/A 6.6.2.1", "en-tête xpacket absent ou avec un attribut bytes/encoding")
    if c.pdfa and conformance not in ("A", "B", "U"):
        c.add("PDF/A 6.6.4", f"pdfaid:conformance invalide : {conformance!r}")
    if c.pdfa and conformance == "A":
        c.note("PDF/A 6.6.4", "conformité A déclarée : seule la conformité U est vérifiée")
    described = {
        "".join(uri.itertext()).strip() for uri in xmp.iter(f"{{{NS['pdfaSchema']}}}namespaceURI")
    }
    for description in descriptions:
        names = [*description.attrib, *(child.tag for child in description)]
        for name in names:
            namespace = name[1:].split("}")[0] if name.startswith("{") else ""
            if namespace and namespace not in PREDEFINED_XMP and namespace not in described:
                c.add(
                    "PDF/A 6.6.2.3.1",
                    f"propriété XMP {name} d'un schéma ni prédéfini ni décrit (pdfaExtension)",
                )
    _info_matches_xmp(c, value)


def _info_matches_xmp(c: Context, value: Callable[[str, str], str | None]) -> None:
    """The Info dictionary and the XMP say the same thing (readers show one or the other)."""
    info = c.pdf.trailer.get("/Info")
    if info is None:
        return
    pairs = {
        "/Title": ("dc", "title"),
        "/Subject": ("dc", "description"),
    }
    for key, (namespace, name) in pairs.items():
        if key in info and str(info[key]) != (value(namespace, name) or ""):
            c.add("PDF/A 6.6", f"{key[1:]} diffère entre le dictionnaire Info et le XMP")
