"""Validation of a DOCX against the ECMA-376 transitional schemas vendored in tests/ooxml-xsd/.

Word is strict where LibreOffice and python-docx are lenient (element order in w:pPr, w:rPr,
w:tblPr, w:sectPr; required attributes): only a schema check catches what makes Word offer to
"repair" a file. Each XML part is checked against the schema of its root element's namespace,
after removing what its `mc:Ignorable` attribute declares ignorable (w14, w15…), which the
schemas do not know and Word skips by design.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "ooxml-xsd"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_SCHEMA_BY_ROOT_NAMESPACE = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-xsd/opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "opc-xsd/opc-coreProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/package/2006/relationships": (
        "opc-xsd/opc-relationships.xsd"
    ),
}


@cache
def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


def without_ignorable(root: etree._Element) -> etree._Element:
    """`root` without the elements and attributes of the namespaces its mc:Ignorable names
    (and without mc:Ignorable itself), as a consumer that does not know them reads it."""
    ignorable_attribute = f"{{{MC}}}Ignorable"
    prefixes = (root.get(ignorable_attribute) or "").split()
    namespaces = {root.nsmap[p] for p in prefixes if p in root.nsmap} | {MC}
    root.attrib.pop(ignorable_attribute, None)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).namespace in namespaces and element is not root:
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for name in list(element.attrib):
            if etree.QName(name).namespace in namespaces:
                del element.attrib[name]
    return root


def schema_errors(docx: bytes) -> list[str]:
    """Every schema error of every XML part of `docx`, as `part:line: message`; an XML part
    whose vocabulary has no schema here is an error too, so that none goes unchecked."""
    errors = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(archive.read(name))
            namespace = etree.QName(root).namespace or ""
            schema_name = _SCHEMA_BY_ROOT_NAMESPACE.get(namespace)
            if schema_name is None:
                errors.append(f"{name}: no schema for {root.tag}")
                continue
            schema = _schema(schema_name)
            if not schema.validate(without_ignorable(root)):
                errors.extend(f"{name}:{e.line}: {e.message}" for e in schema.error_log)
    return errors
