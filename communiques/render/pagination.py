"""One structure tree across pages: what WeasyPrint split at a page break, joined again.

WeasyPrint tags each page on its own: an element broken by a page break (the body's <div>,
the laureates' table, a paragraph) becomes one structure element per page, and a table's
header repeated on the next page is tagged as real header rows. A screen reader then
announces three tables. `join_split_elements` runs in the `finisher`, before the running
content is made an artifact: it moves the kids of each later fragment into the first one,
and drops a repeated THead from the tree (its content, now reachable from nowhere, becomes a
pagination artifact with the running footer).
"""

from __future__ import annotations

from typing import Any

import pydyf

from ..adapters import weasyprint


def _object(pdf: Any, reference: Any) -> Any:
    return pdf.objects[int(bytes(reference).split()[0])]


def _is_reference(value: Any) -> bool:
    return isinstance(value, bytes) and value.endswith(b" R")


def _struct_kids(pdf: Any, element: Any) -> list[Any]:
    return [_object(pdf, k) for k in element["K"] if _is_reference(k) and _is_struct(pdf, k)]


def _is_struct(pdf: Any, reference: Any) -> bool:
    target = _object(pdf, reference)
    return isinstance(target, dict) and target.get("Type") == "/StructElem"


def _edge(pdf: Any, document: Any, pages: list[Any], last: bool, depth: int) -> list[Any]:
    """The structure elements on the first (or last) path down the top-level ones of
    `pages` (a fragment joined earlier keeps the page where it started)."""
    tops = [e for e in _struct_kids(pdf, document) if e.get("Pg") in pages]
    path: list[Any] = []
    kids = tops
    while kids and len(path) < depth:
        path.append(kids[-1 if last else 0])
        kids = _struct_kids(pdf, path[-1])
    return path


def join_split_elements(document: Any, pdf: Any) -> None:
    """Join the fragments of each element that a page break split (see the module)."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    top = _object(pdf, root["K"][0])
    replaced: dict[bytes, Any] = {}
    pages = document.pages
    for number in range(len(pages) - 1):
        before = weasyprint.flow_edge(pages[number], last=True)
        after = weasyprint.flow_edge(pages[number + 1], last=False)
        depth = 0
        while depth < min(len(before), len(after)) and before[depth] is after[depth]:
            depth += 1
        references = pdf.page_references
        firsts = _edge(pdf, top, references[: number + 1], True, depth)
        seconds = _edge(pdf, top, [references[number + 1]], False, depth)
        pairs = [(a, b) for a, b in zip(firsts, seconds, strict=False) if a["S"] == b["S"]]
        for level in range(len(pairs) - 1, -1, -1):
            first, second = pairs[level]
            merged_child = pairs[level + 1][1] if level + 1 < len(pairs) else None
            _move_kids(pdf, first, second, merged_child, pdf.page_references[number + 1])
            replaced[bytes(second.reference)] = first.reference
            parent = _object(pdf, second["P"])
            parent["K"] = pydyf.Array(k for k in parent["K"] if k != second.reference)
    _repoint_parent_tree(pdf, root, replaced)


def _move_kids(pdf: Any, first: Any, second: Any, merged_child: Any, page: Any) -> None:
    """The kids of `second` appended to `first`, but for `merged_child` (already joined
    into `first`'s last kid); in a table, a repeated THead is dropped and the rows of the
    next TBody go into the last one."""
    kids = [k for k in second["K"] if merged_child is None or k != merged_child.reference]
    if first["S"] == "/Table":
        heads = [k for k in first["K"] if _is_reference(k) and _object(pdf, k)["S"] == "/THead"]
        if heads:
            kids = [k for k in kids if not (_is_reference(k) and _object(pdf, k)["S"] == "/THead")]
        last = (
            _object(pdf, first["K"][-1]) if first["K"] and _is_reference(first["K"][-1]) else None
        )
        if kids and last is not None and last["S"] == "/TBody" and _is_reference(kids[0]):
            body = _object(pdf, kids[0])
            if body["S"] == "/TBody":
                _move_kids(pdf, last, body, None, page)
                kids = kids[1:]
    for kid in kids:
        if isinstance(kid, int):  # a marked-content id of the later page
            kid = pydyf.Dictionary({"Type": "/MCR", "Pg": page, "MCID": kid})
        elif _is_reference(kid) and _is_struct(pdf, kid):
            _object(pdf, kid)["P"] = first.reference
        first["K"].append(kid)


def _repoint_parent_tree(pdf: Any, root: Any, replaced: dict[bytes, Any]) -> None:
    """Marked content and annotations that named a removed fragment name the joined one."""
    if not replaced:
        return
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for index in range(1, len(nums), 2):
        value = nums[index]
        if isinstance(value, list):
            nums[index] = pydyf.Array(replaced.get(bytes(v), v) if _is_reference(v) else v
                                      for v in value)  # fmt: skip
        elif _is_reference(value):
            nums[index] = replaced.get(bytes(value), value)


def drop_empty_elements(pdf: Any) -> None:
    """Structure elements with no content and no kid (WeasyPrint makes a NonStruct for each
    <br>, inside another) are taken out of the tree, innermost first: a screen reader would
    stop on nothing."""
    if "StructTreeRoot" not in pdf.catalog:
        return

    def empty(element: Any) -> bool:
        kept = []
        for kid in element["K"]:
            if _is_reference(kid) and _is_struct(pdf, kid) and empty(_object(pdf, kid)):
                continue
            kept.append(kid)
        if len(kept) != len(element["K"]):
            element["K"] = pydyf.Array(kept)
        return not kept and "Alt" not in element and "ActualText" not in element

    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    for top in root["K"]:
        if _is_reference(top):
            empty(_object(pdf, top))
