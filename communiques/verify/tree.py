"""Reading the structure tree, for the checks of the tree, the content and the annotations:
its elements in reading order, the role map, the parent tree. Reports nothing itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .context import Context, pikepdf

# The standard structure types of ISO 32000-1, 14.8.4: what a screen reader understands.
STANDARD_TYPES = frozenset([
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI",
    "Index", "NonStruct", "Private", "P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L",
    "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot", "Span",
    "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT",
    "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form",
])  # fmt: skip


@dataclass
class Tree:
    """The structure tree as the checks need it."""

    reachable: set[tuple[int, int]] = field(default_factory=set)
    role_map: dict[str, str] = field(default_factory=dict)
    parent_tree: dict[int, Any] = field(default_factory=dict)


def read(c: Context) -> Tree:
    """Read once per file: which elements the tree reaches, the role map, the parent tree."""
    if c.tree is not None:
        return c.tree
    tree = Tree()
    root = c.pdf.Root.get("/StructTreeRoot")
    if root is not None:
        for key, value in (root.get("/RoleMap") or {}).items():
            tree.role_map[str(key)[1:]] = str(value)[1:]
        tree.reachable = {e.objgen for e, _ in elements(root) if e.is_indirect}
        if "/ParentTree" in root:
            tree.parent_tree = dict(_number_tree(root.ParentTree))
    c.tree = tree
    return tree


def _number_tree(node: Any) -> Iterator[tuple[int, Any]]:
    nums = node.get("/Nums")
    if nums is not None:
        for index in range(0, len(nums) - 1, 2):
            yield int(nums[index]), nums[index + 1]
    for kid in node.get("/Kids", ()):
        yield from _number_tree(kid)


def standard_type(tree: Tree, element: Any) -> str:
    """The element's type, followed through the role map to a standard one if it can be."""
    name = str(element.get("/S", ""))[1:]
    seen = set()
    while name not in STANDARD_TYPES and name in tree.role_map and name not in seen:
        seen.add(name)
        name = tree.role_map[name]
    return name


def elements(root: Any) -> Iterator[tuple[Any, Any]]:
    """(element, parent element or None), depth first in reading order."""
    pk = pikepdf()
    stack: list[tuple[Any, Any]] = []
    kids = root.get("/K")
    kids = list(kids) if isinstance(kids, pk.Array) else [kids]
    stack.extend((kid, None) for kid in reversed(kids))
    seen: set[tuple[int, int]] = set()
    while stack:
        element, parent = stack.pop()
        if not isinstance(element, pk.Dictionary) or "/S" not in element:
            continue  # a marked-content id, an MCR or an OBJR
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield element, parent
        kids = element.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, pk.Array) else [kids]
        stack.extend((kid, element) for kid in reversed(kids))
