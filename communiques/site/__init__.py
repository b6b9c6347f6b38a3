"""The web: each communiqué's web edition (a page and a CMS fragment, `edition.py`) and the
archive site of `build --site` (`archive.py`: lists by year, Atom feed, sitemap, search).

`pages` is what both call: the semantic HTML of a communiqué's languages, and the sizes of
its other files, give its pages and fragments.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .edition import Edition, FileLink, edition
from .labels import IN_LANGUAGE, labels, size

__all__ = ["Edition", "fragment_key", "pages", "web_outputs"]

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def fragment_key(html_key: str) -> str:
    """`html` → `fragment.html`, `en.html` → `en.fragment.html`: written <name>.<key>."""
    return f"{html_key[:-4]}fragment.html"


def pages(
    name: str,
    semantic: Mapping[str, str],
    sizes: Mapping[str, int],
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
    url: str | None,
) -> dict[str, Edition]:
    """The web edition of each language, keyed like the outputs (`html`, or `fr.html`…).

    `semantic` holds each language's HTML as the modèle renders it; `sizes` the other
    outputs' sizes by key (`pdf`, `fr.docx`…), for the links to them."""
    languages = {key: key[:-5] if key != "html" else None for key in semantic}
    result: dict[str, Edition] = {}
    for key, html in semantic.items():
        prefix = key[:-4]  # "" or "fr."
        language = languages[key] or _language_of(html)
        t = labels(language)
        files = [
            FileLink(
                f"{name}.{prefix}{fmt}",
                t[fmt],
                type=MEDIA_TYPES[fmt],
                detail=f"{fmt.upper()}, {size(sizes[prefix + fmt], language)}",
            )
            for fmt in ("pdf", "docx")
            if prefix + fmt in sizes
        ]
        alternates = {
            other: f"{name}.{other_key}"
            for other_key, other in languages.items()
            if other is not None and other_key != key
        }
        files += [
            FileLink(href, IN_LANGUAGE.get(other, other), hreflang=other)
            for other, href in alternates.items()
        ]
        if alternates and languages[key]:
            alternates = {languages[key] or language: f"{name}.{key}", **alternates}
        result[key] = edition(
            html, files, alternates, template_dirs, asset_dirs, page_name=f"{name}.{key}", url=url
        )
    return result


def web_outputs(
    outputs: dict[str, bytes],
    name: str,
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
    url: str | None,
) -> dict[str, bytes]:
    """`build.render`'s outputs with each semantic HTML replaced by its web page, and its
    CMS fragment added. The files the pages name under assets/ are written by the build
    (`publish.write_assets`)."""
    semantic = {k: v.decode() for k, v in outputs.items() if k == "html" or k.endswith(".html")}
    sizes = {k: len(v) for k, v in outputs.items() if k not in semantic}
    result = {k: v for k, v in outputs.items() if k not in semantic}
    for key, made in pages(name, semantic, sizes, template_dirs, asset_dirs, url).items():
        result[key] = made.page
        result[fragment_key(key)] = made.fragment
    return result


def _language_of(html: str) -> str:
    start = html.find('lang="')
    return html[start + 6 : start + 8].lower() if start >= 0 else "fr"
