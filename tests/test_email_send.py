"""Sending through a real SMTP server (aiosmtpd on 127.0.0.1) and reading what it received."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import SEED_COMMUNIQUE
from email_fixtures import (
    NOW,
    PASSWORD,
    USER,
    FakeTime,
    Recorder,
    SmtpServer,
    smtp_servers,
)

from communiques.build import Theme
from communiques.errors import DataErrors
from communiques.errors import SendRefused as Refused
from communiques.mail.journal import SENT, SendLog, log_path
from communiques.mail.message import Composer
from communiques.mail.recipients import Recipient
from communiques.mail.send import Throttle, send_all
from communiques.mail.smtp import Server
from communiques.resolve import load
from communiques.sources import PressOffice

StartServer = Callable[..., SmtpServer]


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[StartServer]:
    with smtp_servers(tmp_path) as start:
        yield start


# aiosmtpd counts only STARTTLS as encryption for AUTH, and warns about the implicit-TLS server
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
PEOPLE = [
    Recipient("alice@exemple.fr", "Alice Martin", "Le Quotidien", 2),
    Recipient("bruno@exemple.fr", "Bruno Éluard", "", 3),
    Recipient("chloe@exemple.org", "Chloé Durand", "Radio Locale", 4),
    Recipient("david@exemple.fr", "", "", 5),
    Recipient("emma@exemple.net", "Emma Petit", "Agence", 6),
]


@pytest.fixture(scope="module")
def composer(seed_outputs: dict[str, bytes]) -> Composer:
    office = PressOffice.find(SEED_COMMUNIQUE)
    return Composer(load(SEED_COMMUNIQUE, office), Theme.of(office), seed_outputs["pdf"])


def server_for(smtp: SmtpServer, security: str = "starttls", password: str = PASSWORD) -> Server:
    return Server(smtp.host, smtp.port, security, USER, password, smtp.ca_file, timeout=10)  # type: ignore[arg-type]


def send(
    people: list[Recipient],
    composer: Composer,
    server: Server,
    log: SendLog,
    time: FakeTime | None = None,
    **options: object,
) -> object:
    time = time or FakeTime()
    return send_all(
        people,
        composer,
        server,
        log,
        rate=2,
        now=lambda: NOW,
        clock=time.clock,
        sleep=time.sleep,
        **options,  # type: ignore[arg-type]
    )


def test_starttls_login_one_message_per_recipient(
    smtp_server: StartServer, composer: Composer, tmp_path: Path, seed_outputs: dict[str, bytes]
) -> None:
    smtp = smtp_server()
    log = SendLog(tmp_path / "envois" / "c.jsonl")
    report = send(PEOPLE[:3], composer, server_for(smtp), log)
    assert [r.email for r in report.sent] == [
        "alice@exemple.fr",
        "bruno@exemple.fr",
        "chloe@exemple.org",
    ]  # type: ignore[attr-defined]
    assert len(smtp.received) == 3
    for person, received in zip(PEOPLE, smtp.received, strict=False):
        assert received.tls and received.login == USER
        assert received.mail_from == "secretariat.dgm-aect@diplomatie.gouv.fr"
        assert received.rcpt_tos == [person.email]  # nobody sees the others
        message = received.message
        assert [a.addr_spec for a in message["To"].addresses] == [person.email]
        assert message["To"].addresses[0].display_name == person.nom
        assert "Cc" not in message and "Bcc" not in message
        assert (
            message["Subject"]
            == "Communiqué de presse\u00a0: Annonce des lauréats au label EXPE-CT"
        )
        attachment = next(message.iter_attachments())
        assert attachment.get_content() == seed_outputs["pdf"]  # type: ignore[attr-defined]
        assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    lines = [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]
    assert [e["statut"] for e in lines] == ["en cours", SENT] * 3  # « en cours » before DATA
    assert [e["message_id"] for e in lines[::2]] == [e["message_id"] for e in lines[1::2]]
    entries = lines[1::2]
    assert [e["destinataire"] for e in entries] == [p.email for p in PEOPLE[:3]]
    assert [e["reponse"] for e in entries] == [
        f"250 2.0.0 Ok: queued as Q000{i}" for i in (1, 2, 3)
    ]
    assert [e["message_id"] for e in entries] == [r.message["Message-ID"] for r in smtp.received]
    assert {e["statut"] for e in entries} == {SENT}
    assert entries[0]["heure"] == "2021-04-19T09:00:00+02:00"
    assert entries[0]["organisation"] == "Le Quotidien"


def test_implicit_tls(smtp_server: StartServer, composer: Composer, tmp_path: Path) -> None:
    smtp = smtp_server(security="tls")
    send(PEOPLE[:1], composer, server_for(smtp, "tls"), SendLog(tmp_path / "j.jsonl"))
    [received] = smtp.received
    assert received.tls and received.login == USER


def test_wrong_password_is_refused_and_never_shown(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server()
    with pytest.raises(
        Refused,
        match=r"n.accepte pas l.identifiant .* vérifiez COMMUNIQUES_SMTP_USER et COMMUNIQUES_SMTP_PASSWORD",
    ) as caught:
        send(
            PEOPLE[:1],
            composer,
            server_for(smtp, password="mauvais-mot-de-passe"),
            SendLog(tmp_path / "j.jsonl"),
        )
    assert "mauvais-mot-de-passe" not in str(caught.value)
    assert smtp.received == []


def test_untrusted_certificate_is_refused(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server()
    server = Server(smtp.host, smtp.port, "starttls", USER, PASSWORD, cafile=None, timeout=10)
    with pytest.raises(
        Refused, match=r"certificat du serveur SMTP .* non reconnu .*--smtp-autorite"
    ):
        send(PEOPLE[:1], composer, server, SendLog(tmp_path / "j.jsonl"))
    assert smtp.received == []


def test_server_without_starttls_is_refused(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server(security="aucune")
    with pytest.raises(Refused) as caught:
        send(PEOPLE[:1], composer, server_for(smtp), SendLog(tmp_path / "j.jsonl"))
    assert caught.value.lines() == [
        f"envoi refusé : le serveur SMTP {smtp.host}:{smtp.port} ne propose pas STARTTLS : "
        "relancez avec --smtp-chiffrement aucune si ce serveur est sur votre réseau, ou "
        "--smtp-chiffrement tls s'il chiffre dès la connexion (port 465)"
    ]


def test_interrupted_by_the_server_resumes_without_duplicates(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    recorder = Recorder(close_after=2)
    smtp = smtp_server(recorder=recorder)
    log = SendLog(tmp_path / "j.jsonl")
    first = send(PEOPLE, composer, server_for(smtp), log)
    assert first.interrupted and "421" in first.interrupted  # type: ignore[attr-defined]
    assert len(first.sent) == 2  # type: ignore[attr-defined]
    recorder.close_after = None
    second = send(PEOPLE, composer, server_for(smtp), log)
    assert [r.email for r in second.already] == [p.email for p in PEOPLE[:2]]  # type: ignore[attr-defined]
    assert [r.email for r in second.sent] == [p.email for p in PEOPLE[2:]]  # type: ignore[attr-defined]
    assert second.interrupted is None  # type: ignore[attr-defined]
    delivered = [r.rcpt_tos[0] for r in smtp.received]
    assert sorted(delivered) == sorted(p.email for p in PEOPLE)  # each exactly once
    third = send(PEOPLE, composer, server_for(smtp), log)
    assert third.sent == [] and len(third.already) == 5  # type: ignore[attr-defined]
    assert len(smtp.received) == 5


def test_interrupted_by_ctrl_c_resumes_without_duplicates(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server()
    log = SendLog(tmp_path / "j.jsonl")
    time = FakeTime()

    def sleep_then_stop(seconds: float) -> None:
        if len(time.sleeps) == 1:  # Ctrl-C while waiting before the third message
            raise KeyboardInterrupt
        time.sleep(seconds)

    with pytest.raises(KeyboardInterrupt):
        send_all(
            PEOPLE,
            composer,
            server_for(smtp),
            log,
            rate=2,
            now=lambda: NOW,
            clock=time.clock,
            sleep=sleep_then_stop,
        )
    assert len(smtp.received) == 2
    assert [e["statut"] for e in log.entries()] == ["en cours", "envoyé"] * 2
    send(PEOPLE, composer, server_for(smtp), log)
    assert [r.rcpt_tos[0] for r in smtp.received] == [p.email for p in PEOPLE]


def test_refused_recipient_is_logged_and_retried_next_time(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    recorder = Recorder(refuse={"bruno@exemple.fr"})
    smtp = smtp_server(recorder=recorder)
    log = SendLog(tmp_path / "j.jsonl")
    report = send(PEOPLE[:3], composer, server_for(smtp), log)
    assert [(r.email, answer) for r, answer in report.refused] == [
        ("bruno@exemple.fr", "550 5.1.1 Mailbox unknown")
    ]  # type: ignore[attr-defined]
    assert [r.rcpt_tos[0] for r in smtp.received] == ["alice@exemple.fr", "chloe@exemple.org"]
    assert [e["statut"] for e in log.entries() if e["statut"] != "en cours"] == [
        "envoyé", "refusé", "envoyé"
    ]  # fmt: skip
    recorder.refuse.clear()
    again = send(PEOPLE[:3], composer, server_for(smtp), log)
    assert [r.email for r in again.sent] == ["bruno@exemple.fr"]  # type: ignore[attr-defined]


def test_rate_is_bounded_by_waiting_between_messages(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server()
    time = FakeTime()
    send(PEOPLE, composer, server_for(smtp), SendLog(tmp_path / "j.jsonl"), time)
    assert time.sleeps == [0.5, 0.5, 0.5, 0.5]  # 5 messages at 2 per second


def test_throttle_does_not_wait_when_sending_is_already_slow() -> None:
    time = FakeTime()
    throttle = Throttle(2, time.clock, time.sleep)
    throttle.wait()
    time.now += 3  # a slow server: the next message is already late
    throttle.wait()
    time.now += 0.1
    throttle.wait()
    assert time.sleeps == [pytest.approx(0.4)]


def test_embargo_guard_refuses_before_connecting(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server()
    log = SendLog(tmp_path / "j.jsonl")
    embargo = NOW + dt.timedelta(hours=1)
    with pytest.raises(
        Refused,
        match="le communiqué est sous embargo jusqu'au 19\u00a0avril 2021 à 10\u00a0h\u00a000",
    ):
        send(PEOPLE[:1], composer, server_for(smtp), log, embargo=embargo)
    assert smtp.received == [] and not log.path.exists()
    send(PEOPLE[:1], composer, server_for(smtp), log, embargo=NOW - dt.timedelta(minutes=1))
    assert len(smtp.received) == 1


def test_a_second_run_at_the_same_time_is_refused(tmp_path: Path) -> None:
    log = SendLog(tmp_path / "j.jsonl")
    with (
        log.locked(),
        pytest.raises(Refused, match="un autre envoi de ce communiqué est en cours"),
        SendLog(log.path).locked(),
    ):
        pass


def test_unreadable_log_line_stops_everything(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(
        '{"destinataire": "a@exemple.fr", "statut": "envoyé"}\n{"destinat\n', encoding="utf-8"
    )
    with pytest.raises(DataErrors) as caught:
        SendLog(path).served()
    [error] = caught.value.errors
    assert (error.path, error.line) == (path, 2)


def test_credentials_come_from_the_environment_only() -> None:
    env = {"COMMUNIQUES_SMTP_USER": "presse", "COMMUNIQUES_SMTP_PASSWORD": "motdepasse"}
    server = Server.from_environment("smtp.exemple.fr", None, "starttls", environ=env)
    assert (server.user, server.password, server.port) == ("presse", "motdepasse", 587)
    assert "motdepasse" not in repr(server) and "motdepasse" not in server.describe()
    assert Server.from_environment("h", None, "tls", environ={}).port == 465
    with pytest.raises(Refused, match="COMMUNIQUES_SMTP_PASSWORD"):
        Server.from_environment("h", None, "starttls", environ={"COMMUNIQUES_SMTP_USER": "presse"})


def test_login_over_plain_text_is_refused_before_connecting(
    tmp_path: Path, composer: Composer
) -> None:
    # 192.0.2.1 is reserved for documentation: the refusal comes before any connection.
    server = Server("192.0.2.1", 25, "aucune", USER, PASSWORD, timeout=1)
    with pytest.raises(
        Refused,
        match=r"un identifiant SMTP ne passe pas en clair vers .* : utilisez --smtp-chiffrement starttls ou tls",
    ):
        send(PEOPLE[:1], composer, server, SendLog(tmp_path / "j.jsonl"))


def test_plain_server_on_this_machine_without_login(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server(security="aucune")
    server = Server(smtp.host, smtp.port, "aucune", timeout=10)
    send(PEOPLE[:2], composer, server, SendLog(tmp_path / "j.jsonl"))
    assert [(r.tls, r.login, r.rcpt_tos) for r in smtp.received] == [
        (False, None, [p.email]) for p in PEOPLE[:2]
    ]


def test_log_is_named_like_the_outputs() -> None:
    assert log_path(Path("build/envois"), Path("communiques/Lauréats été.yaml")) == Path(
        "build/envois/laureats-ete.jsonl"
    )


def test_a_message_stored_before_a_lost_connection_is_not_sent_twice(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    """#12: the server stores the second message and hangs up before its 250. Its recipient
    is logged « en cours » (before DATA), and a resume without a terminal does not write to
    them again: they are listed for a manual check."""
    recorder = Recorder(hang_up_after_storing=1)
    smtp = smtp_server(recorder=recorder)
    log = SendLog(tmp_path / "j.jsonl")
    first = send(PEOPLE[:3], composer, server_for(smtp), log)
    assert first.interrupted and [r.email for r in first.sent] == ["alice@exemple.fr"]  # type: ignore[attr-defined]
    assert [r.rcpt_tos[0] for r in smtp.received] == ["alice@exemple.fr", "bruno@exemple.fr"]
    last = log.entries()[-1]
    assert (last["destinataire"], last["statut"]) == ("bruno@exemple.fr", "en cours")
    assert last["message_id"] == str(smtp.received[1].message["Message-ID"])

    second = send(PEOPLE[:3], composer, server_for(smtp), log)
    assert [r.email for r, _ in second.unchecked] == ["bruno@exemple.fr"]  # type: ignore[attr-defined]
    assert [r.email for r in second.sent] == ["chloe@exemple.org"]  # type: ignore[attr-defined]
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == [
        "alice@exemple.fr", "bruno@exemple.fr", "chloe@exemple.org"
    ]  # each once  # fmt: skip

    # Asked (on a terminal): « it arrived » is remembered; « send it again » sends it.
    asked: list[str] = []
    third = send(PEOPLE[:3], composer, server_for(smtp), log,
                 resend=lambda who, entry: asked.append(who.email) or False)  # fmt: skip
    assert asked == ["bruno@exemple.fr"] and third.sent == []  # type: ignore[attr-defined]
    assert len(send(PEOPLE[:3], composer, server_for(smtp), log).already) == 3  # type: ignore[attr-defined]
    assert len(smtp.received) == 3


def test_a_message_that_may_have_arrived_is_sent_again_only_when_asked(
    smtp_server: StartServer, composer: Composer, tmp_path: Path
) -> None:
    smtp = smtp_server(recorder=Recorder(hang_up_after_storing=0))
    log = SendLog(tmp_path / "j.jsonl")
    send(PEOPLE[:1], composer, server_for(smtp), log)
    again = send(PEOPLE[:1], composer, server_for(smtp), log, resend=lambda who, entry: True)
    assert [r.email for r in again.sent] == ["alice@exemple.fr"]  # type: ignore[attr-defined]
    assert [r.rcpt_tos[0] for r in smtp.received] == ["alice@exemple.fr"] * 2
