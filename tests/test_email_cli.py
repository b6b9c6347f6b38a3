"""`communiques email` as a press officer runs it: drafts, mailing lists, sending, refusals."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from email_fixtures import (
    PASSWORD,
    USER,
    Recorder,
    SmtpServer,
    smtp_servers,
)

from communiques.cli import main
from communiques.mail.recipients import parse_csv

SOURCE = Path("communiques") / "2021-04-19-expe-ct.yaml"
StartServer = Callable[..., SmtpServer]


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[StartServer]:
    with smtp_servers(tmp_path) as start:
        yield start


CREDENTIALS = {"COMMUNIQUES_SMTP_USER": USER, "COMMUNIQUES_SMTP_PASSWORD": PASSWORD}


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    base: dict[str, str | None] = {
        "COLUMNS": "200", "NO_COLOR": "1",
        "COMMUNIQUES_SMTP_USER": None, "COMMUNIQUES_SMTP_PASSWORD": None,
    }  # fmt: skip
    return CliRunner().invoke(main, ["email", *args], env={**base, **(env or {})})


def read_eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_readme_command_writes_the_example_eml_with_the_built_pdf(office: Path) -> None:
    def command(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
        return subprocess.run(
            [sys.executable, "-m", "communiques", *args],
            cwd=office, capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip

    built = command("build", str(SOURCE), "--format", "pdf")
    assert built.returncode == 0, built.stderr
    result = command("email", str(SOURCE), "--to", "redaction@exemple.fr", "--out", "build/emails")
    assert result.returncode == 0, result.stderr
    path = office / "build" / "emails" / "2021-04-19-expe-ct--redaction-exemple-fr.eml"
    assert f"✓ build/emails/{path.name}" in result.stderr
    message = read_eml(path)
    assert message["To"] == "redaction@exemple.fr"
    attachment = next(message.iter_attachments())
    assert isinstance(attachment, EmailMessage)
    assert attachment.get_filename() == "2021-04-19-expe-ct.pdf"
    assert attachment.get_content() == (office / "build" / "2021-04-19-expe-ct.pdf").read_bytes()


def test_without_recipient_one_draft_to_address_by_hand(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    result = run(str(SOURCE))
    assert result.exit_code == 0, result.output
    [draft] = (office / "build" / "emails").iterdir()
    assert draft.name == "2021-04-19-expe-ct.eml"
    message = read_eml(draft)
    assert "To" not in message and message["Subject"].startswith("Communiqué de presse")


CSV = (
    "email,nom,organisation\n"
    "alice@exemple.fr,Alice Martin,Le Quotidien\n"
    "pas-une-adresse,Bruno,\n"
    '"chloe@exemple.org","Chloé\r\nBcc: espion@exemple.com",Radio\n'
    "david@exemple.fr,David,\n"
    "ALICE@exemple.fr,Alice bis,\n"
)


def test_invalid_rows_are_reported_by_line_and_nothing_is_written(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    Path("liste.csv").write_text(CSV, encoding="utf-8", newline="")
    result = run(str(SOURCE), "--recipients", "liste.csv")
    assert result.exit_code == 1
    assert (
        "liste.csv:3:1: erreur: email: adresse e-mail invalide « pas-une-adresse »" in result.stderr
    )
    assert "liste.csv:4:1: erreur: nom: retour chariot (CR) interdit" in result.stderr
    assert (
        "liste.csv:7:1: erreur: email: adresse en double (déjà ligne 2)" in result.stderr
    )  # row 4 spans two lines
    assert (
        "liste.csv: erreur: 3 ligne(s) invalide(s) → corrigez-les, ou relancez avec "
        "--ignorer-invalides pour les ignorer" in result.stderr
    )
    assert not Path("build").exists()


def test_an_unclosed_quote_is_reported_at_its_line_and_stops_before_sending(
    office: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: StartServer
) -> None:
    """#12: an unbalanced quote on line 3 of ten rows once swallowed the rest of the file
    (one message sent, exit 0, the error reported at line 11)."""
    monkeypatch.chdir(office)
    smtp = smtp_server(security="aucune")
    rows = [f"personne{i}@exemple.fr,Personne {i}" for i in range(10)]
    rows[1] = 'personne1@exemple.fr,"Personne 1'
    Path("liste.csv").write_text("email,nom\n" + "\n".join(rows) + "\n", encoding="utf-8")
    args = [str(SOURCE), "--envoyer", "--liste-diffusion", "liste.csv", "--smtp-hote", smtp.host,
            "--smtp-port", str(smtp.port), "--smtp-chiffrement", "aucune", "--cadence", "100"]  # fmt: skip
    stopped = run(*args)
    assert stopped.exit_code == 1
    assert (
        "liste.csv:3:1: erreur: CSV illisible : guillemet non fermé ; fermez-le, ou retirez-le"
        in stopped.stderr
    )
    assert "liste.csv: erreur: 1 ligne(s) invalide(s)" in stopped.stderr
    assert smtp.received == []

    skipping = run(*args, "--ignorer-invalides")
    assert skipping.exit_code == 1
    assert "ignorée liste.csv:3:1: erreur: CSV illisible : guillemet non fermé" in skipping.stderr
    assert "9 envoyé(s)" in skipping.stderr
    assert len(smtp.received) == 9


def test_skip_invalid_writes_one_draft_per_valid_row(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    Path("liste.csv").write_text(CSV, encoding="utf-8", newline="")
    result = run(
        str(SOURCE), "--recipients", "liste.csv", "--skip-invalid", "--to", "zoe@exemple.fr"
    )
    assert result.exit_code == 1, result.output  # rows were skipped
    assert "ignorée liste.csv:3:1: erreur: email" in result.stderr
    assert "3 ligne(s) ignorée(s) (--ignorer-invalides) : personne n'y est écrit" in result.stderr
    drafts = sorted((office / "build" / "emails").iterdir())
    assert [p.name for p in drafts] == [
        "2021-04-19-expe-ct--alice-exemple-fr.eml",
        "2021-04-19-expe-ct--david-exemple-fr.eml",
        "2021-04-19-expe-ct--zoe-exemple-fr.eml",
    ]
    for draft in drafts:
        message = read_eml(draft)
        assert len(message["To"].addresses) == 1
        assert "Bcc" not in message and "espion" not in draft.read_text(encoding="ascii")
    assert read_eml(drafts[0])["To"].addresses[0].display_name == "Alice Martin"


def test_csv_from_a_french_spreadsheet() -> None:
    text = "\ufeffCourriel;Nom;Média\nalice@exemple.fr;Martin, Alice;Le Quotidien\n\nbruno@EXEMPLE.fr;;\n"
    recipients, errors = parse_csv(text.removeprefix("\ufeff"), Path("l.csv"))
    assert errors == []
    assert [(r.email, r.nom, r.organisation, r.line) for r in recipients] == [
        ("alice@exemple.fr", "Martin, Alice", "Le Quotidien", 2),
        ("bruno@exemple.fr", "", "", 4),
    ]


def test_csv_without_header_and_with_unknown_column() -> None:
    recipients, errors = parse_csv("alice@exemple.fr,Alice\n", Path("l.csv"))
    assert [r.email for r in recipients] == ["alice@exemple.fr"] and errors == []
    _, errors = parse_csv("email,nom,telephone\na@exemple.fr,A,01\n", Path("l.csv"))
    assert [str(e) for e in errors] == [
        "l.csv:1:1: erreur: colonne inconnue « telephone » (colonnes : email, nom, organisation)"
    ]
    _, errors = parse_csv("email,nom\na@exemple.fr,A,en trop\n", Path("l.csv"))
    assert [str(e) for e in errors] == ["l.csv:2:1: erreur: 3 valeurs pour 2 colonnes"]


def test_a_line_break_inside_a_quoted_field_is_reported_where_the_row_starts() -> None:
    _, errors = parse_csv(
        'email,nom\na@exemple.fr,A\n"b@exemple.fr","B\nBcc: x@y.fr"\n', Path("l.csv")
    )
    assert [str(e) for e in errors] == ["l.csv:3:1: erreur: nom: saut de ligne (LF) interdit"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--send", "--to", "a@exemple.fr"], "--envoyer demande --smtp-hote"),
        (["--send"], "--envoyer demande des destinataires"),
        (["--to", "pas-une-adresse"], "adresse e-mail invalide"),
        (["--to", "a@exemple.fr\r\nBcc: espion@exemple.com"], "retour chariot (CR) interdit"),
        (["--link-base", "ftp://exemple.fr/"], "adresse web attendue"),
        (["--max-attachment", "beaucoup"], "taille invalide"),
        (
            ["--send", "--out", "x", "--to", "a@exemple.fr", "--smtp-host", "h"],
            "--out écrit des brouillons",
        ),
    ],
)
def test_usage_errors_exit_2(
    office: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(office)
    result = run(str(SOURCE), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not Path("build").exists()


def test_heavy_pdf_stops_with_a_clear_error_or_is_linked(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    result = run(str(SOURCE), "--max-attachment", "1ko")
    assert result.exit_code == 1
    assert "dépasse la taille maximale d'une pièce jointe (1\u00a0Ko)" in result.stderr
    assert "--adresse-publication" in result.stderr
    result = run(
        str(SOURCE), "--max-attachment", "1ko", "--link-base", "https://presse.exemple.fr/pdf"
    )
    assert result.exit_code == 0, result.output
    message = read_eml(office / "build" / "emails" / "2021-04-19-expe-ct.eml")
    assert not list(message.iter_attachments())
    plain = message.get_body(("plain",))
    assert plain is not None
    assert "https://presse.exemple.fr/pdf/2021-04-19-expe-ct.pdf" in plain.get_content()


def test_send_over_starttls_with_login_then_resume(
    office: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: StartServer
) -> None:
    monkeypatch.chdir(office)
    smtp = smtp_server()
    Path("liste.csv").write_text(
        "email,nom\nalice@exemple.fr,Alice\nbruno@exemple.fr,Bruno\n", encoding="utf-8"
    )
    args = [str(SOURCE), "--send", "--recipients", "liste.csv", "--smtp-host", smtp.host,
            "--smtp-port", str(smtp.port), "--smtp-cafile", str(smtp.ca_file), "--rate", "50"]  # fmt: skip
    result = run(*args, env=CREDENTIALS)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output and USER not in result.output
    assert "✓ Alice <alice@exemple.fr> : 250 2.0.0 Ok: queued as Q0001" in result.stderr
    assert "2 envoyé(s), 0 déjà servi(s), 0 refusé(s) par le serveur" in result.stderr
    assert [(r.rcpt_tos, r.tls, r.login) for r in smtp.received] == [
        (["alice@exemple.fr"], True, USER), (["bruno@exemple.fr"], True, USER),
    ]  # fmt: skip
    log = office / "build" / "envois" / "2021-04-19-expe-ct.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    assert [e["destinataire"] for e in entries if e["statut"] == "envoyé"] == [
        "alice@exemple.fr", "bruno@exemple.fr",
    ]  # fmt: skip
    Path("liste.csv").write_text(
        "email,nom\nalice@exemple.fr,Alice\nbruno@exemple.fr,Bruno\nchloe@exemple.fr,Chloé\n",
        encoding="utf-8",
    )
    again = run(*args, env=CREDENTIALS)
    assert again.exit_code == 0, again.output
    assert "1 envoyé(s), 2 déjà servi(s)" in again.stderr
    assert [r.rcpt_tos[0] for r in smtp.received] == [
        "alice@exemple.fr",
        "bruno@exemple.fr",
        "chloe@exemple.fr",
    ]


def test_a_recipient_whose_message_may_have_arrived_is_listed_not_sent_again(
    office: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: StartServer
) -> None:
    """#12: the server stores Bruno's message and drops the connection before its answer;
    the resume, without a terminal, writes to Chloé but lists Bruno for a manual check."""
    monkeypatch.chdir(office)
    smtp = smtp_server(recorder=Recorder(hang_up_after_storing=1))
    Path("liste.csv").write_text(
        "email,nom\nalice@exemple.fr,Alice\nbruno@exemple.fr,Bruno\nchloe@exemple.fr,Chloé\n",
        encoding="utf-8",
    )
    args = [str(SOURCE), "--envoyer", "--liste-diffusion", "liste.csv", "--smtp-hote", smtp.host,
            "--smtp-port", str(smtp.port), "--smtp-autorite", str(smtp.ca_file), "--cadence", "50"]  # fmt: skip
    first = run(*args, env=CREDENTIALS)
    assert first.exit_code == 1 and "envoi interrompu" in first.stderr
    again = run(*args, env=CREDENTIALS)
    assert again.exit_code == 1
    message_id = smtp.received[1].message["Message-ID"]
    assert (
        f"à vérifier Bruno <bruno@exemple.fr> : le serveur a peut-être reçu son message "
        f"({message_id}, " in again.stderr
    )
    assert "1 envoyé(s), 1 déjà servi(s), 0 refusé(s) par le serveur, 1 à vérifier" in again.stderr
    assert [r.rcpt_tos[0] for r in smtp.received] == [
        "alice@exemple.fr", "bruno@exemple.fr", "chloe@exemple.fr",
    ]  # fmt: skip
    dry = run(*args, "--simulation", env=CREDENTIALS)
    assert "  à vérifier (peut-être reçu, non renvoyé) : Bruno <bruno@exemple.fr>" in dry.stdout


def test_send_without_credentials_to_a_server_that_wants_them(
    office: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: StartServer
) -> None:
    monkeypatch.chdir(office)
    smtp = smtp_server()
    result = run(str(SOURCE), "--send", "--to", "a@exemple.fr", "--smtp-host", smtp.host,
                 "--smtp-port", str(smtp.port), "--smtp-cafile", str(smtp.ca_file))  # fmt: skip
    assert result.exit_code == 1
    assert "refusé" in result.stderr
    assert smtp.received == []


def test_embargo_guard_refuses_then_allows(
    office: Path, monkeypatch: pytest.MonkeyPatch, smtp_server: StartServer
) -> None:
    monkeypatch.chdir(office)
    with SOURCE.open("a", encoding="utf-8") as handle:
        handle.write("embargo: 2099-01-15T10:00:00+01:00\n")
    smtp = smtp_server()
    args = [str(SOURCE), "--send", "--to", "a@exemple.fr", "--smtp-host", smtp.host,
            "--smtp-port", str(smtp.port), "--smtp-cafile", str(smtp.ca_file)]  # fmt: skip
    refused = run(*args, env=CREDENTIALS)
    assert refused.exit_code == 1
    assert (
        "envoi refusé : le communiqué est sous embargo jusqu'au 15\u00a0janvier 2099 à 10\u00a0h\u00a000"
        in refused.stderr
    )
    assert "--avant-embargo" in refused.stderr
    assert refused.stderr.count("refusé") == 1, refused.stderr  # « envoi refusé », once
    assert smtp.received == [] and not Path("build").exists()
    dry = run(str(SOURCE), "--dry-run", "--to", "a@exemple.fr")
    assert dry.exit_code == 1 and "envoi refusé" in dry.stderr
    allowed = run(*args, "--allow-embargo", env=CREDENTIALS)
    assert allowed.exit_code == 0, allowed.output
    [received] = smtp.received
    message = received.message
    assert message["Subject"].startswith(
        "[EMBARGO jusqu’au 15\u00a0janvier\u00a02099 à 10\u00a0h\u00a000] Communiqué de presse"
    )
    plain = message.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().startswith(
        "Sous embargo jusqu’au 15\u00a0janvier\u00a02099 à 10\u00a0h\u00a000"
    )


def test_dry_run_prints_and_sends_nothing(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(office)
    log = Path("build/envois/2021-04-19-expe-ct.jsonl")
    log.parent.mkdir(parents=True)
    log.write_text('{"destinataire": "alice@exemple.fr", "statut": "envoyé"}\n', encoding="utf-8")
    Path("liste.csv").write_text(
        "email,nom,organisation\nalice@exemple.fr,Alice,\nbruno@exemple.fr,Bruno,Radio\n",
        encoding="utf-8",
    )
    result = run(
        str(SOURCE), "--dry-run", "--recipients", "liste.csv", "--smtp-host", "smtp.exemple.fr"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Objet : Communiqué de presse\u00a0: Annonce des lauréats au label EXPE-CT",
        "De : DAECT <secretariat.dgm-aect@diplomatie.gouv.fr>",
        "Répondre à : Secrétariat <secretariat.dgm-aect@diplomatie.gouv.fr>",
        f"PDF : 2021-04-19-expe-ct.pdf en pièce jointe ({len(_pdf(office)):,} octets)".replace(
            ",", "\u202f"
        ),  # 1 234 567
        "Serveur : smtp.exemple.fr:587 (starttls)",
        "Journal : build/envois/2021-04-19-expe-ct.jsonl",
        "→ Bruno <bruno@exemple.fr> (Radio)",
        "  déjà servi : Alice <alice@exemple.fr>",
        "1 message(s) à envoyer, 1 destinataire(s) déjà servi(s), 2 message(s) par seconde au plus : rien n'a été envoyé (--simulation)",
    ]
    assert log.read_text(encoding="utf-8").count("\n") == 1


def _pdf(office: Path) -> bytes:
    from communiques.build import Theme, render
    from communiques.resolve import load
    from communiques.sources import PressOffice

    source = office / SOURCE
    press = PressOffice.find(source)
    return render(load(source, press), Theme.of(press), ("pdf",))["pdf"]
