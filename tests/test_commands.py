"""The commands as functions (communiques/commands/): plain arguments in, a result out, a
`CommuniquesError` raised when they stop; no click, no printing."""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from email_fixtures import SmtpServer, smtp_servers

from communiques.commands.build import build
from communiques.commands.check import check
from communiques.commands.common import find_sources, working_on
from communiques.commands.email import EmailRequest, plan, prepare, send, write_drafts
from communiques.commands.listing import listing
from communiques.commands.new import new
from communiques.commands.schema import schema
from communiques.commands.verify import exit_code, verify
from communiques.errors import (
    ERROR,
    DataErrors,
    InternalError,
    SendRefused,
    UsageError,
)
from communiques.sources import PressOffice

SEED = Path("communiques") / "2021-04-19-expe-ct.yaml"
BAD = "lieu: Paris\ndate: 2021-04-19\ntitre: T\nemetteur: nulle-part\n"


def test_find_sources_in_the_office_or_under_the_paths(office: Path, tmp_path: Path) -> None:
    assert find_sources([], lambda: PressOffice(office)) == [office / SEED]
    assert find_sources([office / "communiques"]) == [office / SEED]
    with pytest.raises(UsageError, match=r"introuvable : .*absent\.yaml"):
        find_sources([office / "absent.yaml"])
    (tmp_path / "vide" / "communiques").mkdir(parents=True)
    with pytest.raises(UsageError, match="aucun communiqué dans"):
        find_sources([], lambda: PressOffice(tmp_path / "vide"))


def test_working_on_names_the_communique_of_a_bug_and_lets_user_errors_pass() -> None:
    with pytest.raises(InternalError) as caught, working_on(Path("c.yaml")):
        raise KeyError("x")
    assert caught.value.source == Path("c.yaml")
    assert caught.value.lines() == [
        "c.yaml: erreur interne : KeyError : 'x' "
        "(signalez-le aux développeurs avec le fichier et ce message)"
    ]
    assert caught.value.exit_code == 70
    with pytest.raises(UsageError), working_on(Path("c.yaml")):
        raise UsageError("mal appelé")


def test_check_counts_failed_communiques_and_each_finding_once(office: Path) -> None:
    (office / "communiques" / "mauvais.yaml").write_text(BAD, encoding="utf-8")
    result = check(find_sources([], lambda: PressOffice(office)), layout=False)
    assert (result.checked, result.failed) == (2, 1)
    [error] = [f for f in result.findings if f.level == ERROR]
    assert (error.path.name, error.line, error.column, error.field) == (
        "mauvais.yaml", 4, 11, "emetteur",
    )  # fmt: skip
    assert len(set(result.findings)) == len(result.findings)
    assert result.exit_code(strict=False) == 1


def test_build_returns_the_report_and_list_reads_it_back(office: Path, tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    report = build(find_sources([], lambda: PressOffice(office)), out, ("html",), jobs=1)
    assert [p.name for p in report.built[office / SEED]] == [
        "2021-04-19-expe-ct.html",
        "2021-04-19-expe-ct.fragment.html",
    ]
    assert (report.errors, report.skipped) == ({}, [])
    again = build([office / SEED], out, ("html",), jobs=1)
    assert again.skipped == [office / SEED] and not again.built
    [entry] = listing(out)
    assert (entry.date, entry.titre) == ("2021-04-19", "Annonce des lauréats au label EXPE-CT")
    assert listing(tmp_path / "rien") == []


def test_build_refuses_contradictory_options_before_building(tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    with pytest.raises(UsageError, match="--executeur dask demande --planificateur"):
        build([], out, executor="dask")
    with pytest.raises(UsageError, match=r"--archive \(pdf/a-3u\) contredit --variante-pdf"):
        build([], out, pdf_variant="pdf/ua-1", archive=True)
    assert not out.exists()


def test_new_writes_a_starter_and_refuses_to_overwrite(office: Path) -> None:
    created = new("Nouvel appel", "annonce-comite", PressOffice(office))
    assert created == office / "communiques" / "nouvel-appel.yaml"
    assert "emetteur: daect" in created.read_text(encoding="utf-8")
    with pytest.raises(UsageError, match="existe déjà"):
        new("Nouvel appel", "communique", PressOffice(office))
    with pytest.raises(UsageError, match="modèle inconnu « nomination »"):
        new("Autre", "nomination", PressOffice(office))


def test_schema_is_the_shipped_json_schema() -> None:
    assert json.loads(schema())["required"] == ["lieu", "date", "emetteur", "titre"]


def test_verify_reports_each_pdf(seed_outputs: dict[str, bytes], tmp_path: Path) -> None:
    good = tmp_path / "bon.pdf"
    good.write_bytes(seed_outputs["pdf"])
    bad = tmp_path / "mauvais.pdf"
    bad.write_bytes(b"%PDF-1.7\n%%EOF\n")
    found = verify([good])
    assert [f for f in found[good] if f.level == ERROR] == []
    assert exit_code(found) == 0
    found = verify([good, bad])
    assert list(found) == [good, bad] and exit_code(found) == 1
    assert found[bad] and {f.path for f in found[bad]} == {bad}


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Callable[..., SmtpServer]]:
    with smtp_servers(tmp_path) as start:
        yield start


def test_email_drafts_plan_and_send(
    office: Path, smtp: Callable[..., SmtpServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    drafts = prepare(EmailRequest(SEED, ("a@exemple.fr", "A@exemple.fr", "b@exemple.fr")))
    assert [r.email for r in drafts.recipients] == ["a@exemple.fr", "b@exemple.fr"]
    written = write_drafts(drafts)
    assert [p.name for p in written] == [
        "2021-04-19-expe-ct--a-exemple-fr.eml", "2021-04-19-expe-ct--b-exemple-fr.eml",
    ]  # fmt: skip
    message = email.message_from_bytes(written[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "a@exemple.fr"

    server = smtp(security="aucune")  # on 127.0.0.1: no login over plain text
    request = EmailRequest(SEED, ("a@exemple.fr",), send=True, smtp_host=server.host,
                           smtp_port=server.port, security="aucune", rate=50)  # fmt: skip
    dry = plan(prepare(EmailRequest(SEED, ("a@exemple.fr",), dry_run=True)))
    assert [r.email for r in dry.pending] == ["a@exemple.fr"] and dry.server is None
    assert dry.headers["Subject"].startswith("Communiqué de presse")
    report, log = send(prepare(request))
    assert [r.email for r in report.sent] == ["a@exemple.fr"] and not report.refused
    assert [r.rcpt_tos for r in server.received] == [["a@exemple.fr"]]
    assert log == Path("build/envois/2021-04-19-expe-ct.jsonl")
    report, _ = send(prepare(request))
    assert [r.email for r in report.already] == ["a@exemple.fr"] and len(server.received) == 1


def test_email_refuses_before_anything_is_written(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office)
    Path("liste.csv").write_text("email,nom\npas-une-adresse,B\nc@exemple.fr,C\n", encoding="utf-8")
    with pytest.raises(DataErrors) as caught:
        prepare(EmailRequest(SEED, mailing_list=Path("liste.csv")))
    assert caught.value.lines() == [
        "liste.csv: erreur: 1 ligne(s) invalide(s) → corrigez-les, ou relancez avec "
        "--ignorer-invalides pour les ignorer",
        "liste.csv:2:1: erreur: email: adresse e-mail invalide « pas-une-adresse »",
    ]
    skipped = prepare(EmailRequest(SEED, mailing_list=Path("liste.csv"), skip_invalid=True))
    assert [r.email for r in skipped.recipients] == ["c@exemple.fr"]
    assert [d.line for d in skipped.ignored] == [2]
    with pytest.raises(UsageError, match="--envoyer demande des destinataires"):
        prepare(EmailRequest(SEED, send=True))
    with pytest.raises(UsageError, match="--langue en : ce communiqué est publié en fr"):
        prepare(EmailRequest(SEED, language="en"))
    with SEED.open("a", encoding="utf-8") as handle:
        handle.write("embargo: 2099-01-15T10:00:00+01:00\n")
    with pytest.raises(SendRefused, match="--avant-embargo"):
        prepare(EmailRequest(SEED, ("a@exemple.fr",), dry_run=True))
    assert prepare(EmailRequest(SEED, ("a@exemple.fr",), dry_run=True, allow_embargo=True))
    assert not Path("build").exists()
