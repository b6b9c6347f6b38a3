"""Every page of the example and of the 46-laureate communiqué, as PDF and as DOCX laid out
by LibreOffice without Liberation Sans, looks as its stored reference (tests/pictures/,
rewritten by `make pictures`; see tests/pictures.py for the tolerance and how it was set)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pictures import REFERENCES, TOLERANCE, difference, pictures
from PIL import Image

pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) absent"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent"),
]


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Image.Image]:
    return pictures(tmp_path_factory.mktemp("pictures"))


def test_the_same_pages_as_the_references(made: dict[str, Image.Image]) -> None:
    expected = sorted(p.stem for p in REFERENCES.glob("*.png"))
    assert sorted(made) == expected, "pages added or lost: look, then `make pictures`"
    assert {"long-pdf-3", "long-docx-3"} <= set(made) and "long-docx-4" not in made


@pytest.mark.parametrize("name", sorted(p.stem for p in REFERENCES.glob("*.png")))
def test_each_page_looks_as_its_reference(made: dict[str, Image.Image], name: str) -> None:
    if name not in made:
        pytest.fail(f"{name}: page not made (see the test above)")
    reference = Image.open(REFERENCES / f"{name}.png").convert("L")
    measured = difference(made[name], reference)
    assert measured < TOLERANCE, (
        f"{name} differs from tests/pictures/{name}.png by {measured:.2f} grey levels a pixel:"
        " look at both, then `make pictures` if the change is wanted"
    )


def test_the_comparison_sees_a_moved_line(made: dict[str, Image.Image]) -> None:
    """The measure itself: the page shifted down by 4 pixels (one line of body text at
    40 dpi is 8) is far beyond the tolerance."""
    page = made["example-pdf-1"]
    shifted = Image.new("L", page.size, 255)
    shifted.paste(page.crop((0, 0, page.width, page.height - 4)), (0, 4))
    assert difference(page, shifted) > 4 * TOLERANCE


def test_the_example_s_pictures_are_in_the_docs() -> None:
    docs = Path(__file__).resolve().parent.parent / "docs" / "pages"
    for reference in REFERENCES.glob("example-*.png"):
        assert (docs / reference.name).read_bytes() == reference.read_bytes()
