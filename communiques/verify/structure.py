"""The structure of a PDF: its syntax, what its catalogue declares (tagged, language, title
shown), the tag tree (standard types, roles, parents, tables and lists, figures, headings)
and the annotations' place in it (links tagged and described, tab order). PDF/UA-1 7.1 to
7.5, 7.16 and 7.18.
"""

from __future__ import annotations

import re
from itertools import pairwise

from . import archival
from .context import Context, check, pikepdf
from .tree import STANDARD_TYPES, elements, read, standard_type

LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
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


@check("syntaxe")
def syntax(c: Context) -> None:
    """What qpdf finds wrong in the file's objects and cross-reference table."""
    for problem in c.pdf.check_pdf_syntax():
        c.add("qpdf", f"structure du fichier : {problem}")


@check("catalogue")
def catalogue(c: Context) -> None:
    """Encryption, and PDF/UA's tagging basics: marked, title shown, language, a tree."""
    pdf = c.pdf
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


@check("arbre")
def structure_tree(c: Context) -> None:
    """Standard types, role map, parents, tables and lists, figures, headings (PDF/UA-1 7.1
    to 7.5)."""
    pk = pikepdf()
    root = c.pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    tree = read(c)
    for name, target in tree.role_map.items():
        if name in STANDARD_TYPES:
            c.add("PDF/UA-1 7.1-7", f"type standard /{name} redéfini par le RoleMap en /{target}")
    headings: list[int] = []
    uses_h = uses_hn = False
    for element, parent in elements(root):
        kind = standard_type(tree, element)
        raw = str(element.get("/S"))[1:]
        if kind not in STANDARD_TYPES:
            c.add("PDF/UA-1 7.1-5", f"type de structure /{raw} sans équivalent standard")
            continue
        if "/P" not in element:
            c.add("PDF/UA-1 7.1-12", f"élément /{raw} sans parent (/P)")
        parent_kind = standard_type(tree, parent) if parent is not None else None
        if kind in ALLOWED_PARENTS and parent_kind not in ALLOWED_PARENTS[kind]:
            c.add("PDF/UA-1 7.2", f"/{kind} dans /{parent_kind} : structure de tableau ou liste")
        if kind in ALLOWED_KIDS:
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pk.Array) else [kids]
            for kid in kids:
                if isinstance(kid, pk.Dictionary) and "/S" in kid:
                    kid_kind = standard_type(tree, kid)
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
            attributes = list(attributes) if isinstance(attributes, pk.Array) else [attributes]
            has_headers = any(isinstance(a, pk.Dictionary) and "/Headers" in a for a in attributes)
            if not has_headers:
                c.add("PDF/UA-1 7.5", "cellule /TD sans en-têtes associés (/Headers)")
    if uses_h and uses_hn:
        c.add("PDF/UA-1 7.4.4-2", "titres /H et /H1…/H6 mêlés dans le même document")
    if headings and headings[0] != 1:
        c.add("PDF/UA-1 7.4.2-1", f"le premier titre est /H{headings[0]}, pas /H1")
    for previous, current in pairwise(headings):
        if current > previous + 1:
            c.add("PDF/UA-1 7.4.2-1", f"niveau de titre sauté : /H{previous} suivi de /H{current}")


@check("annotations")
def links_and_annotations(c: Context) -> None:
    """Links tagged and described by their text, tab order; then, for a PDF/A file, each
    annotation's archival rules, so that the findings on one annotation come together."""
    tree = read(c)
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
            parent_kind = standard_type(tree, parent) if parent is not None else None
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
            if c.pdfa:
                archival.annotation(c, annotation, subtype, number)
