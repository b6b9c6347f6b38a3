"""The office is where the user says or stands, never elsewhere: found from the current folder
upward (marker communiques.toml), never in the tool's own code, `init` makes one, `new`
writes in it. Run through the real CLI, in folders laid out as a new user's are."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from communiques.errors import DataErrors, UsageError
from communiques.sources import PressOffice

NO_OFFICE = (
    "erreur : aucun bureau de presse ici ni au-dessus (fichier communiques.toml) : créez-en un "
    "avec `communiques init DOSSIER`, ou nommez-le avec --bureau DOSSIER\n"
)


def run(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "communiques", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=180, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def tree(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.fixture
def day_one(tmp_path: Path) -> Path:
    """A clone of the tool (`git clone` names it communiques/) beside an empty folder."""
    clone = tmp_path / "communiques"
    (clone / "communiques").mkdir(parents=True)
    (clone / "communiques" / "__init__.py").write_text("", encoding="utf-8")
    (clone / "pyproject.toml").write_text('[project]\nname = "communiques"\n', encoding="utf-8")
    (clone / "organisations").mkdir()
    (clone / "examples" / "daect" / "communiques").mkdir(parents=True)
    (tmp_path / "mon-bureau").mkdir()
    (tmp_path / "organisations").mkdir()  # beside the clone: still not an office
    return tmp_path


def test_without_an_office_commands_name_init_and_write_nothing(day_one: Path) -> None:
    before = tree(day_one)
    for args in (["new", "premier-essai"], ["check"], ["build"], ["list"]):
        result = run(*args, cwd=day_one / "mon-bureau", home=day_one)
        assert (result.returncode, result.stderr) == (2, NO_OFFICE), args
    assert tree(day_one) == before


def test_the_tool_s_own_code_is_never_an_office(day_one: Path) -> None:
    clone = day_one / "communiques"
    (clone / "communiques.toml").write_text('lieu = "Paris"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="aucun bureau de presse ici"):
        PressOffice.find(clone)
    with pytest.raises(UsageError, match="aucun bureau de presse ici"):
        PressOffice.find(clone / "examples" / "daect")  # the search stops at the code
    with pytest.raises(UsageError, match="contient le code de communiques, pas un bureau"):
        PressOffice.named(clone)


def test_the_marker_is_found_upward_and_the_search_stops_at_a_git_root(tmp_path: Path) -> None:
    (tmp_path / "communiques.toml").write_text('lieu = "Lyon"\n', encoding="utf-8")
    inner = tmp_path / "depot" / "communiques" / "2026"
    inner.mkdir(parents=True)
    assert PressOffice.find(inner).root == tmp_path
    assert PressOffice.find(inner).settings.lieu == "Lyon"
    (tmp_path / "depot" / ".git").mkdir()
    with pytest.raises(UsageError, match="aucun bureau de presse ici"):
        PressOffice.find(inner)


def test_an_office_without_marker_still_works_with_a_notice(
    office: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (office / "communiques.toml").unlink()
    assert PressOffice.find(office / "communiques").root == office
    notice = (
        f"note : {office} n'a pas de fichier communiques.toml : lancez `communiques init` dans "
        "ce dossier pour le marquer comme bureau de presse\n"
    )
    assert capfd.readouterr().err == notice


def test_unknown_settings_are_reported_at_their_line(tmp_path: Path) -> None:
    (tmp_path / "communiques.toml").write_text(
        'lieu = "Lyon"\n\nsortir = "pdf"\n', encoding="utf-8"
    )
    with pytest.raises(DataErrors) as raised:
        assert PressOffice.find(tmp_path).settings is None  # raises first
    assert [str(d) for d in raised.value.errors] == [
        f"{tmp_path / 'communiques.toml'}:3:1: erreur: sortir: réglage inconnu : les réglages "
        "sont lieu, langues, sortie"
    ]


def test_bureau_names_the_office_from_anywhere(office: Path, day_one: Path) -> None:
    result = run("new", "--bureau", str(office), "essai", cwd=day_one / "mon-bureau", home=day_one)
    assert result.returncode == 0, result.stderr
    assert (office / "communiques" / "essai.yaml").is_file()
    assert tree(day_one / "mon-bureau") == set()


def test_new_takes_the_date_of_the_name_and_the_place_of_the_office(
    office: Path, tmp_path: Path
) -> None:
    (office / "communiques.toml").write_text('lieu = "Clermont-Ferrand"\n', encoding="utf-8")
    run("new", "2026-06-02-essai", "--modele", "annonce-comite", cwd=office, home=tmp_path)
    text = (office / "communiques" / "2026-06-02-essai.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "lieu: Clermont-Ferrand" in lines
    assert "date: 2026-06-02                # date du communiqué, AAAA-MM-JJ" in lines
    assert "  date: 2026-06-02              # date du comité, après celle du communiqué" in lines
    run("new", "sans-date", cwd=office / "communiques", home=tmp_path)
    text = (office / "communiques" / "sans-date.yaml").read_text(encoding="utf-8")
    assert f"date: {dt.date.today().isoformat()}                # AAAA-MM-JJ" in text.splitlines()
    result = run("new", "2026-02-30-essai", cwd=office, home=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "erreur : le nom commence par la date 2026-02-30, qui n'existe pas : corrigez-la "
        "(AAAA-MM-JJ) ou retirez-la\n",
    )
