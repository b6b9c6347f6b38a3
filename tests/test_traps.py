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
from communiques.yamlfile import load_yaml

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


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2026-02-30", "le 30 février 2026 n'existe pas (février 2026 a 28 jours)"),
        ("2027-02-29", "le 29 février 2027 n'existe pas (2027 n'est pas une année bissextile)"),
        ("2021-04-31", "le 31 avril 2021 n'existe pas (avril 2021 a 30 jours)"),
        ("2021-13-04", "« 2021-13-04 » : le mois 13 n'existe pas (de 01 à 12)"),
    ],
)
def test_an_impossible_date_says_the_day_does_not_exist(
    office: Path, date: str, message: str
) -> None:
    assert errors_of(office, "  date: 2021-03-24", f"  date: {date}") == [
        f"communiques/2021-04-19-expe-ct.yaml:11:9: erreur: comite.date: {message}"
    ]


def test_an_impossible_embargo_date_too(office: Path) -> None:
    embargo = "embargo: 2021-04-31T10:00:00+02:00\n"
    assert errors_of(office, "comite:", embargo + "comite:") == [
        "communiques/2021-04-19-expe-ct.yaml:10:10: erreur: embargo: le 31 avril 2021 n'existe "
        "pas (avril 2021 a 30 jours)"
    ]


def test_an_unknown_organisation_or_programme_gets_the_nearest_file(office: Path) -> None:
    path = office / SEED
    text = path.read_text(encoding="utf-8")
    text = text.replace("emetteur: daect", "emetteur: daetc").replace(
        "programme: expe-ct", "programme: expect"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        load(path)
    assert [str(error).replace(f"{office}/", "") for error in raised.value] == [
        "communiques/2021-04-19-expe-ct.yaml:6:11: erreur: emetteur: « daetc » introuvable : "
        "organisations/daetc.yaml n'existe pas : vouliez-vous dire « daect » ?",
        "communiques/2021-04-19-expe-ct.yaml:7:12: erreur: programme: « expect » introuvable : "
        "programmes/expect.yaml n'existe pas : vouliez-vous dire « expe-ct » ?",
    ]


def test_a_missing_field_is_reported_where_it_belongs_with_a_line_to_add(office: Path) -> None:
    assert errors_of(office, SEED_TITLE + "\n", "") == [
        "communiques/2021-04-19-expe-ct.yaml:25:1: erreur: titre: champ obligatoire manquant → "
        "ajoutez par exemple : titre: Lancement de l'appel à projets Territoires d'innovation"
    ]
    # In a nested mapping: after its last line, at its keys' column, before what follows.
    path = office / SEED
    path.write_text(
        "modele: communique\nlieu: Lyon\ndate: 2026-06-02\nemetteur: daect\ntitre: Essai\n"
        "liens:\n  - libelle: Le dossier\n\n# la suite\nchapo: Chapô.\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as raised:
        load(path)
    assert [str(error).replace(f"{office}/", "") for error in raised.value] == [
        "communiques/2021-04-19-expe-ct.yaml:8:5: erreur: liens[0].url: champ obligatoire "
        "manquant → ajoutez par exemple : url: https://www.exemple.gouv.fr/dossier"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("emetteur: daect", "emetteur: [daect, dgcl]",
         "6:11: erreur: emetteur: le nom d'un fichier de organisations/ ou une organisation "
         "décrite ici attendu"),
        ("programme: expe-ct", "programme: [expe-ct]",
         "7:12: erreur: programme: le nom d'un fichier de programmes/ ou un programme décrit ici "
         "attendu"),
    ],
)  # fmt: skip
def test_a_reference_of_the_wrong_kind_says_what_is_expected(
    office: Path, old: str, new: str, message: str
) -> None:
    assert errors_of(office, old, new) == [f"communiques/2021-04-19-expe-ct.yaml:{message}"]


PLACEHOLDERS = [
    "communiques/2026-06-02-laureats.yaml:9:8: erreur: titre: « Titre du communiqué » est un "
    "texte d'exemple du fichier de départ → écrivez le vôtre à sa place",
    "communiques/2026-06-02-laureats.yaml:11:9: erreur: comite.date: « AAAA-MM-JJ » est un "
    "texte d'exemple du fichier de départ → écrivez le vôtre à sa place",
    "communiques/2026-06-02-laureats.yaml:13:13: erreur: comite.laureats[0].nom: « Nom du "
    "lauréat » est un texte d'exemple du fichier de départ → écrivez le vôtre à sa place",
]


def test_placeholders_left_from_new_are_errors_in_check_and_build(office: Path) -> None:
    assert run("new", "2026-06-02-laureats", "--modele", "annonce-laureats", cwd=office)
    checked = run("check", "--sans-mise-en-page", cwd=office)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == PLACEHOLDERS  # the example office trips nothing
    built = run("build", "--format", "html", cwd=office)
    assert built.returncode == 1
    assert [line for line in built.stderr.splitlines() if "erreur:" in line] == PLACEHOLDERS
    assert "1 construit(s), 0 inchangé(s), 1 en erreur" in built.stderr
    # Filled in, the file builds.
    path = office / "communiques" / "2026-06-02-laureats.yaml"
    text = path.read_text(encoding="utf-8")
    for example, real in (
        ("Titre du communiqué", "Annonce des lauréats du label EXPE-CT"),
        ("AAAA-MM-JJ", "2026-05-28"),
        ("Nom du lauréat", "Commune de Figeac"),
    ):
        text = text.replace(example, real)
    path.write_text(text, encoding="utf-8")
    assert load(path).communique.titre == "Annonce des lauréats du label EXPE-CT"


@pytest.mark.parametrize("modele", ["communique", "annonce-comite", "annonce-laureats"])
def test_every_starter_reports_its_examples(office: Path, modele: str) -> None:
    from communiques.commands.new import new
    from communiques.sources import PressOffice

    path = new(f"2026-06-02-{modele}", modele, PressOffice(office))
    with pytest.raises(DataErrors) as raised:
        load(path)
    assert raised.value.errors
    assert all("texte d'exemple du fichier de départ" in e.message for e in raised.value)
