"""The web edition (--format html): a page that displays offline, and a CMS fragment."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from conftest import EXAMPLE
from test_cli import run
from test_english import COMMUNIQUE, ORGANISATION, PROGRAMME

NAME = "2021-04-19-expe-ct"
URL = "https://presse.exemple.fr/communiques/"


def local_references(page: Path) -> list[str]:
    """Every src/href of a page that is not an external link written by the user."""
    root = lxml.html.fromstring(page.read_bytes())
    refs = [v for el in root.iter() for a in ("src", "href") if (v := el.get(a)) is not None]
    return [r for r in refs if not urlsplit(r).scheme and not r.startswith("#")]


def broken_references(folder: Path) -> list[str]:
    broken = []
    for page in folder.rglob("*.html"):
        for ref in local_references(page):
            target = (page.parent / unquote(urlsplit(ref).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.name} → {ref}")
    return broken


@pytest.fixture
def built(office: Path, tmp_path: Path) -> Path:
    out = tmp_path / "sortie"
    result = run("build", str(office), "--out", str(out), "--format", "pdf,docx,html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return out


def test_the_web_page_is_a_page_of_its_own(built: Path) -> None:
    html = (built / f"{NAME}.html").read_text(encoding="utf-8")
    assert "asset:" not in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "page-courante" not in html and "pagination" not in html and " sur </p>" not in html
    root = lxml.html.fromstring(html)
    body = root.find("body")
    # semantic order: skip link, header, main (title, body, contacts, files), footer
    order = [el.tag for el in body.iter("header", "main", "footer", "h1")]
    assert order == ["header", "main", "h1", "footer"]
    assert body.find(".//a[@class='evitement']").get("href") == "#contenu"
    assert root.find(".//main").get("id") == "contenu"
    main_text = root.find(".//main").text_content()
    assert main_text.index("Annonce des lauréats") < main_text.index("Contact")
    assert main_text.index("Contact") < main_text.index("Télécharger le communiqué en PDF")
    links = {a.get("href"): a.text_content() for a in root.iter("a")}
    assert links[f"{NAME}.pdf"] == "Télécharger le communiqué en PDF"
    assert links[f"{NAME}.docx"].startswith("Télécharger le communiqué modifiable")
    logo = root.find(".//img[@class='logo']").get("src")
    assert re.fullmatch(r"assets/logos/daect\.[0-9a-f]{10}\.png", logo)
    data = (built / logo).read_bytes()
    assert logo.split(".")[-2] == hashlib.sha256(data).hexdigest()[:10]
    assert data == Path("examples/daect/assets/logos/daect.png").read_bytes()
    stylesheet = root.find(".//link[@rel='stylesheet']").get("href")
    assert (built / stylesheet).read_bytes().startswith(b"/* The web edition")
    assert broken_references(built) == []


def test_the_pdf_and_docx_are_unchanged_by_the_web_edition(built: Path) -> None:
    """Built with the web edition, they are the bytes of a build without it."""
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    source = EXAMPLE / "communiques" / f"{NAME}.yaml"
    office = PressOffice.find(source)
    alone = render(load(source, office), Theme.of(office), ("pdf", "docx"))
    assert (built / f"{NAME}.pdf").read_bytes() == alone["pdf"]
    assert (built / f"{NAME}.docx").read_bytes() == alone["docx"]


def test_sharing_tags_and_json_ld(built: Path) -> None:
    root = lxml.html.fromstring((built / f"{NAME}.html").read_bytes())
    meta = {m.get("property") or m.get("name"): m.get("content") for m in root.iter("meta")}
    assert meta["og:title"] == "Annonce des lauréats au label EXPE-CT"
    assert meta["og:type"] == "article" and meta["og:locale"] == "fr_FR"
    assert meta["og:site_name"].startswith("Délégation pour l’action extérieure")
    assert meta["article:published_time"] == "2021-04-19"
    assert meta["twitter:card"] == "summary"
    assert meta["description"] == meta["og:description"] != ""
    (script,) = root.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle" and data["datePublished"] == "2021-04-19"
    assert data["inLanguage"] == "fr-FR" and data["headline"] == meta["og:title"]
    assert data["publisher"]["name"] == meta["og:site_name"]
    assert root.find(".//link[@rel='canonical']") is None  # no url_publication: no guess


def test_the_fragment_is_the_article_alone(built: Path) -> None:
    fragment = (built / f"{NAME}.fragment.html").read_text(encoding="utf-8")
    assert fragment.startswith('<article class="communique" lang="fr-FR">')
    assert fragment.rstrip().endswith("</article>")
    for forbidden in ("<script", "<style", "style=", "<html", "<head", "<header", "<footer"):
        assert forbidden not in fragment
    words = lxml.html.fromstring(fragment).text_content().replace("\xa0", " ")
    assert "Annonce des lauréats au label EXPE-CT" in words and "Contact" in words


def test_a_publication_url_gives_canonical_and_absolute_urls(office: Path, tmp_path: Path) -> None:
    organisation = office / "organisations" / "daect.yaml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8") + f"url_publication: {URL}\n", encoding="utf-8"
    )
    out = tmp_path / "sortie"
    assert (
        run(
            "build", str(office), "--out", str(out), "--format", "html,pdf", cwd=tmp_path
        ).returncode
        == 0
    )
    root = lxml.html.fromstring((out / f"{NAME}.html").read_bytes())
    assert root.find(".//link[@rel='canonical']").get("href") == f"{URL}{NAME}.html"
    meta = {m.get("property") or m.get("name"): m.get("content") for m in root.iter("meta")}
    assert meta["og:url"] == f"{URL}{NAME}.html"
    assert re.fullmatch(re.escape(URL) + r"assets/logos/daect\.[0-9a-f]{10}\.png", meta["og:image"])
    data = json.loads(root.xpath("//script[@type='application/ld+json']")[0].text)
    assert (
        data["url"] == f"{URL}{NAME}.html" and data["publisher"]["logo"]["url"] == meta["og:image"]
    )
    fragment = lxml.html.fromstring((out / f"{NAME}.fragment.html").read_bytes())
    assert fragment.xpath("//a[contains(., 'PDF')]/@href") == [f"{URL}{NAME}.pdf"]
    assert not (out / f"{NAME}.docx").exists()
    assert "DOCX" not in (out / f"{NAME}.html").read_text(encoding="utf-8")


def test_two_languages_link_each_other_with_hreflang(office: Path, tmp_path: Path) -> None:
    (office / "organisations" / "daect.yaml").write_text(ORGANISATION, encoding="utf-8")
    (office / "programmes" / "expe-ct.yaml").write_text(PROGRAMME, encoding="utf-8")
    for old in (office / "communiques").iterdir():
        old.unlink()
    (office / "communiques" / "2021-04-19-laureats.yaml").write_text(COMMUNIQUE, encoding="utf-8")
    out = tmp_path / "sortie"
    result = run("build", str(office), "--out", str(out), "--format", "html,pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    french = lxml.html.fromstring((out / "2021-04-19-laureats.fr.html").read_bytes())
    english = lxml.html.fromstring((out / "2021-04-19-laureats.en.html").read_bytes())
    assert english.get("lang") == "en-GB"
    link = english.xpath("//a[@hreflang='fr']")[0]
    assert link.get("href") == "2021-04-19-laureats.fr.html"
    assert link.text_content() == "Lire ce communiqué en français" and link.get("lang") == "fr"
    assert french.xpath("//a[@hreflang='en']/@href") == ["2021-04-19-laureats.en.html"]
    assert english.xpath("//a[@type='application/pdf']/@href") == ["2021-04-19-laureats.en.pdf"]
    alternates = {
        link.get("hreflang"): link.get("href") for link in french.xpath("//link[@rel='alternate']")
    }
    assert alternates == {"fr": "2021-04-19-laureats.fr.html", "en": "2021-04-19-laureats.en.html"}
    assert (
        "Embargoed until" in english.text_content() or "embargo" in english.text_content().lower()
    )
    assert "Skip to content" in english.text_content()
    assert broken_references(out) == []


def test_data_cannot_close_the_json_ld_script(office: Path, tmp_path: Path) -> None:
    path = office / "communiques" / f"{NAME}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "titre: Annonce des lauréats au label EXPE-CT",
            'titre: "</script><script>alert(1)</script>"',
        ),
        encoding="utf-8",
    )
    out = tmp_path / "sortie"
    assert (
        run("build", str(office), "--out", str(out), "--format", "html", cwd=tmp_path).returncode
        == 0
    )
    html = (out / f"{NAME}.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    root = lxml.html.fromstring(html)
    assert len(root.xpath("//script")) == 1
    data = json.loads(root.xpath("//script")[0].text)
    assert data["headline"] == "</script><script>alert(1)</script>"
