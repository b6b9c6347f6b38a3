"""The studio in a real browser: Debian's Chromium driven by Selenium through Debian's
chromedriver (no downloaded browser), against the real server started by the command."""

from __future__ import annotations

import contextlib
import re
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import capture_path, studio_process

pytest.importorskip("starlette", reason="le studio est un extra : pip install '.[studio]'")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium absent")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
    pytest.skip(
        "Chromium absent : apt-get install chromium chromium-driver (make test l'installe)",
        allow_module_level=True,
    )

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture
def studio(office: Path) -> Iterator[str]:
    process = studio_process(office)
    address = process.stdout.readline().strip()  # type: ignore[union-attr]
    try:
        yield address
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--lang=fr-FR",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait(condition: Callable[[], Any], seconds: float = 20, what: str = "") -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if value := condition():
                return value
        except Exception:  # the page is reloading
            pass
        time.sleep(0.05)
    raise AssertionError(f"attendu en {seconds} s : {what}")


def preview_version(driver: Any) -> str:
    return str(
        driver.execute_script("return document.getElementById('pages').dataset.version || ''")
    )


def preview_image(driver: Any) -> str:
    return str(
        driver.execute_script(
            "const i = document.querySelector('#pages img'); return i ? i.src : ''"
        )
    )


def type_into(driver: Any, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.click()
    field.send_keys("\ue009a")  # Ctrl+A
    field.send_keys(text)


def paste(driver: Any, element: Any, text: str) -> None:
    driver.execute_script(
        "const data = new DataTransfer(); data.setData('text', arguments[1]);"
        "arguments[0].dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));",
        element,
        text,
    )


def test_write_preview_save_and_follow_the_disk(studio: str, browser: Any, office: Path) -> None:
    browser.get(studio)
    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Communiqués de presse : Délégation pour l'action extérieure des collectivités"
        " territoriales (DAECT)"
    )
    assert "jeton" not in browser.current_url  # exchanged for the cookie

    # Create a communiqué from a modèle.
    Select(browser.find_element(By.ID, "nouveau-modele")).select_by_value("annonce-laureats")
    browser.find_element(By.ID, "nouveau-nom").send_keys("essai navigateur")
    browser.find_element(By.CSS_SELECTOR, "#nouveau button").click()
    wait(lambda: browser.current_url.endswith("/editer/essai-navigateur.yaml"), what="l'éditeur")
    path = office / "communiques" / "essai-navigateur.yaml"
    assert path.is_file()

    # Its example texts are errors, shown at their fields, until replaced (here on disk, while
    # the form is clean: the page follows); then the first preview comes.
    slot = browser.find_element(By.ID, "champ-titre-constat")
    wait(lambda: "Titre du communiqué" in slot.text, what="le texte d'exemple signalé au titre")
    assert "texte d'exemple du fichier de départ" in slot.text
    starter = path.read_text(encoding="utf-8")
    day = re.search(r"^date: (\S+)", starter, re.MULTILINE)[1]  # the comité, that same day
    filled = starter.replace("Titre du communiqué", "Annonce des lauréats")
    filled = filled.replace(": AAAA-MM-JJ", f": {day}").replace("Nom du lauréat", "Commune")
    path.write_text(filled, encoding="utf-8")
    first = wait(lambda: preview_version(browser), what="le premier aperçu")
    image = preview_image(browser)

    # A misspelt title: the preview changes and the finding appears at the title.
    type_into(browser, "champ-titre", "Annnonce des lauréats du comité")
    wait(
        lambda: preview_version(browser) != first and preview_image(browser) != image,
        what="un nouvel aperçu",
    )
    slot = browser.find_element(By.ID, "champ-titre-constat")
    wait(lambda: slot.is_displayed() and "Annnonce" in slot.text, what="le constat au titre")
    assert "« Annonce »" in slot.text
    assert browser.find_element(By.ID, "champ-titre").get_attribute("aria-invalid") == "true"
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(capture_path("studio.png", office.parent)))
    jump = wait(
        lambda: [
            b
            for b in browser.find_elements(By.CSS_SELECTOR, "#constats button")
            if "Annnonce" in b.text
        ]
    )
    jump[0].click()
    assert browser.switch_to.active_element.get_attribute("id") == "champ-titre"

    # Fixed: the finding goes.
    type_into(browser, "champ-titre", "Annonce des lauréats du comité")
    wait(lambda: not slot.is_displayed(), what="le constat effacé")

    # Three laureates pasted from a spreadsheet.
    first_row = browser.find_element(
        By.CSS_SELECTOR, '[data-table="comite.laureats"] tbody tr input[data-col="nom"]'
    )
    first_row.clear()
    time.sleep(0.5)
    before_paste = preview_version(browser)
    paste(
        browser,
        first_row,
        "Ville de Lyon\tCommune\nRégion Bretagne\tRégion\nCités Unies France\tassociation\n",
    )
    wait(
        lambda: preview_version(browser) not in ("", before_paste),
        what="l'aperçu des trois lauréats",
    )
    rows = browser.find_elements(By.CSS_SELECTOR, '[data-table="comite.laureats"] tbody tr')
    assert [
        r.find_element(By.CSS_SELECTOR, '[data-col="nom"]').get_attribute("value") for r in rows
    ] == [
        "Ville de Lyon",
        "Région Bretagne",
        "Cités Unies France",
    ]
    assert [
        r.find_element(By.CSS_SELECTOR, '[data-col="type"]').get_attribute("value") for r in rows
    ] == [
        "commune",
        "region",
        "association",
    ]

    # Save, and read the YAML on disk.
    browser.find_element(By.ID, "enregistrer").click()
    wait(lambda: browser.find_element(By.ID, "etat").text == "Enregistré", what="l'enregistrement")
    text = path.read_text(encoding="utf-8")
    assert "titre: Annonce des lauréats du comité" in text
    assert "# date du communiqué, AAAA-MM-JJ" in text  # the starter's comments are kept
    assert "- {nom: Ville de Lyon, type: commune}" in text
    assert "- {nom: Région Bretagne, type: region}" in text
    assert "- {nom: Cités Unies France, type: association}" in text
    wait(lambda: "Relecture : rien à signaler" in browser.page_source, what="la relecture propre")

    # Changed on disk while the form is clean: the page follows.
    path.write_text(
        text.replace("titre: Annonce des lauréats du comité", "titre: Titre venu du disque"),
        encoding="utf-8",
    )
    wait(
        lambda: (
            browser.find_element(By.ID, "champ-titre").get_attribute("value")
            == "Titre venu du disque"
        ),
        what="le formulaire rechargé",
    )

    # Edited here while the file changes on disk: the conflict is offered, nothing is lost.
    type_into(browser, "champ-lieu", "Lyon")
    time.sleep(0.3)
    disk = path.read_text(encoding="utf-8").replace(
        "titre: Titre venu du disque", "titre: Encore un autre"
    )
    path.write_text(disk, encoding="utf-8")
    wait(
        lambda: browser.find_element(By.ID, "alerte-disque").is_displayed(),
        what="l'alerte du disque",
    )
    browser.find_element(By.ID, "enregistrer").click()
    wait(lambda: browser.find_element(By.ID, "conflit").is_displayed(), what="le conflit")
    assert "titre: Encore un autre" in browser.find_element(By.ID, "conflit-disque").text
    mine = browser.find_element(By.ID, "conflit-vous").text
    assert "lieu: Lyon" in mine and "titre: Titre venu du disque" in mine
    assert path.read_text(encoding="utf-8") == disk
    browser.find_element(By.ID, "garder-mienne").click()
    wait(lambda: "lieu: Lyon" in path.read_text(encoding="utf-8"), what="ma version gardée")
    assert "titre: Titre venu du disque" in path.read_text(encoding="utf-8")  # mine, as shown


def test_unsaved_edits_survive_a_reload(studio: str, browser: Any, office: Path) -> None:
    browser.get(studio)
    browser.get(studio.split("/?")[0] + "/editer/2021-04-19-expe-ct.yaml")
    wait(lambda: preview_version(browser), what="l'aperçu")
    type_into(browser, "champ-sous_titre", "Un sous-titre non enregistré")
    wait(
        lambda: browser.find_element(By.ID, "etat").text.startswith("Modifications"),
        what="l'état modifié",
    )
    browser.execute_script("window.onbeforeunload = null; window.addEventListener = () => {};")
    browser.refresh()
    with contextlib.suppress(Exception):
        browser.switch_to.alert.accept()  # the "leave the page?" question, if asked
    wait(
        lambda: (
            browser.find_element(By.ID, "champ-sous_titre").get_attribute("value")
            == "Un sous-titre non enregistré"
        ),
        what="le brouillon restauré",
    )
    assert "restaurées" in browser.find_element(By.ID, "etat").text
    assert "Un sous-titre non enregistré" not in (
        office / "communiques" / "2021-04-19-expe-ct.yaml"
    ).read_text(encoding="utf-8")


def test_the_editor_works_from_the_keyboard(studio: str, browser: Any) -> None:
    from selenium.webdriver.common.keys import Keys

    browser.get(studio)
    browser.get(studio.split("/?")[0] + "/editer/2021-04-19-expe-ct.yaml")
    wait(lambda: preview_version(browser), what="l'aperçu")
    rows = lambda: browser.find_elements(By.CSS_SELECTOR, '[data-table="comite.laureats"] tbody tr')  # noqa: E731
    assert len(rows()) == 11
    add = browser.find_element(By.CSS_SELECTOR, '[data-table="comite.laureats"] [data-ajouter]')
    add.send_keys(Keys.ENTER)  # a real button: Enter works
    assert len(rows()) == 12
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-champ") == "comite.laureats[11].nom"
    focused.send_keys("Ville de Brest")
    focused.send_keys(Keys.TAB)  # to the type
    assert browser.switch_to.active_element.get_attribute("data-col") == "type"
    delete = rows()[0].find_element(By.CSS_SELECTOR, "[data-supprimer]")
    delete.send_keys(Keys.ENTER)
    assert len(rows()) == 11
    assert (
        browser.find_element(
            By.CSS_SELECTOR, '[data-champ="comite.laureats[10].nom"]'
        ).get_attribute("value")
        == "Ville de Brest"
    )
