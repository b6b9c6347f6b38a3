"""Every use of WeasyPrint beyond its documented API, in one place.

The tagging (render/tagging.py) needs the laid-out boxes of each page, the link annotation
WeasyPrint made for a box and the structure element it made for a table cell: WeasyPrint
documents none of these. `Page.anchors` is documented, but as an (x, y) point where version
70 gives the rectangle (x1, y1, x2, y2) we measure with. If a new version moves one of these,
`tests/test_adapters.py` names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def boxes(page: Any) -> Iterator[Any]:
    """Every box laid out on `page` (a weasyprint Page), depth first from the page box."""

    def walk(box: Any) -> Iterator[Any]:
        yield box
        for child in getattr(box, "children", ()):
            yield from walk(child)

    yield from walk(page._page_box)


def html_tag(box: Any) -> str | None:
    """The HTML tag of the element a box was made for (the same for every fragment)."""
    return getattr(box, "element_tag", None)


def link_annotation(box: Any) -> Any:
    """The PDF link annotation (a pydyf Dictionary) WeasyPrint made for a box, or None."""
    return getattr(box, "link_annotation", None)


def structure_element(box: Any) -> Any:
    """The structure element (a pydyf Dictionary) WeasyPrint made for a box when tagging,
    or None: recorded for every box once `record_structure_elements` ran, else only for
    table cells (WeasyPrint's own `mark`)."""
    recorded = getattr(box, _RECORDED, None)
    if recorded is not None:
        return recorded
    mark = getattr(box, "mark", None)
    return mark if isinstance(mark, dict) else None


_RECORDED = "communiques_structure_element"


def record_structure_elements() -> None:
    """Have WeasyPrint's tagging remember on each box the structure element it makes for
    it, which it keeps only for table cells: the finisher then names a <strong>'s element
    and gives an uppercased paragraph its text as written. WeasyPrint builds the tree with
    the generator `pdf.tags._build_box_tree`, recursive through its module name, which
    yields a box's own element (its children's for the page, <html> and <body>, which make
    none); wrapped once per process."""
    from weasyprint.formatting_structure.boxes import PageBox
    from weasyprint.pdf import tags

    original = tags._build_box_tree
    if getattr(original, _RECORDED, False):
        return

    def build(box: Any, *args: Any) -> Iterator[Any]:
        own = not isinstance(box, PageBox) and html_tag(box) not in ("html", "body")
        for element in original(box, *args):
            if own:  # the first element of this call (a box written again gets its new one)
                setattr(box, _RECORDED, element)
                own = False
            yield element

    setattr(build, _RECORDED, True)
    tags._build_box_tree = build


def text_transform(box: Any) -> str:
    """The computed CSS `text-transform` of a box ("none", "uppercase"…)."""
    style = getattr(box, "style", None)
    return str(style["text_transform"]) if style is not None else "none"


def anchor_rectangle(page: Any, name: str) -> tuple[float, float, float, float] | None:
    """The border box (x1, y1, x2, y2), in CSS pixels, of the part on `page` of the element
    whose id is `name`, or None if it has no part there."""
    rectangle = page.anchors.get(name)
    if rectangle is None:
        return None
    x1, y1, x2, y2 = rectangle  # WeasyPrint ≥ 53; documented as (x, y)
    return float(x1), float(y1), float(x2), float(y2)


def flow_edge(page: Any, last: bool) -> list[Any]:
    """The HTML elements of the boxes on the first (or last) path down `page`'s flow, one
    per structure element WeasyPrint's tagging makes for them: the page, html and body boxes
    and the margin boxes are left out, a table's inner box is one with its wrapper, and the
    path stops at a line of text. The same element at the same depth at the end of one page
    and the start of the next is one element split by the page break."""
    from weasyprint.formatting_structure import boxes as kinds

    path: list[Any] = []
    box = page._page_box
    while True:
        children = [c for c in getattr(box, "children", ()) if not isinstance(c, kinds.MarginBox)]
        if not children or isinstance(box, kinds.LineBox):
            return path
        box = children[-1 if last else 0]
        if isinstance(box, kinds.TableBox) and path and path[-1] is box.element:
            continue  # the table inside its wrapper: one structure element
        if isinstance(box, kinds.LineBox):
            return path
        if box.element is not None and box.element_tag in ("html", "body"):
            continue
        path.append(box.element)


def image_cache() -> dict[str, Any]:
    """An image cache for WeasyPrint's `cache` argument that also keeps each raster image's
    PDF image stream. WeasyPrint keys decoded images by URL, but `RasterImage.get_x_object`
    decodes the PNG and encodes it again with Pillow for every document that draws it;
    with this cache a process does that once per image."""
    from weasyprint.images import RasterImage

    class ImageCache(dict[str, Any]):
        def __setitem__(self, key: str, value: Any) -> None:
            if isinstance(value, RasterImage):
                _keep_x_objects(value)
            super().__setitem__(key, value)

    return ImageCache()


def _keep_x_objects(image: Any) -> None:
    """Make `image.get_x_object` compute each stream once and hand out copies: WeasyPrint
    numbers the stream it gets and replaces its soft mask by a reference when writing."""
    made: dict[tuple[bool, float], Any] = {}
    compute = image.get_x_object

    def get_x_object(interpolate: bool, dpi_ratio: float) -> Any:
        key = (interpolate, dpi_ratio)
        if key not in made:
            made[key] = compute(interpolate, dpi_ratio)
        return _copy_stream(made[key])

    image.get_x_object = get_x_object


def _copy_stream(stream: Any) -> Any:
    import pydyf

    extra = pydyf.Dictionary(
        {
            name: _copy_stream(value) if isinstance(value, pydyf.Stream) else value
            for name, value in stream.extra.items()
        }
    )
    return pydyf.Stream(list(stream.stream), extra, stream.compress)


COMPRESSION_LEVEL = 6
"""zlib's level for the PDF's streams. pydyf uses 9; measured on the example and synthetic
communiqués (docs/performance.md), 6 halves the time (4 → 2 ms a document) for 1 % more
bytes; 1 would save one more millisecond for 14 % more."""


def set_compression_level(level: int = COMPRESSION_LEVEL) -> None:
    """Have pydyf compress every stream at `level` in this process (it hard-codes 9 in
    `Stream.data`, through `zlib.compressobj(level=9)`): only pydyf's view of zlib changes."""
    import types
    import zlib

    import pydyf

    shim = types.ModuleType("zlib", "zlib, at the level communiques chose for pydyf")
    shim.__dict__.update(zlib.__dict__)

    def compressobj(*args: Any, **kwargs: Any) -> Any:
        kwargs["level"] = level
        return zlib.compressobj(*args[1:], **kwargs)

    def compress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        kwargs["level"] = level
        return zlib.compress(data, **kwargs)

    shim.compressobj = compressobj  # type: ignore[attr-defined]
    shim.compress = compress  # type: ignore[attr-defined]
    pydyf.zlib = shim
