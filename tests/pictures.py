"""Pictures of every page, in every format, compared with stored references (tests/pictures/).

The example and the 46-laureate communiqué: each page of the PDF, and of the DOCX as
LibreOffice lays it out on a machine without Liberation Sans (so with the fonts the DOCX
embeds), rendered at 40 dpi by pdftoppm. A change that moves the layout moves pixels; a
change meant to do so is accepted by rewriting the references with `make pictures`, which
runs this file (and copies the example's into docs/, to be looked at).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

HERE = Path(__file__).resolve().parent
REFERENCES = HERE / "pictures"
DOCS = HERE.parent / "docs" / "pages"
DPI = 40
# Mean absolute difference per pixel, 0-255 grey levels, under which two pages are "the
# same" (room for another poppler's or LibreOffice's anti-aliasing). Measured on the
# example's page: 0.0 between two runs; one word changed (Paris → Lyon) 0.02; a paragraph
# added to the body 4.5; the DOCX without its embedded fonts (DejaVu instead) 18.4.
TOLERANCE = 0.5
_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>{dirs}<cachedir>{cache}</cachedir></fontconfig>
"""


def convert_without_liberation(docx: bytes, folder: Path) -> bytes:
    """The DOCX converted to PDF by LibreOffice seeing only the fonts of /usr/share/fonts
    that are not Liberation (a fontconfig of its own, FONTCONFIG_FILE)."""
    system = Path("/usr/share/fonts")
    folders = sorted({p.parent for p in system.rglob("*") if p.suffix in (".ttf", ".otf")})
    dirs = "".join(f"<dir>{d}</dir>" for d in folders if "liberation" not in str(d).lower())
    conf = folder / "fonts.conf"
    conf.write_text(_FONTS_CONF.format(dirs=dirs, cache=folder / "fc-cache"), "utf-8")
    source = folder / "communique.docx"
    source.write_bytes(docx)
    profile = (folder / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
        env={"PATH": "/usr/bin:/bin", "HOME": str(folder), "FONTCONFIG_FILE": str(conf)},
    )  # fmt: skip
    return (folder / "communique.pdf").read_bytes()


def pages(pdf: bytes, folder: Path) -> list[Image.Image]:
    """Each page of `pdf` as a greyscale picture at `DPI`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "in.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(folder / "in.pdf"),
                    str(folder / "page")], check=True, capture_output=True, timeout=120)  # fmt: skip
    return [Image.open(p).convert("L") for p in sorted(folder.glob("page-*.png"))]


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per pixel (0-255); infinite if the sizes differ."""
    if a.size != b.size:
        return float("inf")
    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


def outputs(work: Path) -> dict[str, dict[str, bytes]]:
    """{communiqué: {format: bytes}} for the example and the 46-laureate communiqué, the
    DOCX as the PDF LibreOffice makes of it."""
    from conftest import SEED_COMMUNIQUE, render_file
    from long_communique import write_office

    made = {
        "example": render_file(SEED_COMMUNIQUE, ("pdf", "docx")),
        "long": render_file(write_office(work / "bureau"), ("pdf", "docx")),
    }
    for name, formats in made.items():
        folder = work / f"lo-{name}"
        folder.mkdir()
        formats["docx"] = convert_without_liberation(formats["docx"], folder)
    return made


def pictures(work: Path) -> dict[str, Image.Image]:
    """Every page's picture by its reference's name: example-pdf-1, long-docx-3…"""
    found = {}
    for name, formats in outputs(work).items():
        for fmt, pdf in formats.items():
            for number, image in enumerate(pages(pdf, work / f"png-{name}-{fmt}"), 1):
                found[f"{name}-{fmt}-{number}"] = image
    return found


def main() -> None:
    """Rewrites tests/pictures/ and docs/pages/ (the example's) from the current code."""
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory(prefix="communiques-pictures-") as work:
        found = pictures(Path(work))
        for folder in (REFERENCES, DOCS):
            if folder.is_dir():
                for old in folder.glob("*.png"):
                    old.unlink()
            folder.mkdir(parents=True, exist_ok=True)
        for name, image in sorted(found.items()):
            image.save(REFERENCES / f"{name}.png", optimize=True)
            if name.startswith("example-"):
                shutil.copyfile(REFERENCES / f"{name}.png", DOCS / f"{name}.png")
            print(f"{REFERENCES / name}.png", file=sys.stderr)


if __name__ == "__main__":
    main()
