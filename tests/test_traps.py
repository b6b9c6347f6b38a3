"""YAML's traps met in ordinary French text, each explained where it happens with its fix:
a ` #` that swallows the end of a title, a ` : ` inside a value, a line indented off, an
impossible date, a reference misspelt, a required field missing, a value of the wrong kind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from communiques.errors import DataErrors
from communiques.resolve import load
from communiques.sources import load_yaml

SEED = "communiques/2021-04-19-expe-ct.yaml"
SEED_TITLE = "titre: Annonce des lauréats au label EXPE-CT"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "communiques", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def read(tmp_path: Path, text: str) -> list[str]:
    """The errors of a file holding `text`, without its path."""
    path = tmp_path / "essai.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        load_yaml(path)
    return [str(error).removeprefix(f"{path}:") for error in raised.value]


def errors_of(office: Path, old: str, new: str) -> list[str]:
    """The diagnostics of the example communiqué with `old` replaced by `new`."""
    path = office / SEED
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        load(path)
    return [str(error).replace(f"{office}/", "") for error in raised.value]


LOST = (
    "communiques/2021-04-19-expe-ct.yaml:8:36: avertissement: titre: « #BourgsCentres et #ARA » "
    "est lu comme un commentaire (un # après une espace) et ne sera pas publié → mettez la "
    'valeur entre guillemets : titre: "Ambert rejoint le programme #BourgsCentres et #ARA"'
)


def test_a_hashtag_in_a_title_is_a_warning_in_check_and_build(office: Path) -> None:
    path = office / SEED
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(SEED_TITLE, "titre: Ambert rejoint le programme #BourgsCentres et #ARA"),
        encoding="utf-8",
    )
    checked = run("check", "--sans-mise-en-page", cwd=office)
    assert checked.returncode == 0, checked.stderr
    assert LOST in checked.stdout.splitlines()
    built = run("build", "--format", "html", cwd=office)
    assert built.returncode == 0, built.stderr
    assert LOST in built.stderr.splitlines()
    assert "1 construit(s)" in built.stderr


def test_comments_that_are_notes_are_not_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "date: 2026-06-02   # AAAA-MM-JJ\n"
        "titre: 'Le programme #ARA' #ARA\n"  # quoted: the author chose where it ends
        "corps: |  #note\n  Texte #ici\n"  # inside a block, a # is text
        "lieu: Lyon #   ## décoration\n",
        encoding="utf-8",
    )
    document = load_yaml(path)
    assert document.data["corps"] == "Texte #ici\n"
    assert document.warnings == []


def test_a_hashtag_in_a_list_item_and_an_emptied_value(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("sous_titre: #ARA\nliste:\n  - Lyon #ARA\n", encoding="utf-8")
    assert [str(w).removeprefix(f"{path}:") for w in load_yaml(path).warnings] == [
        "1:13: avertissement: sous_titre: « #ARA » est lu comme un commentaire (un # après une "
        'espace) et ne sera pas publié → mettez la valeur entre guillemets : sous_titre: "#ARA"',
        "3:10: avertissement: liste[0]: « #ARA » est lu comme un commentaire (un # après une "
        'espace) et ne sera pas publié → mettez la valeur entre guillemets : - "Lyon #ARA"',
    ]


def test_a_colon_inside_a_value_names_the_value_and_shows_it_quoted(tmp_path: Path) -> None:
    assert read(tmp_path, "lieu: Lyon\ntitre: Prix de l'innovation : les lauréats\n") == [
        "2:29: erreur: titre: YAML invalide : « : » suivi d'une espace, dans la valeur de titre, "
        "commence une clé → mettez la valeur entre guillemets : "
        'titre: "Prix de l\'innovation : les lauréats"'
    ]
    assert read(tmp_path, 'titre: Le "Pacte" : signé\n')[0].endswith(
        "mettez la valeur entre guillemets : titre: 'Le \"Pacte\" : signé'"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("titre: Annonce\n  lieu: Lyon\n",
         "2:3: erreur: lieu: YAML invalide : ligne 2 mal alignée : « lieu » (colonne 3) est plus "
         "à droite que « titre » (ligne 1), qui a déjà sa valeur → alignez « lieu » sur « titre » "
         "(colonne 1)"),
        ("comite:\n  date: 2021-03-24\n laureats: []\n",
         "3:2: erreur: laureats: YAML invalide : ligne 3 mal alignée : « laureats » (colonne 2) "
         "n'est aligné ni sur « date » (ligne 2, colonne 3) ni sur « comite » (ligne 1, "
         "colonne 1) → alignez-le sur « date » s'il en est le voisin, sur « comite » sinon, "
         "avec des espaces"),
        ("comite:\n  laureats:\n    - {nom: Lyon}\n\n   # un commentaire\n   - {nom: Vals}\n",
         "6:4: erreur: YAML invalide : ligne 6 mal alignée : « - {nom: Vals} » (colonne 4) "
         "n'est aligné ni sur « - {nom: Lyon} » (ligne 3, colonne 5) ni sur « laureats » "
         "(ligne 2, colonne 3) → alignez-le sur « - {nom: Lyon} » s'il en est le voisin, sur "
         "« laureats » sinon, avec des espaces"),
    ],
)  # fmt: skip
def test_bad_indentation_names_the_lines_it_is_misaligned_with(
    tmp_path: Path, text: str, message: str
) -> None:
    assert read(tmp_path, text) == [message]
