"""Benchmark of `communiques studio` (issue 17): medians of
- keystroke → new page image shown in Chromium, split by stage (validation, proofreading,
  layout, rasterising on the server; transfer; decoding and display in the browser), for the
  example (1 page) and for a 3-page communiqué; the debounce (120 ms) is part of the total;
- server start → address printed;
- the server's memory (RSS) over 500 successive edits.

    .venv/bin/python bench/studio.py [--quick]
"""

from __future__ import annotations

import http.cookiejar
import json
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daect"
NAME = "2021-04-19-expe-ct.yaml"
LONG = "trois-pages.yaml"
TYPES = ("region", "departement", "commune", "intercommunalite", "association")


def office(folder: Path) -> Path:
    root = folder / "bureau"
    shutil.copytree(EXAMPLE, root)
    text = (root / "communiques" / NAME).read_text(encoding="utf-8")
    head = text.split("  laureats:")[0]
    rows = "".join(
        f"    - {{nom: Collectivité numéro {i}, type: {TYPES[i % 5]}}}\n" for i in range(150)
    )
    paragraph = (
        "  Les collectivités lauréates partagent leur expertise avec leurs partenaires étrangers "
        "dans les domaines de l'eau, de la culture, de la mobilité et de la gouvernance locale ; "
        "elles accueillent des délégations et envoient leurs agents en mission.\n\n"
    )
    corps = "corps: |\n" + paragraph * 22
    (root / "communiques" / LONG).write_text(
        head + "  laureats:\n" + rows + corps, encoding="utf-8"
    )
    return root


def start(root: Path) -> tuple[subprocess.Popen[str], str, float]:
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "communiques", "studio", "--bureau", str(root), "--sans-navigateur"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    address = process.stdout.readline().strip()  # type: ignore[union-attr]
    return process, address, time.perf_counter() - began


def stop(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=30)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def keystrokes(address: str, name: str, count: int) -> list[dict[str, float]]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(address)
        driver.get(address.split("/?")[0] + f"/editer/{name}")
        measures = lambda: driver.execute_script("return window.studioMesures.length")  # noqa: E731
        _until(lambda: measures() >= 1)
        field = driver.find_element(By.ID, "champ-titre")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        for i in range(count):
            seen = measures()
            field.send_keys("abcdefghij"[i % 10])
            _until(lambda seen=seen: measures() > seen)
            time.sleep(0.15)
        return list(driver.execute_script("return window.studioMesures"))[1:]
    finally:
        driver.quit()


def _until(condition: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.01)
    raise TimeoutError


def memory(address: str, pid: int, edits: int) -> list[tuple[int, float]]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(address).read()
    base = address.split("/?")[0]
    points = []
    for i in range(1, edits + 1):
        body = json.dumps({"donnees": {"titre": f"Annonce des lauréats, édition {i}"}}).encode()
        request = urllib.request.Request(
            f"{base}/api/apercu/{NAME}", body, {"Origin": base, "Content-Type": "application/json"}
        )
        opener.open(request).read()
        if i in (10, 50, 100, 250, 500) or i == edits:
            points.append((i, rss_mb(pid)))
    return points


def median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as folder:
        root = office(Path(folder))
        starts = []
        for _ in range(3 if quick else 7):
            process, _, seconds = start(root)
            starts.append(seconds)
            stop(process)
        print(
            f"démarrage → adresse affichée : médiane {statistics.median(starts):.2f} s sur {len(starts)} (cible < 1,5 s)"
        )
        process, address, _ = start(root)
        try:
            time.sleep(2)  # the warm-up
            for name, label, target in ((NAME, "l'exemple (1 page)", 400), (LONG, "3 pages", 800)):
                rows = keystrokes(address, name, 8 if quick else 25)
                transfer = [r["aller_retour"] - r["serveur_total"] for r in rows]
                print(
                    f"frappe → image, {label} : médiane {median(rows, 'total'):.0f} ms sur {len(rows)} (cible ≤ {target} ms) ; "
                    f"dont attente après la frappe 120, validation {median(rows, 'validation'):.0f}, "
                    f"relecture {median(rows, 'relecture'):.0f}, mise en page {median(rows, 'mise_en_page'):.0f}, "
                    f"rastérisation {median(rows, 'rasterisation'):.0f}, transfert {statistics.median(transfer):.0f}, "
                    f"décodage et affichage {median(rows, 'affichage'):.0f} ms"
                )
            points = memory(address, process.pid, 100 if quick else 500)
            print(
                "mémoire du serveur (RSS) après n modifications : "
                + ", ".join(f"{n} : {mb:.0f} Mo" for n, mb in points)
            )
        finally:
            stop(process)


if __name__ == "__main__":
    main()
