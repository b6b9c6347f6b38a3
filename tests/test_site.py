"""build --site: the archive site, its feed, sitemap and search index, incremental and
reproducible."""

from __future__ import annotations

import hashlib
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_cli import run
from test_web_edition import NAME, URL, broken_references

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OTHER = """\
modele: communique
lieu: Paris
date: 2022-06-01
emetteur: daect
titre: Rencontre des collectivités partenaires
chapo: Une journée d'échanges sur la coopération décentralisée.
corps: Les participants parleront d'hydrologie et de gouvernance locale.
"""


@pytest.fixture
def archive(office: Path) -> Path:
    """The example office, with its publication URL and a second communiqué, of 2022."""
    organisation = office / "organisations" / "daect.yaml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8") + f"url_publication: {URL}\n", encoding="utf-8"
    )
    (office / "communiques" / "2022-06-01-rencontre.yaml").write_text(OTHER, encoding="utf-8")
    return office


def build_site(office: Path, out: Path, *more: str) -> str:
    result = run("build", str(office), "--out", str(out), "--site", "-j", "1", *more, cwd=office)
    assert result.returncode == 0, result.stderr
    return result.stdout + result.stderr


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_site_has_home_years_pages_feed_sitemap_and_index(
    archive: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    build_site(archive, out)
    site = out / "site"
    for name in ("index.html", "2021.html", "2022.html", f"{NAME}.html", f"{NAME}.pdf",
                 f"{NAME}.docx", f"{NAME}.fragment.html", "atom.xml", "sitemap.xml",
                 "recherche-index.js"):  # fmt: skip
        assert (site / name).is_file(), name
    assert (site / f"{NAME}.pdf").read_bytes() == (out / f"{NAME}.pdf").read_bytes()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.index("Rencontre des collectivités partenaires") < home.index(
        "Annonce des lauréats"
    )
    assert "Une journée d’échanges sur la coopération décentralisée." in home  # the chapô
    assert f'href="{NAME}.pdf"' in home and f'href="{NAME}.docx"' in home
    assert "Rencontre" not in (site / "2021.html").read_text(encoding="utf-8")
    assert broken_references(site) == []


def test_the_feed_is_atom_with_every_communique(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(archive, out)
    feed = ET.parse(out / "site" / "atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    assert feed.find(f"{ATOM}id").text == f"{URL}atom.xml"
    assert feed.find(f"{ATOM}updated").text.startswith("2022-06-01T00:00:00")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Rencontre des collectivités partenaires",
        "Annonce des lauréats au label EXPE-CT",
    ]
    first = entries[1]
    assert first.find(f"{ATOM}id").text == f"{URL}{NAME}.html"
    assert first.find(f"{ATOM}updated").text.startswith("2021-04-19T00:00:00")
    assert first.find(f"{ATOM}link").get("href") == f"{URL}{NAME}.html"
    content = first.find(f"{ATOM}content")
    assert content.get("type") == "html" and "11 collectivités" in content.text.replace("\xa0", " ")
    sitemap = ET.parse(out / "site" / "sitemap.xml").getroot()
    locations = [u.find(f"{SITEMAP}loc").text for u in sitemap]
    assert f"{URL}{NAME}.html" in locations and f"{URL}index.html" in locations


def test_the_search_index_holds_the_words_of_the_body(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(archive, out)
    index = (out / "site" / "recherche-index.js").read_text(encoding="utf-8")
    assert index.startswith("window.COMMUNIQUES_INDEX=[")
    assert " hydrologie " in index and " collectivites " in index  # accents removed
    home = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert '<script src="recherche-index.js"></script>' in home


def test_a_changed_communique_rewrites_only_what_shows_it(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(archive, out)
    before = digests(out / "site")
    assert "0 fichier(s) écrit(s)" in build_site(archive, out)  # nothing changed
    assert digests(out / "site") == before
    path = archive / "communiques" / "2022-06-01-rencontre.yaml"
    path.write_text(OTHER.replace("Rencontre des", "Grande rencontre des"), encoding="utf-8")
    build_site(archive, out)
    after = digests(out / "site")
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {
        "2022-06-01-rencontre.html", "2022-06-01-rencontre.fragment.html",
        "2022-06-01-rencontre.pdf", "2022-06-01-rencontre.docx",
        "index.html", "2022.html", "atom.xml", "recherche-index.js", ".etat.json",
    }  # fmt: skip
    assert "2021.html" not in changed and f"{NAME}.html" not in changed


def test_the_site_is_byte_reproducible_elsewhere(archive: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "un", tmp_path / "deux"
    build_site(archive, first)
    moved = tmp_path / "ailleurs"
    shutil.copytree(archive, moved)
    build_site(moved, second)
    assert digests(first / "site") == digests(second / "site")


def test_a_removed_communique_leaves_the_site(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(archive, out)
    (archive / "communiques" / "2022-06-01-rencontre.yaml").unlink()
    build_site(archive, out)
    site = out / "site"
    assert not (site / "2022-06-01-rencontre.html").exists()
    assert not (site / "2022.html").exists()
    assert "Rencontre" not in (site / "atom.xml").read_text(encoding="utf-8")
    assert broken_references(site) == []
