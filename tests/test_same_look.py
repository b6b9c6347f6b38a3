"""Speed-ups must not change the look: every page of the example and of a few synthetic
communiqués (each modèle, one to three pages), rasterised at 40 dpi, against reference images
rendered before them (tests/pictures/perf/).

A change meant to alter the look (a stylesheet or template edit) rewrites the references,
after looking at them: `.venv/bin/python tests/test_same_look.py`.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED_COMMUNIQUE, render_file

PICTURES = ROOT / "tests" / "pictures" / "perf"
DPI = "40"
SYNTHETIC = (0, 4, 7, 8)
"""Of `synthetic.generate(…, 12)`: one of each modèle, one to three pages."""
TOLERANCE = 0.001
"""Share of a page's pixels allowed to differ by more than DIFFERENCE on some channel."""
DIFFERENCE = 32


def sources(folder: Path) -> list[Path]:
    from synthetic import generate

    generated = generate(folder / "synthetique", 12)
    return [SEED_COMMUNIQUE, *(generated[i] for i in SYNTHETIC)]


def pages(source: Path, folder: Path) -> list[Path]:
    """The PNG of each page of `source`'s PDF, rendered in this process, in `folder`."""
    pdf = folder / f"{source.stem}.pdf"
    pdf.write_bytes(render_file(source, ("pdf",))["pdf"])
    subprocess.run(["pdftoppm", "-png", "-r", DPI, pdf.name, source.stem], cwd=folder, check=True)
    return sorted(folder.glob(f"{source.stem}-*.png"))


def differing_share(reference: Path, page: Path) -> float:
    from PIL import Image, ImageChops

    before = Image.open(reference).convert("RGB")
    after = Image.open(page).convert("RGB")
    if before.size != after.size:
        return 1.0
    red, green, blue = ImageChops.difference(before, after).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return sum(largest.histogram()[DIFFERENCE + 1 :]) / (before.width * before.height)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_every_page_looks_as_before(tmp_path: Path) -> None:
    checked = 0
    for source in sources(tmp_path):
        made = pages(source, tmp_path)
        references = sorted(PICTURES.glob(f"{source.stem}-*.png"))
        assert [p.name for p in made] == [p.name for p in references], source.stem
        for page, reference in zip(made, references, strict=True):
            share = differing_share(reference, page)
            assert share <= TOLERANCE, f"{page.name}: {share:.2%} des pixels ont changé"
            checked += 1
    assert checked >= 9  # the example's page and 8 synthetic ones


def rewrite_references() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for old in PICTURES.glob("*.png"):
            old.unlink()
        PICTURES.mkdir(parents=True, exist_ok=True)
        for source in sources(Path(tmp)):
            for page in pages(source, Path(tmp)):
                shutil.copy(page, PICTURES / page.name)
                print(PICTURES / page.name)


if __name__ == "__main__":
    rewrite_references()
