"""What only PDF/A asks (ISO 19005-2 and -3): the file's header, trailer and streams (6.1),
colours, transparency, images and XObjects (6.2), annotations (6.3), forms, actions and
scripts (6.4, 6.5), embedded files (6.8) and optional content (6.9). Checked when the file's
XMP claims PDF/A; the file-level rules for any part, the others for parts 2 and 3.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .context import Context, check, claims_checked_pdfa, claims_pdfa, pikepdf
from .fonts import resources

STANDARD_BLEND_MODES = frozenset([
    "Normal", "Compatible", "Multiply", "Screen", "Overlay", "Darken", "Lighten",
    "ColorDodge", "ColorBurn", "HardLight", "SoftLight", "Difference", "Exclusion", "Hue",
    "Saturation", "Color", "Luminosity",
])  # fmt: skip
FORBIDDEN_ACTIONS = frozenset([
    "Launch", "Sound", "Movie", "ResetForm", "ImportData", "Hide", "SetOCGState",
    "Rendition", "Trans", "GoTo3DView", "JavaScript",
])  # fmt: skip
FORBIDDEN_ANNOTATIONS = frozenset({"3D", "Sound", "Screen", "Movie", "TrapNet"})


@check("fichier", when=claims_pdfa)
def file_syntax(c: Context) -> None:
    """Header, binary comment, trailer, end of file and streams (ISO 19005-2, 6.1)."""
    pdf, data = c.pdf, c.data
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
        if not isinstance(obj, pikepdf().Stream):
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


def annotation(c: Context, annotation: Any, subtype: str, page: int) -> None:
    """One annotation of a PDF/A file: allowed, printed, with an appearance, without
    forbidden actions (6.3, 6.5). Called by the annotations check, after its PDF/UA rules."""
    if subtype in FORBIDDEN_ANNOTATIONS or (subtype == "FileAttachment" and c.pdfa_part == 2):
        c.add("PDF/A 6.3.1", f"type d'annotation interdit : /{subtype}", page=page)
    flags = int(annotation.get("/F", 0))
    if not flags & 4 or flags & (1 | 2 | 32 | 256):
        c.add(
            "PDF/A 6.3.2", f"annotation /{subtype} non imprimable ou cachée (/F {flags})", page=page
        )
    rect = [float(v) for v in annotation.get("/Rect", [0, 0, 0, 0])]
    has_area = rect[0] != rect[2] and rect[1] != rect[3]
    if subtype not in ("Link", "Popup") and has_area and "/AP" not in annotation:
        c.add("PDF/A 6.3.3", f"annotation /{subtype} sans apparence (/AP)", page=page)
    if "/AA" in annotation:
        c.add("PDF/A 6.5.2", "annotation avec actions automatiques (/AA)", page=page)
    action = annotation.get("/A")
    if action is not None and str(action.get("/S", ""))[1:] in FORBIDDEN_ACTIONS:
        c.add("PDF/A 6.5.1", f"action interdite : {action.S}", page=page)


@check("graphismes", when=claims_checked_pdfa)
def graphics(c: Context) -> None:
    """Output intent, device colours, graphics states, transparency, images, XObjects
    (ISO 19005-2, 6.2)."""
    pk = pikepdf()
    intents = [i for i in c.pdf.Root.get("/OutputIntents", ()) if i.get("/S") == "/GTS_PDFA1"]
    profiles = {i.DestOutputProfile.objgen for i in intents if "/DestOutputProfile" in i}
    if len(profiles) > 1:
        c.add("PDF/A 6.2.3", "plusieurs profils de sortie PDF/A différents")
    components = None
    if intents and "/DestOutputProfile" in intents[0]:
        components = int(intents[0].DestOutputProfile.get("/N", 0))
    transparency = False
    for obj in c.pdf.objects:
        if isinstance(obj, pk.Stream):
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
    for _page, found in resources(c):
        for state in (found.get("/ExtGState") or {}).values():
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


def _graphics_state(c: Context, state: Any) -> bool:
    """Checks one ExtGState; True if it makes anything transparent."""
    if "/TR" in state:
        c.add("PDF/A 6.2.5", "état graphique avec fonction de transfert /TR")
    if "/TR2" in state and state.TR2 != "/Default":
        c.add("PDF/A 6.2.5", "état graphique avec /TR2 autre que /Default")
    if "/HTP" in state or "/HTO" in state:
        c.add("PDF/A 6.2.5", "état graphique avec /HTP ou /HTO")
    if "/HT" in state:
        c.note("PDF/A 6.2.5", "état graphique avec une trame (/HT) : non vérifiée")
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


def _device_colour(c: Context, space: str, components: int | None) -> None:
    expected = {"/DeviceRGB": 3, "/DeviceCMYK": 4}
    if space in expected and components != expected[space]:
        c.add("PDF/A 6.2.4.3", f"couleur {space} sans profil de sortie PDF/A de même espace")
    if space == "/DeviceGray" and components is None:
        c.add("PDF/A 6.2.4.3", "couleur /DeviceGray sans profil de sortie PDF/A")


def _content_colours(c: Context, page: Any, components: int | None) -> None:
    """Colours set by operators (rg, k, g) in the page's content."""
    spaces = {"rg": "/DeviceRGB", "RG": "/DeviceRGB", "k": "/DeviceCMYK", "K": "/DeviceCMYK"}
    spaces |= {"g": "/DeviceGray", "G": "/DeviceGray"}
    for instruction in pikepdf().parse_content_stream(page):
        operator = str(getattr(instruction, "operator", ""))
        if operator in spaces:
            _device_colour(c, spaces[operator], components)


@check("actions", when=claims_checked_pdfa)
def actions_and_files(c: Context) -> None:
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
        if isinstance(obj, pikepdf().Dictionary) and obj.get("/Type") == "/Filespec":
            if "/EF" not in obj:
                continue
            if c.pdfa_part == 2:
                c.note(
                    "PDF/A 6.8", "fichier joint : PDF/A-2 n'admet que des PDF/A, non vérifié ici"
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


@check("variante", when=lambda c: claims_pdfa(c) and not c.pdfa)
def unchecked_part(c: Context) -> None:
    """A PDF/A part we do not check (PDF/A-1, PDF/A-4): said, not passed in silence."""
    c.note(
        "PDF/A 6.6.4", f"PDF/A-{c.pdfa_part} déclaré : seuls PDF/A-2 et PDF/A-3 sont vérifiés ici"
    )
