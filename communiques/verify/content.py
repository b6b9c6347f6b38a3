"""The pages' content streams: everything painted is either tagged (its marked content
belongs to an element of the tree) or an artifact, never both nested (PDF/UA-1 7.1-1 to
7.1-3); and, for PDF/A, graphics states nested at most 28 deep (6.1.13).
"""

from __future__ import annotations

from typing import Any

from .context import Context, check, pikepdf
from .tree import Tree, read

PAINTING = frozenset(
    {"Tj", "TJ", "'", '"', "Do", "sh", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "BI"}
)


@check("contenu")
def content(c: Context) -> None:
    """Each page's marked content against the tree, problems counted per page."""
    if "/StructTreeRoot" not in c.pdf.Root:
        return  # already reported: nothing can be tagged
    tree = read(c)
    for number, page in enumerate(c.pdf.pages, start=1):
        key = page.obj.get("/StructParents")
        mapping = tree.parent_tree.get(int(key)) if key is not None else None
        problems: dict[str, int] = {}
        _walk(c, page.obj, page.obj.get("/Resources"), [], mapping, tree, problems, depth=0)
        for message, count in problems.items():
            rule = message.split("|")[0]
            c.add(rule, f"{message.split('|')[1]} ({count} fois)", page=number)


def _walk(
    c: Context,
    stream: Any,
    resources: Any,
    stack: list[tuple[str, str]],
    mapping: Any,
    tree: Tree,
    problems: dict[str, int],
    depth: int,
) -> None:
    """One content stream; `stack` holds (tag, state) for each open marked content, state
    being "balisé" (in the tree), "orphelin" (an MCID outside the tree) or ""."""
    pk = pikepdf()
    if depth > 8:
        return
    q_depth = 0
    for instruction in pk.parse_content_stream(stream):
        if isinstance(instruction, pk.ContentStreamInlineImage):
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
                if isinstance(properties, pk.Name) and resources is not None:
                    properties = resources.get("/Properties", {}).get(properties)
                if isinstance(properties, pk.Dictionary) and "/MCID" in properties:
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


def _mcid_in_tree(mapping: Any, mcid: int, tree: Tree) -> bool:
    """Whether marked content `mcid` of the page belongs to an element of the tree."""
    if mapping is None or not 0 <= mcid < len(mapping):
        return False
    element = mapping[mcid]
    return bool(getattr(element, "is_indirect", False)) and element.objgen in tree.reachable
