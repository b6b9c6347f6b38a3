"""`communiques check` as a proofreader: for each check, a file that triggers it (the exact
finding asserted, line and column included) and one that does not."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from communiques.check import check_file
from communiques.cli import main

HEAD = "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"  # lines 1 to 3
LAUREATS = (
    "modele: annonce-laureats\nprogramme: expe-ct\ntitre: Annonce des lauréats\n"
    "comite:\n  date: 2021-03-24\n  laureats:\n"
)  # lines 4 to 9
FILE = "communiques/essai.yaml"


def check(office: Path, body: str, *, head: str = HEAD, layout: bool = False) -> list[str]:
    """The findings on a communiqué made of `head` and `body`, paths relative to the office."""
    path = office / FILE
    path.write_text(head + body, encoding="utf-8")
    return [str(f).replace(f"{office}/", "") for f in check_file(path, layout=layout)]


def test_the_example_is_clean(office: Path) -> None:
    assert check_file(office / "communiques" / "2021-04-19-expe-ct.yaml") == []


# --- spelling -----------------------------------------------------------------------------------


def test_spelling_finds_annnonce_in_the_title(office: Path) -> None:
    assert check(office, "titre: Annnonce des lauréats au label EXPE-CT\n") == [
        f"{FILE}:4:8: avertissement: titre: mot inconnu « Annnonce » → « Annonce »"
    ]
    assert check(office, "titre: Annonce des lauréats au label EXPE-CT\n") == []


def test_spelling_points_into_a_block_of_text(office: Path) -> None:
    body = "titre: Titre\ncorps: |\n  Un premier paragraphe.\n\n  Une phrase avec une fautte.\n"
    assert check(office, body) == [
        f"{FILE}:8:23: avertissement: corps: mot inconnu « fautte » → « faute »"
    ]


def test_place_names_are_not_spell_checked(office: Path) -> None:
    body = "titre: Une annonce à Metz\n"
    assert check(office, body, head=HEAD.replace("Paris", "Metz")) == []


def test_project_word_list_accepts_names_and_acronyms(office: Path) -> None:
    body = "titre: Le programme zorglub et le sigle ZGB\n"
    assert check(office, body) == [
        f"{FILE}:4:21: avertissement: titre: mot inconnu « zorglub » (si c'est juste : mots.txt)",
        f"{FILE}:4:41: avertissement: titre: mot inconnu « ZGB » (si c'est juste : mots.txt)",
    ]
    (office / "assets" / "mots.txt").write_text("# noms du bureau\nZorglub\nZGB\n", "utf-8")
    assert check(office, body) == []


def test_proper_nouns_inside_a_sentence_are_left_alone(office: Path) -> None:
    assert check(office, "titre: Inauguration à Plougastel-Daoulas\n") == []
    assert check(office, "titre: Plougastelle inaugure\n") != []  # a sentence's first word


def test_countries_and_regions_opening_a_sentence_are_names(office: Path) -> None:
    """The dictionary lacks « Europe » and « Allemagne »: CLDR's names of countries and
    regions are known, capitalised; lowercase or misspelt, they are not."""
    assert (
        check(office, "titre: Europe, Asie et Allemagne\nchapo: Océanie. Amérique latine.\n") == []
    )
    assert check(office, "titre: Eurpoe et europe\n") == [
        f"{FILE}:4:8: avertissement: titre: mot inconnu « Eurpoe » → « Europe »",
        f"{FILE}:4:18: avertissement: titre: mot inconnu « europe » → « Europe »",
    ]


def test_english_texts_are_spelled_in_english(office: Path) -> None:
    body = "titre:\n  fr: Annonce des lauréats\n  en: Laureates anounced\n"
    assert check(office, body) == [
        f"{FILE}:6:17: avertissement: titre.en: mot inconnu « anounced » → « announced »"
    ]
    assert check(office, "titre:\n  fr: Annonce des lauréats\n  en: Laureates announced\n") == []


def test_english_is_british_unless_the_office_says_american(office: Path) -> None:
    body = "titre:\n  fr: Un programme décentralisé\n  en: A decentralised programme\n"
    assert check(office, body) == []
    settings = office / "communiques.toml"
    settings.write_text(
        settings.read_text("utf-8") + 'orthographe_anglaise = "en-US"\n', encoding="utf-8"
    )
    assert check(office, body) == [
        f"{FILE}:6:9: avertissement: titre.en: mot inconnu « decentralised » → « decentralized »"
    ]
    assert check(office, body.replace("decentralised programme", "decentralized program")) == []


def test_template_strings_are_spelled_too(office: Path) -> None:
    template = office / "templates" / "communique.html.j2"
    template.parent.mkdir(exist_ok=True)
    template.write_text(
        '{% extends "_base.html.j2" %}\n{% block corps %}\n'
        "<p>{{ _('Une fautte dans le modèle.') }}</p>\n{% endblock %}\n",
        encoding="utf-8",
    )
    assert check(office, "titre: Titre\n") == [
        "templates/communique.html.j2:3:14: avertissement: modèle: mot inconnu « fautte » dans le "
        "modèle → « faute »"
    ]
    template.write_text(template.read_text("utf-8").replace("fautte", "faute"), "utf-8")
    assert check(office, "titre: Titre\n") == []


# --- typography ---------------------------------------------------------------------------------

TYPOGRAPHY = [
    (
        "corps: Un  texte.",
        "corps: Un texte.",
        f"{FILE}:5:10: avertissement: corps: deux espaces de suite → une seule espace",
    ),
    (
        'corps: Le label "EXPE-CT est attribué.',
        'corps: Le label "EXPE-CT" est attribué.',
        f'{FILE}:5:17: avertissement: corps: guillemet droit (") sans son pendant '
        '→ « … » (ou une paire de "…")',
    ),
    (
        "corps: Le label 'EXPE-CT' est attribué.",
        "corps: Le label de l'EXPE-CT est attribué.",
        f"{FILE}:5:17: avertissement: corps: apostrophes droites utilisées comme guillemets "
        "→ « EXPE-CT »",
    ),
    (
        "corps: Le label “EXPE-CT” est attribué.",
        "corps: Le label « EXPE-CT » est attribué.",
        f"{FILE}:5:17: avertissement: corps: guillemets anglais en français → « EXPE-CT »",
    ),
    (
        "corps: Le comité du 1 avril.",
        "corps: Le comité du 1er avril.",
        f"{FILE}:5:21: avertissement: corps: « 1 avril » : le premier du mois s'écrit 1er "
        "→ « 1er avril »",
    ),
]


@pytest.mark.parametrize(("wrong", "right", "finding"), TYPOGRAPHY)
def test_typography(office: Path, wrong: str, right: str, finding: str) -> None:
    assert check(office, f"titre: Titre\n{wrong}\n") == [finding]
    assert check(office, f"titre: Titre\n{right}\n") == []


def test_what_the_tool_fixes_itself_is_not_warned_about(office: Path) -> None:
    """The issue's sentence: every space the rendering puts right (« 12 500 », « 12,5 % »,
    « 1 250 € », « 11 collectivités », « 24 mars 2021 ») is not the author's to type."""
    sentence = (
        "Un budget de 12500 € soit 12,5% du total, dont 1 250 € réparti entre "
        "11 collectivités le 24 mars 2021."
    )
    path = write(office, f"titre: Titre\ncorps: {sentence}\n")
    result = CliRunner().invoke(
        main, ["check", "--sans-mise-en-page", "--format", "json", str(path)]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert [f for f in findings if f["regle"] == "typographie"] == []
    assert findings == []


def test_french_rules_are_not_applied_to_english(office: Path) -> None:
    body = "titre: EXPE-CT\ncorps:\n  fr: Le 1er avril, 10\u00a0% des communes.\n  en: On 1 April, 10% of towns.\n"
    assert check(office, body) == []


# --- coherence ----------------------------------------------------------------------------------


def test_comite_after_the_communique_is_an_error(office: Path) -> None:
    body = LAUREATS.replace("2021-03-24", "2021-05-24") + "    - {nom: Lyon, type: commune}\n"
    assert check(office, body) == [
        f"{FILE}:8:9: erreur: comite.date: le comité (24/05/2021) est postérieur au communiqué "
        "(19/04/2021)"
    ]
    assert check(office, LAUREATS + "    - {nom: Lyon, type: commune}\n") == []


COMITE = (
    "modele: annonce-comite\nprogramme: expe-ct\ntitre: Prochain comité\n"
    "comite:\n  date: 2021-06-10\n  date_limite: 2021-05-15\n"
)  # lines 4 to 9


def test_announced_comite_before_the_communique_is_an_error(office: Path) -> None:
    assert check(office, COMITE.replace("2021-06-10", "2021-04-10")) == [
        f"{FILE}:8:9: erreur: comite.date: le comité annoncé doit être postérieur au communiqué",
        f"{FILE}:9:16: erreur: comite.date_limite: la date limite doit précéder le comité",
    ]
    assert check(office, COMITE) == []


def test_deadline_after_the_comite_is_an_error(office: Path) -> None:
    assert check(office, COMITE.replace("2021-05-15", "2021-06-15")) == [
        f"{FILE}:9:16: erreur: comite.date_limite: la date limite doit précéder le comité"
    ]


def test_deadline_already_passed_is_a_warning(office: Path) -> None:
    assert check(office, COMITE.replace("2021-05-15", "2021-04-15")) == [
        f"{FILE}:9:16: avertissement: comite.date_limite: la date limite (15/04/2021) est déjà "
        "passée à la date du communiqué (19/04/2021)"
    ]


@pytest.mark.parametrize(
    ("embargo", "finding"),
    [
        (
            "2021-04-18T10:00:00+02:00",
            f"{FILE}:5:10: erreur: embargo: l'embargo est levé le 18/04/2021, avant la date du "
            "communiqué (19/04/2021) → datez le communiqué du 18/04/2021 ou retirez l'embargo",
        ),
        (
            "2021-04-21T10:00:00+02:00",
            f"{FILE}:5:10: avertissement: embargo: l'embargo est levé le 21/04/2021, après la date "
            "du communiqué (19/04/2021) : un communiqué porte d'habitude la date de sa "
            "publication → date: 2021-04-21",
        ),
        ("2021-04-19T10:00:00+02:00", None),
    ],
)
def test_embargo_and_date(office: Path, embargo: str, finding: str | None) -> None:
    assert check(office, f"titre: Titre\nembargo: {embargo}\n") == ([finding] if finding else [])


def test_a_laureate_listed_twice_is_an_error(office: Path) -> None:
    body = LAUREATS + (
        "    - {nom: Ville de Lyon, type: commune}\n"
        "    - {nom: Région Grand Est, type: region}\n"
        "    - {nom: ville de lyon, type: commune}\n"
    )
    assert check(office, body) == [
        f"{FILE}:12:13: erreur: comite.laureats[2].nom: « ville de lyon » est déjà dans la liste "
        "(ligne 10) : il serait compté deux fois → supprimez l'une des deux lignes"
    ]
    assert check(office, body.replace("ville de lyon", "Ville de Nantes")) == []


def test_links_that_are_not_https(office: Path) -> None:
    body = (
        "titre: Titre\ncorps: Voir [le site](http://exemple.fr/page).\n"
        "liens:\n  - {libelle: Dossier, url: 'http://exemple.fr/dossier'}\n"
    )
    assert check(office, body) == [
        f"{FILE}:5:23: avertissement: corps: lien non sécurisé « http://exemple.fr/page » "
        "→ « https://exemple.fr/page »",
        f"{FILE}:7:30: avertissement: liens[0].url: lien non sécurisé « http://exemple.fr/dossier » "
        "→ « https://exemple.fr/dossier »",
    ]
    assert check(office, body.replace("http:", "https:")) == []


@pytest.mark.parametrize(
    ("email", "finding"),
    [
        (
            "presse.daect@gmail.com",
            f"{FILE}:6:37: avertissement: contacts[0].email: adresse personnelle (gmail.com) pour "
            "un contact de presse de diplomatie.gouv.fr → une adresse @diplomatie.gouv.fr",
        ),
        (
            "presse@diplomatie.gouf.fr",
            f"{FILE}:6:37: avertissement: contacts[0].email: domaine « diplomatie.gouf.fr » presque "
            "identique à celui de l'émetteur (diplomatie.gouv.fr) : faute de frappe ? "
            "→ « presse@diplomatie.gouv.fr »",
        ),
        ("presse@diplomatie.gouv.fr", None),
        ("contact@agence-de-presse.fr", None),  # another domain, and nothing suspicious
    ],
)
def test_email_domain_of_contacts(office: Path, email: str, finding: str | None) -> None:
    body = f"titre: Titre\ncontacts:\n  - {{nom: Service de presse, email: {email}}}\n"
    assert check(office, body) == ([finding] if finding else [])


# --- length -------------------------------------------------------------------------------------


def test_title_over_100_characters(office: Path) -> None:
    long_title = "Annonce des lauréats " + "et des collectivités " * 4 + "au label EXPE-CT"
    assert len(long_title) > 100
    assert check(office, f"titre: {long_title}\n") == [
        f"{FILE}:4:8: avertissement: titre: titre de {len(long_title)} caractères (plus de 100) "
        "→ un titre court, le détail dans sous_titre"
    ]
    just_100 = "Annonce des lauréats " + "et des collectivités " * 3 + "au label EXPE-CT"
    assert len(just_100) == 100
    assert check(office, f"titre: {just_100}\n") == []


def test_body_over_one_page_of_pdf(office: Path) -> None:
    paragraph = "Le programme accompagne les collectivités dans leurs projets de coopération. " * 6
    body = "titre: Titre\ncorps: |\n" + "".join(f"  {paragraph}\n\n" for _ in range(9))
    (finding,) = check(office, body, layout=True)
    assert re.match(rf"{FILE}:5:1: avertissement: corps: le texte fait 1,\d pages", finding), (
        finding
    )
    assert finding.endswith(
        "pages une fois mis en page : plus d'une page → raccourcissez-le : un communiqué se lit "
        "sur une page"
    )
    short = "titre: Titre\ncorps: |\n" + "".join(f"  {paragraph}\n\n" for _ in range(3))
    assert check(office, short, layout=True) == []


def test_check_measures_the_layout_in_a_helper_process(office: Path) -> None:
    """The command lays out the bodies in a forked helper while it proofreads: each length
    comes back to its own file."""
    paragraph = "Le programme accompagne les collectivités dans leurs projets de coopération. " * 6
    for name, count in (("long", 9), ("court", 3)):
        body = "titre: Titre\ncorps: |\n" + "".join(f"  {paragraph}\n\n" for _ in range(count))
        (office / "communiques" / f"{name}.yaml").write_text(HEAD + body, encoding="utf-8")
    files = [f"communiques/{name}.yaml" for name in ("long", "court", "2021-04-19-expe-ct")]
    result = subprocess.run(
        [sys.executable, "-m", "communiques", "check", *files],
        cwd=office, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (finding,) = result.stdout.splitlines()
    assert finding.startswith("communiques/long.yaml:5:1: avertissement: corps: le texte fait 1,")
    assert "3 valide(s), 0 en erreur, 1 avertissement(s)" in result.stderr


# --- the dictionary ------------------------------------------------------------------------------


def test_without_the_dictionaries_check_names_the_package_and_runs_every_other_rule(
    office: Path,
) -> None:
    """No libenchant (what pyenchant loads is not the library): one French line naming the
    Debian packages, and the typography rules still report."""
    write(office, "titre: Annnonce  des lauréats\n")
    (office / "pas-une-bibliotheque.so").write_text("", encoding="utf-8")
    env = {**os.environ, "PYENCHANT_LIBRARY_PATH": str(office / "pas-une-bibliotheque.so")}
    result = subprocess.run(
        [sys.executable, "-m", "communiques", "check", "--sans-mise-en-page", FILE],
        cwd=office, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout.splitlines() == [
        f"{FILE}: avertissement: orthographe non vérifiée : la bibliothèque Enchant est absente "
        "→ sudo apt-get install libenchant-2-2 hunspell-en-gb hunspell-fr",
        f"{FILE}:4:16: avertissement: titre: deux espaces de suite → une seule espace",
    ], result.stderr
    assert result.returncode == 0


def test_urls_domains_addresses_and_code_are_never_spell_checked(office: Path) -> None:
    body = (
        "titre: Titre\n"
        "corps: |\n"
        "  Voir [prefectures-regions.gouv.fr](https://www.prefectures-regions.gouv.fr/zxqw),\n"
        "  écrire à ddt-consultation-ppa-agglomeration-lyonnaise@rhone.gouv.fr ou lancer\n"
        "  `communiques chek --bureau xyzw`.\n"
    )
    assert check(office, body) == []
    assert check(office, body.replace("écrire", "écirre")) == [
        f"{FILE}:7:3: avertissement: corps: mot inconnu « écirre » → « écrire »"
    ]


def test_modern_french_is_known(office: Path) -> None:
    """Words pyspellchecker's dictionary did not know or « corrected » (issue #14)."""
    body = (
        "titre: Vœux de la préfète et de la cheffe de bureau\n"
        "chapo: L’autrice œuvre au cœur de la biodiversité, du covoiturage, de la "
        "visioconférence et du cofinancement, avec ses sœurs, aujourd’hui.\n"
    )
    assert check(office, body) == []


# --- the command --------------------------------------------------------------------------------


def write(office: Path, body: str) -> Path:
    path = office / FILE
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_check_prints_findings_and_exits_0_on_warnings_only(office: Path) -> None:
    path = write(office, "titre: Annnonce des lauréats\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}:4:8: avertissement: titre: mot inconnu « Annnonce » → « Annonce »" in (
        result.output
    )
    assert "1 valide(s), 0 en erreur, 1 avertissement(s)" in result.output
    assert CliRunner().invoke(main, ["check", "--strict", str(path)]).exit_code == 1


def test_check_exits_1_on_errors(office: Path) -> None:
    path = write(office, "titre: Titre\nembargo: 2021-04-18T10:00:00+02:00\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "0 valide(s), 1 en erreur, 0 avertissement(s)" in result.output
    bad = write(office, "titr: Titre\n")
    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:4:1: erreur: titr: champ inconnu : vouliez-vous dire « titre » ?" in (
        result.output
    )


def test_check_json_for_tools(office: Path) -> None:
    path = write(office, "titre: Annnonce des lauréats\n")
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 0
    findings = json.loads(result.stdout)
    assert findings == [
        {
            "chemin": str(path),
            "ligne": 4,
            "colonne": 8,
            "niveau": "avertissement",
            "regle": "orthographe",
            "champ": "titre",
            "message": "mot inconnu « Annnonce »",
            "suggestion": "« Annonce »",
            "page": None,
            # the keys of version 0.1, until the next release
            "path": str(path),
            "line": 4,
            "column": 8,
            "level": "warning",
            "rule": "orthographe",
            "field": "titre",
        }
    ]
