"""Delivery over SMTP: one message per recipient, at a bounded rate, logged as it goes.

One message each, so no journalist sees who else was written to. The send log is appended and
flushed to disk around every message: a run stopped half-way (a crash, Ctrl-C, the server
going away) is resumed by running the same command, which writes only to those not yet
served.

Each message is logged « en cours », with its Message-ID, before its content is handed over
(SMTP's DATA), and again with the server's answer. A server can store a message and lose the
connection before its answer: SMTP gives the client no way to know. A recipient whose last
entry is « en cours » is therefore never written to again without being asked: on resume, a
terminal asks; otherwise the recipient is listed for a manual check (the Message-ID says
which message to look for in the server's log or the recipient's mailbox).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..build import output_name
from ..errors import DataErrors, Diagnostic, SendRefused
from ..l10n import Localiser
from . import DEFAULT_PORTS, Security
from .message import as_bytes
from .recipients import Recipient

if TYPE_CHECKING:
    import smtplib

USER_VARIABLE = "COMMUNIQUES_SMTP_USER"
PASSWORD_VARIABLE = "COMMUNIQUES_SMTP_PASSWORD"
SENT = "envoyé"
REFUSED = "refusé"
IN_PROGRESS = "en cours"
"""Handed to the server, its answer not yet received: it may have been stored."""
NOT_RESENT = "non renvoyé"
"""An « en cours » message the user said not to send again (checked by hand)."""

Compose = Callable[[Recipient, dt.datetime], EmailMessage]


@dataclass(frozen=True)
class Server:
    """Where and how to connect. The password is never shown, not even in a repr."""

    host: str
    port: int
    security: Security = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: Path | None = None
    timeout: float = 60.0

    @classmethod
    def from_environment(
        cls,
        host: str,
        port: int | None,
        security: Security,
        cafile: Path | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> Server:
        """Credentials come from the environment only: never a command line (visible to
        every user of the machine) nor a file that could end up in the repository."""
        user = environ.get(USER_VARIABLE) or None
        password = environ.get(PASSWORD_VARIABLE) or None
        if (user is None) != (password is None):
            missing = PASSWORD_VARIABLE if password is None else USER_VARIABLE
            raise SendRefused(
                f"identifiant SMTP incomplet : définissez aussi la variable {missing}"
            )
        return cls(host, port or DEFAULT_PORTS[security], security, user, password, cafile)

    def describe(self) -> str:
        login = f", identifiant de {USER_VARIABLE}" if self.user else ", sans identifiant"
        return f"{self.host}:{self.port} ({self.security}{login})"


def log_path(folder: Path, source: Path, language: str | None = None) -> Path:
    """build/envois/<communiqué>.jsonl: one log per communiqué, named like its outputs; per
    edition for one published in several languages (<communiqué>.en.jsonl)."""
    return folder / f"{output_name(source)}{f'.{language}' if language else ''}.jsonl"


class SendLog:
    """The JSON Lines record of what was sent: recipient, time, Message-ID, SMTP answer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def entries(self) -> list[dict[str, Any]]:
        """Every entry; a line that cannot be read stops everything rather than risk
        writing twice to the people it names."""
        if not self.path.is_file():
            return []
        entries = []
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                    if not isinstance(entry, dict) or "destinataire" not in entry:
                        raise ValueError
                except ValueError:
                    message = "ligne illisible du journal d'envoi : corrigez-la ou supprimez-la"
                    raise DataErrors([Diagnostic(self.path, number, 1, "", message)]) from None
                entries.append(entry)
        return entries

    def served(self) -> set[str]:
        return {
            str(e["destinataire"]).lower()
            for e in self.entries()
            if e.get("statut") in (SENT, NOT_RESENT)
        }

    def uncertain(self) -> dict[str, dict[str, Any]]:
        """The recipients whose last entry is « en cours » (the server may have their
        message), with that entry."""
        last = {str(e["destinataire"]).lower(): e for e in self.entries()}
        return {who: entry for who, entry in last.items() if entry.get("statut") == IN_PROGRESS}

    @contextmanager
    def locked(self) -> Iterator[SendLog]:
        """Open for appending, with an exclusive lock: two runs at once would both send."""
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SendRefused(
                    f"un autre envoi de ce communiqué est en cours ({self.path} est verrouillé)"
                ) from None
            self._handle = handle
            try:
                yield self
            finally:
                self._handle = None

    def record(self, entry: dict[str, Any]) -> None:
        """Append one entry and make sure it is on disk before the next message goes."""
        assert self._handle is not None, "record() outside locked()"
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())


class Throttle:
    """At most `rate` messages per second. Clock and sleep are given, so tests need no time."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1 / rate
        self.clock = clock
        self.sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self._next is not None and now < self._next:
            self.sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


def check_embargo(embargo: dt.datetime | None, now: dt.datetime, allowed: bool) -> None:
    """Sending before the embargo lifts must be asked for in so many words."""
    if embargo is None or now >= embargo or allowed:
        return
    l10n = Localiser("fr")
    raise SendRefused(
        f"le communiqué est sous embargo jusqu'au {l10n.date(embargo)} à "
        f"{l10n.time(embargo)} : attendez cette heure, ou confirmez avec --avant-embargo "
        "(l'objet et la première ligne du message porteront alors la mention d'embargo)"
    )


@dataclass
class Plan:
    pending: list[Recipient] = field(default_factory=list)
    done: list[Recipient] = field(default_factory=list)
    """Those the log says were served already."""
    uncertain: list[tuple[Recipient, dict[str, Any]]] = field(default_factory=list)
    """Those whose message the server may have stored (its « en cours » entry)."""


def plan(recipients: Iterable[Recipient], log: SendLog) -> Plan:
    """Who is still to serve, who was served, and whose message may have arrived."""
    served, uncertain = log.served(), log.uncertain()
    result = Plan()
    for recipient in recipients:
        if recipient.key in served:
            result.done.append(recipient)
        elif recipient.key in uncertain:
            result.uncertain.append((recipient, uncertain[recipient.key]))
        else:
            result.pending.append(recipient)
    return result


@dataclass
class Report:
    sent: list[Recipient] = field(default_factory=list)
    already: list[Recipient] = field(default_factory=list)
    refused: list[tuple[Recipient, str]] = field(default_factory=list)
    unchecked: list[tuple[Recipient, dict[str, Any]]] = field(default_factory=list)
    """Not written to again: their message may have arrived (its « en cours » entry);
    to check by hand."""
    interrupted: str | None = None
    """Why the run stopped before the end; running the same command again resumes it."""


Event = Callable[[str, Recipient, str], None]
Resend = Callable[[Recipient, dict[str, Any]], bool | None]
"""Asked about a recipient whose message may have arrived (its « en cours » entry): True to
send it again, False if it arrived (checked by hand), None to leave it for later."""


def send_all(
    recipients: Iterable[Recipient],
    compose: Compose,
    server: Server,
    log: SendLog,
    *,
    rate: float,
    embargo: dt.datetime | None = None,
    allow_embargo: bool = False,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now().astimezone(),
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_event: Event | None = None,
    resend: Resend | None = None,
) -> Report:
    """Send to everyone not yet served. A refused recipient is logged and skipped; a lost
    connection stops the run, which the next one resumes. A recipient whose message may
    have arrived is sent again only if `resend` says so (without it: never)."""
    import smtplib

    check_embargo(embargo, now(), allow_embargo)
    report = Report()
    throttle = Throttle(rate, clock, sleep)
    notify = on_event or (lambda event, recipient, detail: None)
    with log.locked():
        planned = plan(recipients, log)
        pending, report.already = planned.pending, planned.done
        for recipient, entry in planned.uncertain:
            decision = resend(recipient, entry) if resend else None
            if decision:
                pending.append(recipient)
            elif decision is False:
                log.record({**entry, "heure": now().isoformat(timespec="seconds"),
                            "reponse": "vérifié à la main", "statut": NOT_RESENT})  # fmt: skip
                report.already.append(recipient)
            else:
                report.unchecked.append((recipient, entry))
        if not pending:
            return report
        with _connection(server) as smtp:
            for recipient in pending:
                throttle.wait()
                moment = now()
                message = compose(recipient, moment)
                entry = {
                    "destinataire": recipient.email,
                    "nom": recipient.nom,
                    "organisation": recipient.organisation,
                    "heure": moment.isoformat(timespec="seconds"),
                    "message_id": str(message["Message-ID"]),
                }
                try:
                    handing_over = {**entry, "statut": IN_PROGRESS}
                    answer = deliver(smtp, message, partial(log.record, handing_over))
                except _Rejected as exc:
                    if exc.code == 421:  # an answer: the message was not stored
                        log.record({**entry, "reponse": str(exc), "statut": REFUSED})
                        report.interrupted = f"le serveur a fermé la session : {exc}"
                        break
                    log.record({**entry, "reponse": str(exc), "statut": REFUSED})
                    report.refused.append((recipient, str(exc)))
                    notify(REFUSED, recipient, str(exc))
                    continue
                except (smtplib.SMTPException, OSError) as exc:
                    report.interrupted = f"connexion perdue ({_reason(exc)})"
                    break
                log.record({**entry, "reponse": answer, "statut": SENT})
                report.sent.append(recipient)
                notify(SENT, recipient, answer)
    return report


class _Rejected(Exception):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code} {text}")
        self.code = code


def deliver(
    smtp: smtplib.SMTP, message: EmailMessage, before_data: Callable[[], None] = lambda: None
) -> str:
    """One SMTP transaction; returns the server's final answer, which the log keeps (the
    queue identifier in it is what a postmaster asks for). `before_data` runs once the
    server has accepted the envelope, before the message is handed over."""
    import smtplib

    sender = message["From"].addresses[0].addr_spec
    recipients = [address.addr_spec for address in message["To"].addresses]
    data = as_bytes(message)

    def check(reply: tuple[int, bytes], accepted: tuple[int, ...]) -> None:
        code, text = reply
        if code not in accepted:
            if code != 421:
                with suppress(smtplib.SMTPServerDisconnected):
                    smtp.rset()
            raise _Rejected(code, text.decode("utf-8", "replace"))

    check(smtp.mail(sender), (250,))
    for recipient in recipients:
        check(smtp.rcpt(recipient), (250, 251))
    before_data()
    code, text = smtp.data(data)
    check((code, text), (250,))
    return f"{code} {text.decode('utf-8', 'replace')}"


@contextmanager
def _connection(server: Server) -> Iterator[smtplib.SMTP]:
    """Connected, encrypted as asked, logged in; errors in French, the password in none."""
    import smtplib
    import ssl

    if server.user and server.security == "aucune" and not _loopback(server.host):
        raise SendRefused(
            f"un identifiant SMTP ne passe pas en clair vers {server.host} : "
            "utilisez --smtp-chiffrement starttls ou tls"
        )
    context = ssl.create_default_context(cafile=str(server.cafile) if server.cafile else None)
    where = f"{server.host}:{server.port}"
    smtp: smtplib.SMTP | None = None
    try:
        if server.security == "tls":
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout, context=context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        smtp.ehlo()
        if server.security == "starttls":
            if not smtp.has_extn("starttls"):
                raise SendRefused(
                    f"le serveur SMTP {where} ne propose pas STARTTLS : relancez avec "
                    "--smtp-chiffrement aucune si ce serveur est sur votre réseau, ou "
                    "--smtp-chiffrement tls s'il chiffre dès la connexion (port 465)"
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if server.user and server.password:
            smtp.login(server.user, server.password)
    except smtplib.SMTPAuthenticationError as exc:
        _close(smtp)
        raise SendRefused(
            f"le serveur SMTP {where} n'accepte pas l'identifiant ({_reason(exc)}) : "
            "vérifiez COMMUNIQUES_SMTP_USER et COMMUNIQUES_SMTP_PASSWORD"
        ) from None
    except ssl.SSLCertVerificationError as exc:
        _close(smtp)
        raise SendRefused(
            f"certificat du serveur SMTP {where} non reconnu ({exc.verify_message}) : "
            "indiquez l'autorité qui l'a signé avec --smtp-autorite"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        _close(smtp)
        raise SendRefused(
            f"connexion au serveur SMTP {where} impossible ({_reason(exc)}) : "
            "vérifiez --smtp-hote et --smtp-port"
        ) from None
    except BaseException:
        _close(smtp)
        raise
    try:
        yield smtp
    finally:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        smtp.close()


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reason(exc: BaseException) -> str:
    import smtplib

    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, ConnectionRefusedError):
        return "connexion refusée"
    if isinstance(exc, TimeoutError):
        return "délai dépassé"
    return str(exc) or type(exc).__name__
