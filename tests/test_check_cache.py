"""What `check` keeps in the user's cache folder between runs: each body's laid-out measure,
read back while neither the HTML nor the theme changed, and never across versions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from communiques import cache
from communiques.check import check_file
from communiques.check.measure import TABLE, Measurer

EXAMPLE = Path("communiques") / "2021-04-19-expe-ct.yaml"


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "communiques"


def checked(office: Path) -> list[str]:
    measurer = Measurer()
    found = [f.message for f in check_file(office / EXAMPLE, measurer=measurer)]
    measurer.save()
    return found


def forge(cache_folder: Path, pages: float) -> None:
    """Every stored measure replaced by `pages`, as if the body had been that long."""
    path = cache_folder / f"{TABLE}.json"
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["entrees"] = dict.fromkeys(stored["entrees"], pages)
    path.write_text(json.dumps(stored), encoding="utf-8")


def test_a_measure_is_read_back_until_the_theme_changes(office: Path, cache_folder: Path) -> None:
    assert checked(office) == []
    stored = json.loads((cache_folder / f"{TABLE}.json").read_text(encoding="utf-8"))
    assert len(stored["entrees"]) == 1  # the example's one edition
    (measure,) = stored["entrees"].values()
    assert 0.2 < measure < 1

    forge(cache_folder, 3.0)
    assert checked(office) == [
        "le texte fait 3,0 pages une fois mis en page : plus d'une page"
    ]  # read from the cache: nothing was laid out

    logo = office / "assets" / "logos" / "daect.png"
    logo.write_bytes(logo.read_bytes())  # saved again: the theme may have changed
    assert checked(office) == []  # measured again


def test_a_changed_text_is_measured_again(office: Path, cache_folder: Path) -> None:
    assert checked(office) == []
    forge(cache_folder, 3.0)
    source = office / EXAMPLE
    source.write_text(
        source.read_text(encoding="utf-8").replace("Annonce des", "Annonce officielle des"),
        encoding="utf-8",
    )
    assert checked(office) == []


def test_a_table_is_never_read_by_another_version_nor_when_damaged(cache_folder: Path) -> None:
    table = cache.Table("essai", "version-a")
    table.put("clé", 1.5)
    table.save()
    assert cache.Table("essai", "version-a").get("clé") == 1.5
    assert cache.Table("essai", "version-b").get("clé") is None
    (cache_folder / "essai.json").write_bytes(b"\x00{pas du json")
    assert cache.Table("essai", "version-a").get("clé") is None


def test_a_cache_that_cannot_be_written_is_left_alone(
    office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "fichier"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file: no folder can be made in it
    assert checked(office) == []


def test_hunspell_suggestions_are_kept_for_the_next_check(office: Path, tmp_path: Path) -> None:
    """Through the command, as a user runs it twice: the second run reads the suggestion
    the first one stored (forged here, to tell it from Hunspell's own)."""
    source = office / "communiques" / "essai.yaml"
    source.write_text(
        "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: Une fautte\n", encoding="utf-8"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def suggested() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "communiques", "check", "--sans-mise-en-page", str(source)],
            cwd=office, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.strip().rsplit("→ ", 1)[-1]

    assert suggested() == "« faute »"
    table = tmp_path / "cache" / "communiques" / "suggestions.json"
    stored = json.loads(table.read_text(encoding="utf-8"))
    assert "faute" in stored["entrees"]["fr_FR:fautte"]
    stored["entrees"]["fr_FR:fautte"] = ["fautes"]
    table.write_text(json.dumps(stored), encoding="utf-8")
    assert suggested() == "« fautes »"


def test_the_word_lists_of_older_versions_are_removed_and_nothing_else(
    office: Path, cache_folder: Path, tmp_path: Path
) -> None:
    """Versions before Hunspell kept a 1.5 MB word list per dictionary in the cache: the
    first table written removes them; a file of the user's, even named alike, stays."""
    cache_folder.mkdir(parents=True)
    former = [
        cache_folder / "mots-fr-497432-1796400824592078921-par-frequence.txt",
        cache_folder / "mots-en-310228-1796400824592078921.txt",
    ]
    for path in former:
        path.write_text("de\nla\n", encoding="utf-8")
    outside = tmp_path / "mots-de-l-utilisateur.txt"
    outside.write_text("à garder\n", encoding="utf-8")
    kept = [cache_folder / "mots-fr-notes.txt", cache_folder / "mots-fr-1-2-par-frequence.txt.bak"]
    for path in kept:
        path.write_text("à garder\n", encoding="utf-8")
    link = cache_folder / "mots-fr-1-2.txt"
    link.symlink_to(outside)

    assert checked(office) == []  # writes the measure table
    assert not any(path.exists() for path in former)
    assert all(path.read_text(encoding="utf-8") == "à garder\n" for path in [*kept, outside])
    assert link.is_symlink()  # not a file we wrote: left alone
