"""The archive site in a real browser: Chromium (Debian's chromium and chromium-driver)
driven by Selenium, with the network cut. Screenshots at 360 and 1280 px are kept in docs/ (make captures)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import capture_path
from test_cli import run
from test_site import OTHER
from test_web_edition import NAME

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="chromium et chromium-driver absents (scripts/system-deps.sh --test)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import EXAMPLE

    office = tmp_path_factory.mktemp("bureau") / "daect"
    shutil.copytree(EXAMPLE, office)
    (office / "communiques" / "2022-06-01-rencontre.yaml").write_text(OTHER, encoding="utf-8")
    out = office.parent / "build"
    result = run("build", str(office), "--out", str(out), "--site", cwd=office)
    assert result.returncode == 0, result.stderr
    return out / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                     "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND",
                     "--disable-background-networking", "--no-first-run"):  # fmt: skip
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(DRIVER))
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    yield driver
    driver.quit()


def open_page(driver: object, page: Path, width: int) -> list[str]:
    """Opens `page` at `width` px; returns the URLs it requested."""
    driver.get_log("performance")  # type: ignore[attr-defined]  # forget earlier pages
    driver.set_window_size(width, 900)  # type: ignore[attr-defined]
    driver.get(page.as_uri())  # type: ignore[attr-defined]
    requests = []
    for entry in driver.get_log("performance"):  # type: ignore[attr-defined]
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return requests


def screenshot(driver: object, name: str, elsewhere: Path) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")  # type: ignore[attr-defined]
    width = driver.execute_script("return window.innerWidth")  # type: ignore[attr-defined]
    driver.set_window_size(width, min(height + 100, 4000))  # type: ignore[attr-defined]
    driver.save_screenshot(str(capture_path(name, elsewhere)))  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("page", ["index.html", f"{NAME}.html", "2021.html"])
def test_pages_load_offline_without_errors_and_fit(
    site: Path, browser: object, page: str, width: int
) -> None:
    requests = open_page(browser, site / page, width)
    assert requests and all(url.startswith(site.as_uri()) for url in requests), requests
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]  # type: ignore[attr-defined]
    assert errors == []
    script = "return [...document.images].map(i => [i.src, i.complete && i.naturalWidth > 0])"
    images = browser.execute_script(script)  # type: ignore[attr-defined]
    assert images and all(loaded for _, loaded in images), images
    overflow = browser.execute_script(  # type: ignore[attr-defined]
        "return document.documentElement.scrollWidth - window.innerWidth"
    )
    assert overflow <= 0, f"{page} déborde de {overflow} px à {width} px"
    color = browser.execute_script(  # type: ignore[attr-defined]
        "return getComputedStyle(document.querySelector('h1')).color"
    )
    assert color == "rgb(31, 58, 95)"  # the office's accent: the stylesheet is applied
    name = {"index.html": "accueil", f"{NAME}.html": "communique", "2021.html": "annee"}[page]
    screenshot(browser, f"site-{name}-{width}.png", site.parent)


def test_the_communique_page_shows_the_logo_and_its_files(site: Path, browser: object) -> None:
    open_page(browser, site / f"{NAME}.html", 1280)
    text = browser.find_element("tag name", "body").text  # type: ignore[attr-defined]
    assert "page  sur" not in text and "page sur" not in text
    assert "Télécharger le communiqué en PDF" in text
    logo = browser.find_element("css selector", "img.logo")  # type: ignore[attr-defined]
    assert logo.get_attribute("naturalWidth") != "0" and logo.size["height"] > 40


def test_search_finds_a_communique_by_a_word_of_its_body(site: Path, browser: object) -> None:
    open_page(browser, site / "index.html", 1280)
    field = browser.find_element("id", "recherche-mots")  # type: ignore[attr-defined]
    field.send_keys("hydrologie")
    results = browser.find_elements("css selector", "#recherche-resultats a")  # type: ignore[attr-defined]
    assert [r.text for r in results] == ["Rencontre des collectivités partenaires"]
    status = browser.find_element("id", "recherche-etat").text  # type: ignore[attr-defined]
    assert status == "1 communiqué trouvé."
    field.clear()
    field.send_keys("gouvernance")  # in both
    results = browser.find_elements("css selector", "#recherche-resultats a")  # type: ignore[attr-defined]
    assert len(results) == 2
    field.clear()
    field.send_keys("introuvablexyz")
    assert browser.find_elements("css selector", "#recherche-resultats a") == []  # type: ignore[attr-defined]


def test_every_link_of_the_home_page_resolves_in_the_browser(site: Path, browser: object) -> None:
    open_page(browser, site / "index.html", 1280)
    hrefs = browser.execute_script("return [...document.links].map(a => a.href)")  # type: ignore[attr-defined]
    local = [h.split("#")[0] for h in hrefs if h.startswith("file:")]
    assert local and all(Path(h.removeprefix("file://")).is_file() for h in local), local
