"""Checks a PDF against the machine-checkable rules of PDF/UA-1 and, when it claims it, PDF/A-2
or PDF/A-3: what veraPDF, the reference validator, would look at, with the tools we have here.

veraPDF cannot be installed on our machines; these checks read the file with pikepdf (qpdf)
and fontTools. Each finding names the rule as veraPDF does ("PDF/UA-1 7.1-3": ISO 14289-1,
clause 7.1, test 3; "PDF/A 6.2.8": ISO 19005-2 and -3, clause 6.2.8) so that a user who has
veraPDF can compare the two reports. docs/pdf-accessible.md lists what is covered and what
is not. `verify_pdf` is pure: bytes in, findings out.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from .errors import ERROR, WARNING, Diagnostic, Level

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
# The standard structure types of ISO 32000-1, 14.8.4: what a screen reader understands.
STANDARD_TYPES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
# Which parents each table and list element may have (PDF/UA-1 7.2-4 … 7.2-18).
ALLOWED_PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
    "TH": {"TR"},
    "TD": {"TR"},
    "LI": {"L"},
    "LBody": {"LI"},
}
ALLOWED_KIDS = {
    "TR": {"TH", "TD"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
    "LI": {"Lbl", "LBody"},
    "L": {"L", "LI", "Caption"},
}
STANDARD_BLEND_MODES = frozenset(
    [
        "Normal",
        "Compatible",
        "Multiply",
        "Screen",
        "Overlay",
        "Darken",
        "Lighten",
        "ColorDodge",
        "ColorBurn",
        "HardLight",
        "SoftLight",
        "Difference",
        "Exclusion",
        "Hue",
        "Saturation",
        "Color",
        "Luminosity",
    ]
)
FORBIDDEN_ACTIONS = frozenset(
    [
        "Launch",
        "Sound",
        "Movie",
        "ResetForm",
        "ImportData",
        "Hide",
        "SetOCGState",
        "Rendition",
        "Trans",
        "GoTo3DView",
        "JavaScript",
    ]
)
FORBIDDEN_ANNOTATIONS = frozenset({"3D", "Sound", "Screen", "Movie", "TrapNet"})
PAINTING = frozenset(
    {"Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "BI"}
)
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})
LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
SUBSET_NAME = re.compile(r"^[A-Z]{6}\+")


@dataclass
class _Context:
    """What the checks share: the open file and what its XMP claims."""

    pdf: Any
    data: bytes
    path: Path
    pdfa_part: int | None = None
    pdfa_conformance: str | None = None
    pdfua_part: int | None = None
    findings: list[Diagnostic] = field(default_factory=list)
    tree: _Tree | None = None

    @property
    def pdfa(self) -> bool:
        return self.pdfa_part in (2, 3)

    def add(self, rule: str, message: str, level: Level = ERROR, page: int | None = None) -> None:
        finding = Diagnostic(self.path, 0, 0, rule, message, level, rule=rule, page=page)
        if finding not in self.findings:
            self.findings.append(finding)


def verify_pdf(data: bytes, path: Path = Path("document.pdf")) -> list[Diagnostic]:
    """Everything that keeps `data` from being a PDF/UA-1 file (always checked: we publish
    only tagged PDFs) and, if it claims PDF/A-2 or PDF/A-3, a PDF/A file of that part."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [Diagnostic(path, 0, 0, "qpdf", f"fichier PDF illisible : {exc}", rule="qpdf")]
    with pdf:
        context = _Context(pdf, data, path)
        for problem in pdf.check_pdf_syntax():
            context.add("qpdf", f"structure du fichier : {problem}")
        _metadata(context)
        _file_structure(context)
        _structure_tree(context)
        from .verify_tags import check_tag_tree  # issue 15; the lead moves it to the registry

        for rule, message, page in check_tag_tree(pdf):
            context.add(rule, message, page=page)
        _content(context)
        _annotations(context)
        _fonts(context)
        if context.pdfa:
            _graphics(context)
            _actions_and_files(context)
        elif context.pdfa_part is not None:
            context.add(
                "PDF/A 6.6.4",
                f"PDF/A-{context.pdfa_part} déclaré : seuls PDF/A-2 et PDF/A-3 sont vérifiés ici",
                WARNING,
            )
        return context.findings


# --- Metadata -------------------------------------------------------------------------------


def _metadata(c: _Context) -> None:
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
        c.add("XMP dc:language", "pas de langue (dc:language) dans les métadonnées", WARNING)
    if c.pdfa_part is None:
        return
    if header is None or re.search(rb"\b(bytes|encoding)=", header[0]):
        c.add("PDF/A 6.6.2.1", "en-tête xpacket absent ou avec un attribut bytes/encoding")
    if c.pdfa and conformance not in ("A", "B", "U"):
        c.add("PDF/A 6.6.4", f"pdfaid:conformance invalide : {conformance!r}")
    if c.pdfa and conformance == "A":
        c.add("PDF/A 6.6.4", "conformité A déclarée : seule la conformité U est vérifiée", WARNING)
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


def _info_matches_xmp(c: _Context, value: Any) -> None:
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
            c.add("PDF/A 6.6", f"{key[1:]} diffère entre le dictionnaire Info et le XMP", WARNING)


# --- File structure ---------------------------------------------------------------------------


def _file_structure(c: _Context) -> None:
    """Header, trailer, encryption, streams (ISO 19005-2, 6.1) and PDF/UA's tagging basics."""
    pdf, data = c.pdf, c.data
    if pdf.is_encrypted:
        if c.pdfa_part is not None:
            c.add("PDF/A 6.1.3", "fichier chiffré (/Encrypt) : interdit en PDF/A")
        if not pdf.allow.accessibility:
            c.add("PDF/UA-1 7.16-1", "chiffré sans permettre l'extraction pour l'accessibilité")
    root = pdf.Root
    mark_info = root.get("/MarkInfo")
    if mark_info is None or mark_info.get("/Marked") is not True:
        c.add("PDF/UA-1 6.2-1", "le catalogue ne déclare pas un PDF balisé (/MarkInfo /Marked)")
    elif mark_info.get("/Suspects") is True:
        c.add("PDF/UA-1 7.1-4", "/MarkInfo /Suspects vaut true : balisage douteux")
    preferences = root.get("/ViewerPreferences")
    if preferences is None or preferences.get("/DisplayDocTitle") is not True:
        c.add(
            "PDF/UA-1 7.1-10",
            "la fenêtre n'affiche pas le titre du document (/ViewerPreferences /DisplayDocTitle)",
        )
    lang = str(root.get("/Lang", ""))
    if not lang:
        c.add("PDF/UA-1 7.2-33", "pas de langue du document (/Lang) dans le catalogue")
    elif not LANGUAGE_TAG.match(lang):
        c.add("PDF/UA-1 7.2-29", f"langue du document invalide : {lang!r}")
    if "/StructTreeRoot" not in root:
        c.add("PDF/UA-1 7.1-11", "pas d'arbre de structure (/StructTreeRoot) : PDF non balisé")
    if c.pdfa_part is None:
        return
    if not re.match(rb"%PDF-\d\.\d", data[:8]):
        c.add("PDF/A 6.1.2", "l'en-tête %PDF-n.m n'est pas au début du fichier")
    second = data.split(b"\n", 2)[1] if data.count(b"\n") >= 2 else b""
    if not (second.startswith(b"%") and sum(b > 127 for b in second[1:5]) == 4):
        c.add("PDF/A 6.1.2", "la ligne après l'en-tête n'est pas un commentaire binaire")
    if "/ID" not in pdf.trailer:
        c.add("PDF/A 6.1.3", "pas d'identifiant (/ID) dans le trailer")
    tail = data[data.rfind(b"%%EOF") + 5 :]
    if tail.strip(b"\r\n"):
        c.add("PDF/A 6.1.3", "des données suivent la dernière marque %%EOF")
    for obj in pdf.objects:
        if not isinstance(obj, _pikepdf().Stream):
            continue
        keys = set(obj.stream_dict.keys())
        if keys & {"/F", "/FFilter", "/FDecodeParms"}:
            c.add("PDF/A 6.1.7.1", "un flux désigne un fichier externe (/F, /FFilter)")
        filters = obj.stream_dict.get("/Filter")
        names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)]
        if "/LZWDecode" in names:
            c.add("PDF/A 6.1.7.2", "filtre LZWDecode interdit")
        if "/Crypt" in names:
            c.add("PDF/A 6.1.7.2", "filtre Crypt interdit")


def _pikepdf() -> Any:
    import pikepdf

    return pikepdf


# --- Structure tree ---------------------------------------------------------------------------


@dataclass
class _Tree:
    """The structure tree as the checks need it."""

    reachable: set[tuple[int, int]] = field(default_factory=set)
    role_map: dict[str, str] = field(default_factory=dict)
    parent_tree: dict[int, Any] = field(default_factory=dict)


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", ()):
        yield from _number_tree(kid)


def _standard_type(tree: _Tree, element: Any) -> str:
    name = str(element.get("/S", ""))[1:]
    seen = set()
    while name not in STANDARD_TYPES and name in tree.role_map and name not in seen:
        seen.add(name)
        name = tree.role_map[name]
    return name


def _elements(root: Any) -> Iterator[tuple[Any, Any]]:
    """(element, parent element or None), depth first in reading order."""
    pikepdf = _pikepdf()
    stack: list[tuple[Any, Any]] = []
    kids = root.get("/K")
    kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    stack.extend((kid, None) for kid in reversed(kids))
    seen: set[tuple[int, int]] = set()
    while stack:
        element, parent = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # a marked-content id, an MCR or an OBJR
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield element, parent
        kids = element.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend((kid, element) for kid in reversed(kids))


def _tree(c: _Context) -> _Tree:
    """Read once per file: which elements the tree reaches, the role map, the parent tree."""
    if c.tree is not None:
        return c.tree
    tree = _Tree()
    root = c.pdf.Root.get("/StructTreeRoot")
    if root is not None:
        for key, value in (root.get("/RoleMap") or {}).items():
            tree.role_map[str(key)[1:]] = str(value)[1:]
        tree.reachable = {e.objgen for e, _ in _elements(root) if e.is_indirect}
        if "/ParentTree" in root:
            tree.parent_tree = dict(_number_tree(root.ParentTree))
    c.tree = tree
    return tree


def _structure_tree(c: _Context) -> None:
    """Standard types, role map, parents, tables and lists, figures, headings (PDF/UA-1 7.1
    to 7.4)."""
    root = c.pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    tree = _tree(c)
    for name, target in tree.role_map.items():
        if name in STANDARD_TYPES:
            c.add("PDF/UA-1 7.1-7", f"type standard /{name} redéfini par le RoleMap en /{target}")
    headings: list[int] = []
    uses_h = uses_hn = False
    for element, parent in _elements(root):
        kind = _standard_type(tree, element)
        raw = str(element.get("/S"))[1:]
        if kind not in STANDARD_TYPES:
            c.add("PDF/UA-1 7.1-5", f"type de structure /{raw} sans équivalent standard")
            continue
        if "/P" not in element:
            c.add("PDF/UA-1 7.1-12", f"élément /{raw} sans parent (/P)")
        parent_kind = _standard_type(tree, parent) if parent is not None else None
        if kind in ALLOWED_PARENTS and parent_kind not in ALLOWED_PARENTS[kind]:
            c.add("PDF/UA-1 7.2", f"/{kind} dans /{parent_kind} : structure de tableau ou liste")
        if kind in ALLOWED_KIDS:
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, _pikepdf().Array) else [kids]
            for kid in kids:
                if isinstance(kid, _pikepdf().Dictionary) and "/S" in kid:
                    kid_kind = _standard_type(tree, kid)
                    if kid_kind not in ALLOWED_KIDS[kind]:
                        c.add("PDF/UA-1 7.2", f"/{kid_kind} dans /{kind} : structure invalide")
        if kind == "Figure" and not (str(element.get("/Alt", "")) or element.get("/ActualText")):
            c.add("PDF/UA-1 7.3-1", "image (/Figure) sans texte de remplacement (/Alt)")
        if kind == "Formula" and not str(element.get("/Alt", "")):
            c.add("PDF/UA-1 7.7-1", "formule sans texte de remplacement (/Alt)")
        if kind == "H":
            uses_h = True
        if re.fullmatch(r"H[1-6]", kind):
            uses_hn = True
            headings.append(int(kind[1]))
        if kind == "TD":
            attributes = element.get("/A")
            attributes = (
                list(attributes) if isinstance(attributes, _pikepdf().Array) else [attributes]
            )
            has_headers = any(
                isinstance(a, _pikepdf().Dictionary) and "/Headers" in a for a in attributes
            )
            if not has_headers:
                c.add("PDF/UA-1 7.5", "cellule /TD sans en-têtes associés (/Headers)", WARNING)
    if uses_h and uses_hn:
        c.add("PDF/UA-1 7.4.4-2", "titres /H et /H1…/H6 mêlés dans le même document")
    if headings and headings[0] != 1:
        c.add("PDF/UA-1 7.4.2-1", f"le premier titre est /H{headings[0]}, pas /H1")
    for previous, current in pairwise(headings):
        if current > previous + 1:
            c.add("PDF/UA-1 7.4.2-1", f"niveau de titre sauté : /H{previous} suivi de /H{current}")


# --- Page content -------------------------------------------------------------------------------


def _content(c: _Context) -> None:
    """Every painted thing is either tagged (its marked content belongs to an element of the
    tree) or an artifact, never both nested (PDF/UA-1 7.1-1, 7.1-2, 7.1-3)."""
    if "/StructTreeRoot" not in c.pdf.Root:
        return  # already reported: nothing can be tagged
    tree = _tree(c)
    for number, page in enumerate(c.pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        mapping = tree.parent_tree.get(int(key)) if key is not None else None
        problems: dict[str, int] = {}
        _walk(c, page.obj, page.obj.get("/Resources"), [], mapping, tree, problems, depth=0)
        for message, count in problems.items():
            rule = message.split("|")[0]
            c.add(rule, f"{message.split('|')[1]} ({count} fois)", page=number)


def _walk(
    c: _Context,
    stream: Any,
    resources: Any,
    stack: list[tuple[str, str]],
    mapping: Any,
    tree: _Tree,
    problems: dict[str, int],
    depth: int,
) -> None:
    """One content stream; `stack` holds (tag, state) for each open marked content, state
    being "balisé" (in the tree), "orphelin" (an MCID outside the tree) or ""."""
    pikepdf = _pikepdf()
    if depth > 8:
        return
    q_depth = 0
    for instruction in pikepdf.parse_content_stream(stream):
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            operator = "BI"
        else:
            operator = str(instruction.operator)
        operands = getattr(instruction, "operands", [])
        if operator == "q":
            q_depth += 1
            if q_depth > 28 and c.pdfa:
                problems["PDF/A 6.1.13|plus de 28 niveaux de q/Q imbriqués"] = 1
        elif operator == "Q":
            q_depth -= 1
        elif operator in ("BMC", "BDC"):
            tag = str(operands[0])[1:]
            state = ""
            if operator == "BDC" and tag != "Artifact":
                properties = operands[1]
                if isinstance(properties, pikepdf.Name) and resources is not None:
                    properties = resources.get("/Properties", {}).get(properties)
                if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                    in_tree = _mcid_in_tree(mapping, int(properties.MCID), tree)
                    state = "balisé" if in_tree else "orphelin"
                    if not in_tree:
                        key = "PDF/UA-1 7.1-3|contenu balisé dont l'élément est hors de l'arbre"
                        problems[key] = problems.get(key, 0) + 1
            inside_artifact = any(t == "Artifact" for t, _ in stack)
            if tag == "Artifact" and any(state for _, state in stack):
                problems["PDF/UA-1 7.1-1|artefact à l'intérieur de contenu balisé"] = 1
            if state and inside_artifact:
                problems["PDF/UA-1 7.1-2|contenu balisé à l'intérieur d'un artefact"] = 1
            stack.append((tag, state))
        elif operator == "EMC":
            if stack:
                stack.pop()
        elif operator in PAINTING:
            covered = any(state == "balisé" or tag == "Artifact" for tag, state in stack)
            reported = any(state == "orphelin" for _, state in stack)
            if operator == "Do" and resources is not None:
                xobject = resources.get("/XObject", {}).get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    if covered:
                        continue  # what the form paints belongs to what encloses it
                    own = xobject.get("/StructParents")  # a form tagged on its own
                    _walk(
                        c,
                        xobject,
                        xobject.get("/Resources", resources),
                        stack,
                        tree.parent_tree.get(int(own)) if own is not None else mapping,
                        tree,
                        problems,
                        depth + 1,
                    )
                    continue
            if not covered and not reported:
                key = "PDF/UA-1 7.1-3|contenu ni balisé ni marqué comme artefact"
                problems[key] = problems.get(key, 0) + 1


def _mcid_in_tree(mapping: Any, mcid: int, tree: _Tree) -> bool:
    """Whether marked content `mcid` of the page belongs to an element of the tree."""
    if mapping is None or not 0 <= mcid < len(mapping):
        return False
    element = mapping[mcid]
    return bool(getattr(element, "is_indirect", False)) and element.objgen in tree.reachable


# --- Annotations --------------------------------------------------------------------------------


def _annotations(c: _Context) -> None:
    """Links tagged and described by their text, tab order; PDF/A's annotation rules."""
    tree = _tree(c)
    for number, page in enumerate(c.pdf.pages, start=1):
        annotations = list(page.obj.get("/Annots", ()))
        if annotations and page.obj.get("/Tabs") != "/S":
            c.add(
                "PDF/UA-1 7.18.3-1",
                "page avec annotations sans ordre de tabulation /S",
                page=number,
            )
        for annotation in annotations:
            subtype = str(annotation.get("/Subtype", ""))[1:]
            parent = None
            if "/StructParent" in annotation:
                parent = tree.parent_tree.get(int(annotation.StructParent))
            parent_kind = _standard_type(tree, parent) if parent is not None else None
            if subtype == "Link":
                if parent_kind != "Link":
                    c.add("PDF/UA-1 7.18.5-1", "lien hors d'un élément /Link", page=number)
                if not str(annotation.get("/Contents", "")).strip():
                    c.add("PDF/UA-1 7.18.5-2", "lien sans description (/Contents)", page=number)
            elif subtype not in ("Widget", "Popup", "PrinterMark") and parent_kind != "Annot":
                c.add(
                    "PDF/UA-1 7.18.1-1",
                    f"annotation /{subtype} hors d'un élément /Annot",
                    page=number,
                )
            if subtype == "TrapNet":
                c.add("PDF/UA-1 7.18.2-2", "annotation /TrapNet interdite", page=number)
            if not c.pdfa:
                continue
            if subtype in FORBIDDEN_ANNOTATIONS or (
                subtype == "FileAttachment" and c.pdfa_part == 2
            ):
                c.add("PDF/A 6.3.1", f"type d'annotation interdit : /{subtype}", page=number)
            flags = int(annotation.get("/F", 0))
            if not flags & 4 or flags & (1 | 2 | 32 | 256):
                c.add(
                    "PDF/A 6.3.2",
                    f"annotation /{subtype} non imprimable ou cachée (/F {flags})",
                    page=number,
                )
            rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
            has_area = rect[0] != rect[2] and rect[1] != rect[3]
            if subtype not in ("Link", "Popup") and has_area and "/AP" not in annotation:
                c.add("PDF/A 6.3.3", f"annotation /{subtype} sans apparence (/AP)", page=number)
            if "/AA" in annotation:
                c.add("PDF/A 6.5.2", "annotation avec actions automatiques (/AA)", page=number)
            action = annotation.get("/A")
            if action is not None and str(action.get("/S", ""))[1:] in FORBIDDEN_ACTIONS:
                c.add("PDF/A 6.5.1", f"action interdite : {action.S}", page=number)


# --- Fonts --------------------------------------------------------------------------------------


def _resources(c: _Context) -> Iterator[tuple[int, Any]]:
    """(page, resource dictionary) for each page, its forms and its annotations' appearances."""
    pikepdf = _pikepdf()
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(c.pdf.pages, start=1):
        pending = [page.obj.get("/Resources")]
        for annotation in page.obj.get("/Annots", ()):
            appearance = (annotation.get("/AP") or {}).get("/N")
            if isinstance(appearance, pikepdf.Stream):
                pending.append(appearance.get("/Resources"))
        while pending:
            resources = pending.pop()
            if resources is None:
                continue
            if resources.is_indirect:
                if resources.objgen in seen:
                    continue
                seen.add(resources.objgen)
            yield number, resources
            for xobject in (resources.get("/XObject") or {}).values():
                if isinstance(xobject, pikepdf.Stream) and xobject.get("/Subtype") == "/Form":
                    pending.append(xobject.get("/Resources"))


def _page_fonts(c: _Context) -> Iterator[tuple[int, str, Any]]:
    """(page, resource name, font dictionary) for every font, once."""
    seen: set[tuple[int, int]] = set()
    for number, resources in _resources(c):
        for name, font in (resources.get("/Font") or {}).items():
            if font.is_indirect:
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
            yield number, str(name), font


def _fonts(c: _Context) -> None:
    """Every font embedded, mapped to Unicode, its widths those of its program (PDF/UA-1
    7.21, PDF/A 6.2.11)."""
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

    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        order = font.getGlyphOrder()
    except (TTLibError, KeyError, AssertionError) as exc:
        return [f"programme TrueType illisible ({exc})"]
    gid_map = cid_font.get("/CIDToGIDMap")
    mapping = bytes(gid_map.read_bytes()) if isinstance(gid_map, _pikepdf().Stream) else None
    problems = []
    widths = list(cid_font.get("/W", ()))
    index = 0
    while index < len(widths) - 1:
        first = int(widths[index])
        if isinstance(widths[index + 1], _pikepdf().Array):
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


# --- PDF/A graphics, actions, embedded files ------------------------------------------------


def _graphics(c: _Context) -> None:
    """Output intent, device colours, graphics states, transparency, images, XObjects
    (ISO 19005-2, 6.2)."""
    pikepdf = _pikepdf()
    intents = [i for i in c.pdf.Root.get("/OutputIntents", ()) if i.get("/S") == "/GTS_PDFA1"]
    profiles = {i.DestOutputProfile.objgen for i in intents if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        c.add("PDF/A 6.2.3", "plusieurs profils de sortie PDF/A différents")
    components = None
    if intents and "/DestOutputProfile" in intents[0]:
        components = int(intents[0].DestOutputProfile.get("/N", 0))
    transparency = False
    for obj in c.pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            d = obj.stream_dict
            if d.get("/Subtype") == "/Image":
                if d.get("/Interpolate") is True:
                    c.add("PDF/A 6.2.8", "image avec /Interpolate true")
                if "/Alternates" in d or "/OPI" in d:
                    c.add("PDF/A 6.2.8", "image avec /Alternates ou /OPI")
                bits = d.get("/BitsPerComponent")
                if bits is not None and int(bits) not in (1, 2, 4, 8, 16):
                    c.add("PDF/A 6.2.8", f"image à {bits} bits par composante")
                if "/SMask" in d:
                    transparency = True
                space = str(d.get("/ColorSpace", ""))
                _device_colour(c, space, components)
            elif d.get("/Subtype") == "/Form":
                if "/Ref" in d:
                    c.add("PDF/A 6.2.9", "XObject de référence (/Ref) interdit")
                    c.add("PDF/UA-1 7.20-1", "XObject de référence (/Ref) interdit")
                if "/OPI" in d or d.get("/Subtype2") == "/PS":
                    c.add("PDF/A 6.2.9", "XObject PostScript ou /OPI interdit")
                group = d.get("/Group")
                if group is not None and group.get("/S") == "/Transparency":
                    transparency = True
            elif d.get("/Subtype") == "/PS":
                c.add("PDF/A 6.2.9", "XObject PostScript interdit")
    for _page, resources in _resources(c):
        for state in (resources.get("/ExtGState") or {}).values():
            transparency |= _graphics_state(c, state)
    for page in c.pdf.pages:
        group = page.obj.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            transparency = True
        _content_colours(c, page, components)
    if transparency and not intents:
        pages_without = [
            n
            for n, page in enumerate(c.pdf.pages, start=1)
            if "/CS" not in (page.obj.get("/Group") or {})
        ]
        if pages_without:
            c.add("PDF/A 6.2.10", "transparence sans profil de sortie ni /Group /CS sur la page")


def _graphics_state(c: _Context, state: Any) -> bool:
    """Checks one ExtGState; True if it makes anything transparent."""
    if "/TR" in state:
        c.add("PDF/A 6.2.5", "état graphique avec fonction de transfert /TR")
    if "/TR2" in state and state.TR2 != "/Default":
        c.add("PDF/A 6.2.5", "état graphique avec /TR2 autre que /Default")
    if "/HTP" in state or "/HTO" in state:
        c.add("PDF/A 6.2.5", "état graphique avec /HTP ou /HTO")
    if "/HT" in state:
        c.add("PDF/A 6.2.5", "état graphique avec une trame (/HT) : non vérifiée", WARNING)
    modes = state.get("/BM")
    for mode in modes if isinstance(modes, list) else [modes] if modes is not None else []:
        if str(mode)[1:] not in STANDARD_BLEND_MODES:
            c.add("PDF/A 6.2.10", f"mode de fusion non standard : {mode}")
    soft_mask = state.get("/SMask")
    transparent = soft_mask is not None and soft_mask != "/None"
    for key in ("/CA", "/ca"):
        if key in state and float(state[key]) < 1:
            transparent = True
    return transparent


def _device_colour(c: _Context, space: str, components: int | None) -> None:
    expected = {"/DeviceRGB": 3, "/DeviceCMYK": 4}
    if space in expected and components != expected[space]:
        c.add("PDF/A 6.2.4.3", f"couleur {space} sans profil de sortie PDF/A de même espace")
    if space == "/DeviceGray" and components is None:
        c.add("PDF/A 6.2.4.3", "couleur /DeviceGray sans profil de sortie PDF/A")


def _content_colours(c: _Context, page: Any, components: int | None) -> None:
    """Colours set by operators (rg, k, g) in the page's content."""
    spaces = {"rg": "/DeviceRGB", "RG": "/DeviceRGB", "k": "/DeviceCMYK", "K": "/DeviceCMYK"}
    spaces |= {"g": "/DeviceGray", "G": "/DeviceGray"}
    for instruction in _pikepdf().parse_content_stream(page):
        operator = str(getattr(instruction, "operator", ""))
        if operator in spaces:
            _device_colour(c, spaces[operator], components)


def _actions_and_files(c: _Context) -> None:
    """Actions, JavaScript, embedded files, forms, optional content (ISO 19005-2, 6.4 to 6.9)."""
    root = c.pdf.Root
    if "/AA" in root:
        c.add("PDF/A 6.5.2", "actions automatiques (/AA) dans le catalogue")
    names = root.get("/Names") or {}
    if "/JavaScript" in names:
        c.add("PDF/A 6.5.1", "JavaScript dans le document")
    if root.get("/NeedsRendering") is True:
        c.add("PDF/A 6.4.2", "/NeedsRendering true interdit")
    form = root.get("/AcroForm")
    if form is not None and "/XFA" in form:
        c.add("PDF/A 6.4.2", "formulaire XFA interdit")
    for number, page in enumerate(c.pdf.pages, start=1):
        if "/AA" in page.obj:
            c.add("PDF/A 6.5.2", "actions automatiques (/AA) sur la page", page=number)
    for configuration in _optional_content_configurations(root):
        if "/Name" not in configuration or "/AS" in configuration:
            c.add("PDF/A 6.9", "configuration de contenu optionnel sans /Name ou avec /AS")
    for obj in c.pdf.objects:
        if isinstance(obj, _pikepdf().Dictionary) and obj.get("/Type") == "/Filespec":
            if "/EF" not in obj:
                continue
            if c.pdfa_part == 2:
                c.add(
                    "PDF/A 6.8",
                    "fichier joint : PDF/A-2 n'admet que des PDF/A, non vérifié ici",
                    WARNING,
                )
            elif "/AFRelationship" not in obj:
                c.add("PDF/A 6.8", "fichier joint sans /AFRelationship")


def _optional_content_configurations(root: Any) -> Iterator[Any]:
    properties = root.get("/OCProperties")
    if properties is None:
        return
    if "/D" in properties:
        yield properties.D
    yield from properties.get("/Configs", ())
