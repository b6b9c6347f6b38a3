"""The shape of the structure tree across pages.

A layout engine that tags each page on its own splits an element at every page break: a
screen reader then announces three tables where there is one, reads the repeated header rows
of each page as data, and meets empty elements. These rules catch that on any PDF; the
rule names are ours where veraPDF has none.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from .context import Context, check


def _kids(element: Any) -> list[Any]:
    import pikepdf

    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(pdf: Any) -> Iterator[Any]:
    """Structure elements from the root, depth first in reading order."""
    import pikepdf

    def walk(element: Any, depth: int) -> Iterator[Any]:
        if depth > 200:
            return
        yield element
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid, depth + 1)

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    for top in _kids(root):
        if hasattr(top, "get") and "/S" in top:
            yield from walk(top, 0)


def _page(pdf: Any, element: Any) -> int | None:
    page = element.get("/Pg")
    if page is None:
        return None
    for number, candidate in enumerate(pdf.pages, start=1):
        if candidate.objgen == page.objgen:
            return number
    return None


def _header_signature(pdf: Any, table: Any) -> tuple[int, ...]:
    """How a table's header looks: the number of cells of each of its THead rows."""
    import pikepdf

    heads = [
        k for k in _kids(table) if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/THead"
    ]
    return tuple(len(_kids(row)) for head in heads for row in _kids(head))


@check("arbre")
def pages(c: Context) -> None:
    """One element across page breaks: no table split at a page break into several tables,
    no header repeated as data rows, no empty element."""
    pdf = c.pdf
    elements = list(_elements(pdf))
    tables = [e for e in elements if e.get("/S") == "/Table"]
    for before, after in itertools.pairwise(tables):
        page_before, page_after = _page(pdf, before), _page(pdf, after)
        signature = _header_signature(pdf, after)
        consecutive = page_before is not None and page_after == page_before + 1
        if consecutive and signature and signature == _header_signature(pdf, before):
            c.add(
                "table-coupee",
                f"un tableau coupé par le saut de la page {page_before} est balisé comme deux "
                "tableaux : un lecteur d'écran en annonce deux",
                page=page_after,
            )
            c.add(
                "en-tete-repete",
                f"l'en-tête du tableau répété en haut de la page {page_after} est balisé comme "
                "de vraies lignes d'en-tête au lieu d'un artefact de pagination",
                page=page_after,
            )
    for element in elements:
        if not _kids(element) and "/ActualText" not in element and "/Alt" not in element:
            kind = str(element.get("/S"))[1:]
            c.add(
                "element-vide",
                f"élément de structure /{kind} vide (sans contenu ni enfant)",
                page=_page(pdf, element),
            )
