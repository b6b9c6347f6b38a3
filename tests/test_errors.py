"""Bad input: each error names file, line, column and field, in French; nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from communiques.batch import Options, build
from communiques.errors import DataErrors
from communiques.resolve import load

SEED = "communiques/2021-04-19-expe-ct.yaml"
MINIMAL = "modele: communique\nlieu: Paris\ndate: 2021-04-19\ntitre: Titre\nemetteur: daect\n"


def errors_of(office: Path, text: str, name: str = "essai.yaml") -> list[str]:
    path = office / "communiques" / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        load(path)
    return [str(error).replace(f"{office}/", "") for error in raised.value]


def seed_with(office: Path, old: str, new: str) -> str:
    text = (office / SEED).read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1)


def test_invalid_yaml(office: Path) -> None:
    assert errors_of(office, "titre: [a\nlieu: x\n") == [
        "communiques/essai.yaml:2:5: erreur: YAML invalide : ',' or ']' attendu, ':' trouvé"
    ]


def test_duplicate_key(office: Path) -> None:
    assert errors_of(office, MINIMAL + "titre: Autre\n") == [
        "communiques/essai.yaml:6:1: erreur: YAML invalide : clé « titre » en double"
    ]


def test_tab_indentation(office: Path) -> None:
    assert errors_of(office, "titre: a\n\tlieu: b\n") == [
        "communiques/essai.yaml:2:1: erreur: YAML invalide : tabulation : indentez avec des espaces"
    ]


def test_unknown_key_suggests_the_right_one_and_missing_key(office: Path) -> None:
    assert errors_of(office, seed_with(office, "titre:", "titr:")) == [
        "communiques/essai.yaml:8:1: erreur: titr: champ inconnu : vouliez-vous dire « titre » ? (champs "
        "possibles : chapo, comite, contacts, corps, date, donnees, embargo, emetteur, langue, liens, lieu, "
        "modele, programme, sous_titre, titre)",
        "communiques/essai.yaml:26:1: erreur: titre: champ obligatoire manquant → ajoutez par "
        "exemple : titre: Lancement de l'appel à projets Territoires d'innovation",
    ]


def test_unknown_key_in_a_nested_mapping(office: Path) -> None:
    errors = errors_of(office, seed_with(office, "  date: 2021-03-24", "  dat: 2021-03-24"))
    assert errors[0].startswith(
        "communiques/essai.yaml:11:3: erreur: comite.dat: champ inconnu : vouliez-vous dire « date » ?"
    )
    assert errors[1] == (  # at the end of the comité, after its laureates
        "communiques/essai.yaml:26:3: erreur: comite.date: champ obligatoire manquant → ajoutez "
        "par exemple : date: 2026-06-02"
    )


def test_bad_date(office: Path) -> None:
    assert errors_of(office, seed_with(office, "date: 2021-04-19", "date: 2021-13-45")) == [
        "communiques/essai.yaml:5:7: erreur: date: « 2021-13-45 » : le mois 13 n'existe pas (de 01 à 12)"
    ]


def test_comite_after_the_communique(office: Path) -> None:
    assert errors_of(office, seed_with(office, "  date: 2021-03-24", "  date: 2021-05-24")) == [
        "communiques/essai.yaml:11:9: erreur: comite.date: le comité (24/05/2021) est postérieur au "
        "communiqué (19/04/2021)"
    ]


def test_announced_comite_needs_a_deadline_before_it(office: Path) -> None:
    text = seed_with(office, "modele: annonce-laureats", "modele: annonce-comite")
    text = text.replace("  date: 2021-03-24", "  date: 2021-05-24\n  date_limite: 2021-06-01")
    assert errors_of(office, text) == [
        "communiques/essai.yaml:12:16: erreur: comite.date_limite: la date limite doit précéder le comité"
    ]


def test_unknown_emetteur_and_programme(office: Path) -> None:
    text = seed_with(office, "emetteur: daect", "emetteur: inconnu").replace(
        "programme: expe-ct", "programme: absent"
    )
    assert errors_of(office, text) == [
        "communiques/essai.yaml:6:11: erreur: emetteur: « inconnu » introuvable : organisations/inconnu.yaml "
        "n'existe pas (fichiers : daect)",
        "communiques/essai.yaml:7:12: erreur: programme: « absent » introuvable : programmes/absent.yaml "
        "n'existe pas (fichiers : expe-ct)",
    ]


def test_invalid_email_and_phone(office: Path) -> None:
    text = MINIMAL + (
        "contacts:\n"
        "  - nom: X\n    email: pas-un-email\n"
        "  - nom: Y\n    telephone: '12'\n"
        "  - nom: Z\n"
    )
    assert errors_of(office, text) == [
        "communiques/essai.yaml:8:12: erreur: contacts[0].email: adresse e-mail invalide « pas-un-email »",
        "communiques/essai.yaml:10:16: erreur: contacts[1].telephone: numéro de téléphone invalide « 12 »",
        "communiques/essai.yaml:11:5: erreur: contacts[2]: un contact doit avoir au moins un téléphone ou un e-mail",
    ]


def test_error_in_a_referenced_organisation_points_into_that_file(office: Path) -> None:
    organisation = office / "organisations" / "daect.yaml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace("01 43 17 62 61", "01 43"),
        encoding="utf-8",
    )
    assert errors_of(office, MINIMAL) == [
        "organisations/daect.yaml:21:16: erreur: contacts[1].telephone: numéro de téléphone invalide « 01 43 »"
    ]


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("../../secret.png", "« ../../secret.png » doit être un chemin dans le dossier assets/"),
        ("/etc/passwd.png", "« /etc/passwd.png » doit être un chemin dans le dossier assets/"),
        ("logos/absent.png", "image introuvable : assets/logos/absent.png"),
        ("logos/logo.svg", "« logos/logo.svg » : image PNG ou JPEG attendue"),
    ],
)
def test_logo_outside_assets_or_missing(office: Path, logo: str, message: str) -> None:
    text = (
        "lieu: Paris\ndate: 2021-04-19\ntitre: T\nemetteur:\n  nom: Mairie\n  logo: " + logo + "\n"
    )
    assert errors_of(office, text) == [
        f"communiques/essai.yaml:6:9: erreur: emetteur.logo: {message}"
    ]


def test_symlink_out_of_assets_is_refused(office: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG")
    (office / "assets" / "logos" / "lien.png").symlink_to(outside)
    text = "lieu: Paris\ndate: 2021-04-19\ntitre: T\nemetteur:\n  nom: Mairie\n  logo: logos/lien.png\n"
    assert errors_of(office, text) == [
        "communiques/essai.yaml:6:9: erreur: emetteur.logo: image introuvable : assets/logos/lien.png"
    ]


def test_unknown_modele_lists_the_available_ones(office: Path) -> None:
    assert errors_of(office, MINIMAL.replace("modele: communique", "modele: inexistant")) == [
        "communiques/essai.yaml:1:9: erreur: modele: modèle inconnu « inexistant » (modèles disponibles : "
        "annonce-comite, annonce-laureats, appel-a-projets, communique)"
    ]


def test_not_utf8(office: Path) -> None:
    path = office / "communiques" / "essai.yaml"
    path.write_bytes(MINIMAL.replace("Titre", "Été").encode("cp1252"))
    with pytest.raises(DataErrors) as raised:
        load(path)
    assert [str(e).replace(f"{office}/", "") for e in raised.value] == [
        "communiques/essai.yaml:4:1: erreur: le fichier n'est pas en UTF-8 (octet 0xc9 à la ligne 4) : "
        "enregistrez-le en UTF-8"
    ]


def test_a_bad_file_writes_nothing_and_the_others_are_built(office: Path, tmp_path: Path) -> None:
    (office / "communiques" / "mauvais.yaml").write_text(MINIMAL.replace("2021-04-19", "hier"))
    out = tmp_path / "build"
    report = build(sorted((office / "communiques").glob("*.yaml")), Options(out, jobs=1))
    assert [p.name for p in report.errors] == ["mauvais.yaml"]
    assert sorted(p.name for p in out.iterdir()) == [
        "2021-04-19-expe-ct.docx",
        "2021-04-19-expe-ct.pdf",
        "index.html",
        "manifest.json",
    ]


def test_yaml_tags_never_construct_objects(office: Path, tmp_path: Path) -> None:
    witness = tmp_path / "witness"
    text = f'titre: !!python/object/apply:os.system ["touch {witness}"]\n'
    assert errors_of(office, text) == [
        "communiques/essai.yaml:1:8: erreur: YAML invalide : étiquette « !!python/object/apply:os.system » refusée"
    ]
    assert not witness.exists()
