"""The web edition of a communiqué: its semantic HTML (the one the PDF and DOCX are made
from) turned into a page that displays offline, and into a fragment for a website's CMS.

Pure: HTML and theme folders in, bytes out. The print HTML is never changed (the PDF and
DOCX depend on it byte for byte); it is parsed and its parts placed in templates/web/.
Files the page needs (stylesheet, logo, images) are named by their content's hash, so a
browser may cache them for ever and two versions never collide.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import lxml.html
from lxml.html import HtmlElement
from markupsafe import Markup

from ..render.resources import ASSET_SCHEME, local_file
from .labels import labels

STYLESHEET = "css/web.css"
ASSETS = "assets"
"""The folder, beside the pages, where their stylesheet and images are copied."""
DESCRIPTION_MAX = 200
_ASSET_REF = re.compile(rb'(?:src|href)="(assets/[^"#?]+)"')


@dataclass(frozen=True)
class FileLink:
    """A link from the page to another file of the same communiqué."""

    href: str
    libelle: str
    hreflang: str | None = None
    type: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Edition:
    page: bytes
    fragment: bytes
    assets: dict[str, bytes] = field(default_factory=dict)
    """Relative path (assets/…) → bytes, to write beside the page."""


def hashed_name(relative: str, data: bytes) -> str:
    """`logos/daect.png` → `assets/logos/daect.1a2b3c4d5e.png`."""
    path = PurePosixPath(relative)
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"{ASSETS}/{path.parent / f'{path.stem}.{digest}{path.suffix}'}".replace("/./", "/")


def original_name(hashed: str) -> tuple[str, str] | None:
    """`assets/logos/daect.1a2b3c4d5e.png` → (`logos/daect.png`, `1a2b3c4d5e`)."""
    path = PurePosixPath(hashed)
    stem, dot, digest = path.stem.rpartition(".")
    if path.parts[:1] != (ASSETS,) or not dot or len(digest) != 10:
        return None
    inner = PurePosixPath(*path.parts[1:-1], f"{stem}{path.suffix}")
    return inner.as_posix(), digest


def referenced_assets(page: bytes) -> list[str]:
    """The `assets/…` files a page refers to, in order of appearance."""
    return list(dict.fromkeys(m.decode() for m in _ASSET_REF.findall(page)))


def stylesheet(asset_dirs: tuple[Path, ...]) -> tuple[str, bytes]:
    """The web stylesheet of the theme (the office's own first), with its hashed name."""
    data = local_file(f"{ASSET_SCHEME}:{STYLESHEET}", asset_dirs).read_bytes()
    return hashed_name(STYLESHEET, data), data


def edition(
    html: str,
    files: list[FileLink],
    alternates: Mapping[str, str],
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
    *,
    page_name: str,
    url: str | None = None,
) -> Edition:
    """The page and fragment of the communiqué whose semantic HTML is `html`.

    `files` are its other files (PDF, DOCX, other languages) and `alternates` its pages in
    other languages (hreflang → file name); `url` is where the pages are published (the
    émetteur's `url_publication`), for canonical and sharing URLs and the fragment's links.
    """
    from ..render.html import environment

    root = lxml.html.document_fromstring(html)
    head, body = root.find("head"), root.find("body")
    assert head is not None and body is not None
    language = (root.get("lang") or "fr")[:2].lower()
    t = labels(language)
    base = url.rstrip("/") + "/" if url else None
    assets: dict[str, bytes] = {}

    def localise(element: HtmlElement, attribute: str) -> None:
        value = element.get(attribute, "")
        if value.startswith(f"{ASSET_SCHEME}:"):
            data = local_file(value, asset_dirs).read_bytes()
            name = hashed_name(value[len(ASSET_SCHEME) + 1 :], data)
            assets[name] = data
            element.set(attribute, name)

    for element in body.iter():
        if isinstance(element.tag, str):
            localise(element, "src")
            localise(element, "href")
    for pagination in body.find_class("pagination"):  # a page counter means nothing on screen
        pagination.drop_tree()
    header = body.find("header")
    footer = body.find("footer")
    parts = [child for child in body if child is not header and child is not footer]
    article = "\n".join(_html(part) for part in parts)
    css_name, css = stylesheet(asset_dirs)
    assets[css_name] = css

    title = _text(head.find("title"))
    author = _meta(head, "author")
    date = _meta(head, "dcterms.created")[:10]
    chapo = next(iter(body.find_class("chapo")), None)
    subtitle = next(iter(body.find_class("sous-titre")), None)
    description = _shorten(_text(chapo) or _text(subtitle) or _meta(head, "description") or title)
    logo = header.find(".//img") if header is not None else None
    image = logo.get("src") if logo is not None else None
    images = [img.get("src") for part in parts for img in part.iter("img") if img.get("src")]
    image = images[0] if images else image
    canonical = base + page_name if base else None
    absolute_image = base + image if base and image and "://" not in image else None
    lang_tag = root.get("lang") or language

    sharing = [
        ("property", "og:type", "article"),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:site_name", author),
        ("property", "og:locale", lang_tag.replace("-", "_")),
        ("property", "article:published_time", date),
        *([("property", "og:url", canonical)] if canonical else []),
        *([("property", "og:image", absolute_image)] if absolute_image else []),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        *([("name", "twitter:image", absolute_image)] if absolute_image else []),
    ]
    publisher: dict[str, Any] = {"@type": "Organization", "name": author}
    if absolute_image and logo is not None:
        publisher["logo"] = {"@type": "ImageObject", "url": absolute_image}
    linked_data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": description,
        "datePublished": date,
        "dateModified": date,
        "inLanguage": lang_tag,
        "author": publisher,
        "publisher": publisher,
        "isAccessibleForFree": True,
    }
    if canonical:
        linked_data.update(url=canonical, mainEntityOfPage=canonical)
    if absolute_image:
        linked_data["image"] = absolute_image

    env = environment(template_dirs, language)
    context = {
        "langue_html": lang_tag,
        "titre": title,
        "site_nom": author,
        "description": description,
        "auteur": author,
        "canonique": canonical,
        "alternates": [
            {"hreflang": lang, "href": base + href if base else href}
            for lang, href in alternates.items()
        ],
        "partage": sharing,
        "feuille": css_name,
        "jsonld": Markup(_script_json(linked_data)),
        "entete": Markup(_html(header)) if header is not None else "",
        "article": Markup(article),
        "pied": Markup("\n".join(_html(p) for p in footer)) if footer is not None else "",
        "fichiers": files,
        "accueil": "index.html",
        "t": t,
    }
    page = env.get_template("web/page.html.j2").render(context)
    fragment = env.get_template("web/fragment.html.j2").render(
        context
        | {
            "article": Markup(_fragment_article(parts, base)),
            "fichiers": [_absolute(f, base) for f in files],
        }
    )
    return Edition(page.encode(), fragment.encode(), assets)


def _fragment_article(parts: list[HtmlElement], base: str | None) -> str:
    """The article for a CMS: no style attribute, and links absolute when we can."""
    out = []
    for part in parts:
        copy = lxml.html.fromstring(_html(part))
        for element in copy.iter():
            if not isinstance(element.tag, str):
                continue
            element.attrib.pop("style", None)
            for attribute in ("src", "href"):
                value = element.get(attribute)
                if base and value and value.startswith(f"{ASSETS}/"):
                    element.set(attribute, base + value)
        out.append(_html(copy))
    return "\n".join(out)


def _absolute(link: FileLink, base: str | None) -> FileLink:
    if not base or "://" in link.href:
        return link
    return FileLink(base + link.href, link.libelle, link.hreflang, link.type, link.detail)


def _html(element: HtmlElement) -> str:
    return str(lxml.html.tostring(element, encoding="unicode", with_tail=False))


def _text(element: HtmlElement | None) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _meta(head: HtmlElement, name: str) -> str:
    found = head.find(f'meta[@name="{name}"]')
    return found.get("content", "") if found is not None else ""


def _shorten(text: str) -> str:
    if len(text) <= DESCRIPTION_MAX:
        return text
    cut = text[: DESCRIPTION_MAX - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def _script_json(value: Any) -> str:
    """JSON that cannot close its <script> element, whatever the data says."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
