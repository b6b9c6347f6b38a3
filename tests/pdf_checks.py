"""Shared by the accessibility and verify tests: the example rendered in every PDF variant,
a laureates communiqué (its table), and readers of a tagged PDF's structure written here with
pikepdf, independently of communiques.verify, so the tests do not grade the code with itself.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from conftest import EXAMPLE, SEED_COMMUNIQUE
from pypdf import PdfReader

VARIANTS = ("pdf/ua-1", "pdf/a-3u", "pdf/a-2u")
LOGO_ALT = "Logo de la DAECT (ministère de l’Europe et des Affaires étrangères)"


def render_seed(variant: str | None, formats: tuple[str, ...] = ("pdf",)) -> dict[str, bytes]:
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    office = PressOffice.find(SEED_COMMUNIQUE)
    return render(load(SEED_COMMUNIQUE, office), Theme.of(office), formats, pdf_variant=variant)


@cache
def variant_pdfs() -> dict[str, bytes]:
    """The example communiqué as a PDF of each variant, made once per test session."""
    return {variant: render_seed(variant)["pdf"] for variant in VARIANTS}


_LAUREATES: dict[str, dict[str, bytes]] = {}


def laureates_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The example rendered from an office whose programme lists no page of laureates, so
    the communiqué shows them in a table, and whose logo has its own alternative text."""
    if not _LAUREATES:
        _LAUREATES.update(_render_laureates(_laureates_office(tmp_path_factory)))
    return _LAUREATES


def _laureates_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("laureats") / "bureau"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    programme = root / "programmes" / "expe-ct.yaml"
    lines = programme.read_text(encoding="utf-8").splitlines(keepends=True)
    programme.write_text("".join(x for x in lines if not x.startswith("url_laureats")), "utf-8")
    organisation = root / "organisations" / "daect.yaml"
    text = organisation.read_text(encoding="utf-8").replace(
        "logo_alt: DAECT", f'logo_alt: "{LOGO_ALT}"'
    )
    organisation.write_text(text, encoding="utf-8")
    return root


def _render_laureates(root: Path) -> dict[str, bytes]:
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    source = root / "communiques" / SEED_COMMUNIQUE.name
    office = PressOffice.find(source)
    return render(load(source, office), Theme.of(office), ("pdf", "docx", "html"))


def untagged_pdf() -> bytes:
    """The example as WeasyPrint lays it out with no tagging and no variant: what
    render_pdf made before PDFs were accessible."""
    from weasyprint import HTML

    from communiques.build import Theme
    from communiques.render.html import render_html
    from communiques.render.pdf import _image_cache, _theme
    from communiques.resolve import load
    from communiques.sources import PressOffice

    office = PressOffice.find(SEED_COMMUNIQUE)
    theme = Theme.of(office)
    html = render_html(load(SEED_COMMUNIQUE, office), theme.template_dirs)
    fetcher, stylesheet, fonts = _theme(theme.asset_dirs, theme.template_dirs)
    document = HTML(string=html, base_url=theme.asset_dirs[0].as_uri() + "/", url_fetcher=fetcher)
    data = document.write_pdf(
        stylesheets=[stylesheet],
        font_config=fonts,
        cache=_image_cache(theme.asset_dirs, theme.template_dirs),
    )
    assert isinstance(data, bytes)
    return data


def open_pdf(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def kids(element: Any) -> list[Any]:
    k = element.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def elements(pdf: pikepdf.Pdf) -> Iterator[tuple[pikepdf.Dictionary, pikepdf.Dictionary | None]]:
    """(structure element, parent element) from the root, depth first in reading order."""

    def walk(element: Any, parent: Any) -> Iterator[tuple[Any, Any]]:
        yield element, parent
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid, element)

    for top in kids(pdf.Root.StructTreeRoot):
        yield from walk(top, None)


def kind(element: Any) -> str:
    return str(element.S)[1:]


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, Any]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def xmp(pdf: pikepdf.Pdf) -> str:
    return bytes(pdf.Root.Metadata.read_bytes()).decode("utf-8")


def text_where(data: bytes, keep: Any) -> str:
    """The text of the PDF shown inside the marked-content sequences for which
    `keep(stack)` is true, `stack` being the list of (tag, properties) open at that point:
    every other text-showing operator is removed and pypdf reads what remains."""
    pdf = open_pdf(data)
    for page in pdf.pages:
        stack: list[tuple[str, Any]] = []
        kept = []
        for instruction in pikepdf.parse_content_stream(page):
            operator = str(getattr(instruction, "operator", ""))
            operands = list(getattr(instruction, "operands", []))
            if operator in ("BMC", "BDC"):
                stack.append((str(operands[0]), operands[1] if operator == "BDC" else None))
            elif operator == "EMC":
                stack.pop()
            elif operator in ("Tj", "TJ", "'", '"') and not keep(stack):
                continue
            kept.append(instruction)
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
