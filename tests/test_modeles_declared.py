"""Modèles declared as data: an office's own modèle works with no code change (`new`, `check`,
`build`, `email`), and what each built-in modèle requires comes from its declaration."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import normalise, pdf_text

from communiques import modeles
from communiques.errors import DataErrors
from communiques.resolve import load
from communiques.sources import PressOffice


def command(office: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "communiques", *args],
        cwd=office, capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip


def test_the_office_modele_is_listed_with_its_label(office: Path) -> None:
    found = {m.name: m for m in modeles.available(PressOffice(office).template_dirs)}
    assert found["appel-a-projets"].label == "Appel à projets"
    assert found["appel-a-projets"].template.parent == office / "templates"
    assert found["annonce-comite"].declaration.comite == "apres"
    assert found["annonce-laureats"].declaration.requis == ["programme", "comite"]


def test_an_office_modele_from_new_to_email(office: Path) -> None:
    created = command(office, "new", "appel-2026", "--modele", "appel-a-projets")
    assert created.returncode == 0, created.stderr
    path = office / "communiques" / "appel-2026.yaml"
    text = path.read_text(encoding="utf-8")
    assert "modele: appel-a-projets" in text and "donnees:" in text
    checked = command(office, "check", "--sans-mise-en-page", str(path))
    assert checked.returncode == 1  # the starting file's examples are still there
    assert "titre: « Titre du communiqué » est un texte d'exemple" in checked.stdout
    text = text.replace("Titre du communiqué", "Ouverture de l'appel à projets 2026")
    text = text.replace("ouverture: AAAA-MM-JJ", "ouverture: 2099-01-04")
    text = text.replace("date_limite: AAAA-MM-JJ", "date_limite: 2099-03-31")
    path.write_text(text.replace("# dotation:", "dotation:"), encoding="utf-8")

    checked = command(office, "check", "--sans-mise-en-page", str(path))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    built = command(office, "build", str(path), "--out", "sortie")
    assert built.returncode == 0, built.stderr
    pdf = normalise(pdf_text((office / "sortie" / "appel-2026.pdf").read_bytes()))
    assert "au 31 mars 2099. Les candidatures sont reçues jusqu'au 31 mars 2099." in pdf
    assert "Dotation: jusqu'à 50 000 € par projet." in pdf

    sent = command(office, "email", str(path), "--to", "redaction@exemple.fr", "--out", "eml")
    assert sent.returncode == 0, sent.stderr
    [draft] = (office / "eml").iterdir()
    message = email.message_from_bytes(draft.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))
    assert body is not None and "jusqu'au 31 mars 2099" in normalise(body.get_content())


def write(office: Path, text: str) -> Path:
    path = office / "communiques" / "essai.yaml"
    path.write_text(
        "lieu: Paris\ndate: 2026-03-02\nemetteur: daect\ntitre: Essai\n" + text, encoding="utf-8"
    )
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(DataErrors) as raised:
        load(path)
    return [f"{e.line}:{e.column}: {e.field}: {e.message}" for e in raised.value]


def test_own_fields_are_validated_at_their_line(office: Path) -> None:
    path = write(
        office,
        "modele: appel-a-projets\nprogramme: expe-ct\n"
        "donnees:\n  ouverture: 2026-03-10\n  date_limite: 2026-03-01\n  prix: 3\n",
    )
    assert errors_of(path) == [
        "10:3: donnees.prix: champ inconnu (champs possibles : date_limite, dotation, ouverture)",
    ]
    path.write_text(path.read_text().replace("  prix: 3\n", ""), encoding="utf-8")
    assert errors_of(path) == [
        "9:16: donnees.date_limite: Date limite des candidatures (01/03/2026) précède la date "
        "de ouverture (10/03/2026)"
    ]


def test_required_and_forbidden_come_from_the_declaration(office: Path) -> None:
    path = write(office, "modele: appel-a-projets\ncomite: {date: 2026-03-01}\n")
    assert errors_of(path) == [
        "1:1: : le modèle appel-a-projets demande un programme",
        "1:1: donnees.date_limite: champ obligatoire manquant",
        "1:1: donnees.ouverture: champ obligatoire manquant",
        "6:9: comite: le modèle appel-a-projets n'utilise pas comite : retirez-le",
    ]


def test_an_unknown_modele_gets_the_nearest(office: Path) -> None:
    path = write(office, "modele: annonce-laureat\n")
    [error] = errors_of(path)
    assert error.startswith("5:9: modele: modèle inconnu « annonce-laureat » : vouliez-vous dire")
    assert "« annonce-laureats » ?" in error


def test_build_and_check_agree_on_an_embargo_before_the_date(office: Path) -> None:
    """Once only check refused it; now the one rule stops build too."""
    path = write(office, "embargo: 2026-03-01T10:00:00+01:00\n")
    assert errors_of(path) == [
        "5:10: embargo: l'embargo est levé le 01/03/2026, avant la date du communiqué (02/03/2026)"
    ]
    built = command(office, "build", str(path), "--format", "html", "--out", "sortie")
    assert built.returncode == 1 and "embargo: l'embargo est levé le 01/03/2026" in built.stderr
