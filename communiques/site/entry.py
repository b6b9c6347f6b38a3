"""One communiqué's share of the archive site: its pages and fragments, the files they name,
and what the lists, the feed and the search index say of it.

Its pages come from build/ when `--format html` made them, otherwise they are rendered here
from its source (the PDF and DOCX are never remade for the site). Runs in a worker process
for a large archive: arguments and result are plain data.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html

from ..l10n import rules_for
from ..render.resources import ASSET_SCHEME, local_file
from . import fragment_key, pages
from .edition import original_name, referenced_assets
from .search import words

_CANONICAL = re.compile(rb'<link rel="canonical" href="([^"]+)">')
_DESCRIPTION = re.compile(rb'<meta name="description" content="([^"]*)">')
_LOGO = re.compile(rb'<img class="logo" src="([^"]+)" alt="([^"]*)">')


@dataclass
class Made:
    name: str
    files: dict[str, bytes] = field(default_factory=dict)
    """Path in the site → bytes: pages, fragments, assets."""
    links: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Path in the site → (file in build/, its SHA-256): PDF and DOCX, linked not copied."""
    records: list[dict[str, Any]] = field(default_factory=list)
    """One per language, first language first."""


def html_keys(outputs: dict[str, Any]) -> list[str]:
    """The page keys among an entry's outputs or sizes: `html`, or `fr.html`, `en.html`…"""
    return [
        k
        for k in outputs
        if (k == "html" or k.endswith(".html")) and not k.endswith("fragment.html")
    ]


@cache
def theme_dirs(source: str) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    from ..sources import PressOffice

    office = PressOffice.find(Path(source))
    return office.template_dirs, office.asset_dirs


def make(out_dir: Path, name: str, entry: dict[str, Any]) -> Made:
    """What `build/site/` holds for the manifest entry `entry` (as a dict) named `name`."""
    template_dirs, asset_dirs = theme_dirs(entry["source"])
    outputs: dict[str, dict[str, Any]] = entry["outputs"]
    made = Made(name)
    built = html_keys(outputs)
    if built and all(
        (out_dir / outputs[k]["file"]).is_file() and fragment_key(k) in outputs for k in built
    ):
        for key in built:
            for k in (key, fragment_key(key)):
                made.files[outputs[k]["file"]] = (out_dir / outputs[k]["file"]).read_bytes()
    else:
        made.files.update(_render(name, entry, template_dirs, asset_dirs))
    for key, output in outputs.items():
        if key.endswith(("pdf", "docx")):
            made.links[output["file"]] = (output["file"], output["sha256"])
    page_names = [n for n in made.files if n.endswith(".html") and not n.endswith(".fragment.html")]
    for page_name in page_names:
        page = made.files[page_name]
        for asset in referenced_assets(page):
            made.files[asset] = theme_asset(asset, asset_dirs)
    for page_name in page_names:
        made.records.append(_record(name, entry, page_name, made))
    return made


def _render(
    name: str,
    entry: dict[str, Any],
    template_dirs: tuple[Path, ...],
    asset_dirs: tuple[Path, ...],
) -> dict[str, bytes]:
    from ..render.html import render_html
    from ..resolve import editions, load

    resolved = load(Path(entry["source"]))
    several = len(resolved.languages) > 1
    semantic = {
        f"{edition.communique.langue}.html" if several else "html": render_html(
            edition, template_dirs
        )
        for edition in (editions(resolved) if several else [resolved])
    }
    sizes = {k: o["size"] for k, o in entry["outputs"].items() if k.endswith(("pdf", "docx"))}
    url = resolved.emetteur.url_publication
    files: dict[str, bytes] = {}
    for key, made in pages(name, semantic, sizes, template_dirs, asset_dirs, url).items():
        files[f"{name}.{key}"] = made.page
        files[f"{name}.{fragment_key(key)}"] = made.fragment
        files.update(made.assets)
    return files


def theme_asset(hashed: str, asset_dirs: tuple[Path, ...]) -> bytes:
    """The theme file behind `assets/…/x.<hash>.ext`; the page was made with those bytes."""
    import hashlib

    from ..errors import ResourceRefused

    original = original_name(hashed)
    if original is None:
        raise ResourceRefused(f"fichier de l'édition web inconnu : {hashed}")
    data = local_file(f"{ASSET_SCHEME}:{original[0]}", asset_dirs).read_bytes()
    if hashlib.sha256(data).hexdigest()[:10] != original[1]:
        raise ResourceRefused(
            f"{original[0]} a changé depuis la construction de la page : relancez avec --force"
        )
    return data


def _record(name: str, entry: dict[str, Any], page_name: str, made: Made) -> dict[str, Any]:
    """What the lists, the feed and the index say of one page."""
    page = made.files[page_name]
    fragment_name = f"{page_name[:-5]}.fragment.html"
    if page_name == f"{name}.html":
        fragment_name = f"{name}.fragment.html"
    fragment = lxml.html.fromstring(made.files[fragment_name].decode())
    title = fragment.find_class("titre")
    chapo = fragment.find_class("chapo")
    canonical = _CANONICAL.search(page)
    logo = _LOGO.search(page)
    language = (fragment.get("lang") or entry.get("langue") or "fr")[:2]
    text = " ".join(fragment.text_content().split())
    prefix = page_name[len(name) + 1 : -4]  # "" or "fr."
    links = [{"href": page_name, "libelle": "Page web (HTML)", "lang": None}]
    for fmt, label in (("pdf", "PDF"), ("docx", "DOCX")):
        output = entry["outputs"].get(prefix + fmt)
        if output:
            links.append({"href": output["file"], "libelle": label, "lang": None})
    return {
        "name": name,
        "page": page_name,
        "fragment": fragment_name,
        "date": entry["date"],
        "titre": " ".join(title[0].text_content().split()) if title else entry["titre"],
        "chapo": " ".join(chapo[0].text_content().split()) if chapo else _description(page),
        "langue": language,
        "emetteur": rules_for(language)(entry["emetteur"]),
        "url": canonical.group(1).decode() if canonical else None,
        "logo": logo.group(1).decode() if logo else None,
        "logo_alt": html.unescape(logo.group(2).decode()) if logo else "",
        "mots": words(text),
        "liens": links,
    }


def _description(page: bytes) -> str:
    found = _DESCRIPTION.search(page)
    return html.unescape(found.group(1).decode()) if found else ""
