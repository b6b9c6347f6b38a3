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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import partial
from typing import Any

from ..errors import SendRefused
from ..l10n import Localiser
from .journal import IN_PROGRESS, NOT_RESENT, REFUSED, SENT, SendLog, plan
from .recipients import Recipient
from .smtp import Rejected, Server, connection, deliver, reason

Compose = Callable[[Recipient, dt.datetime], EmailMessage]


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
        with connection(server) as smtp:
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
                except Rejected as exc:
                    if exc.code == 421:  # an answer: the message was not stored
                        log.record({**entry, "reponse": str(exc), "statut": REFUSED})
                        report.interrupted = f"le serveur a fermé la session : {exc}"
                        break
                    log.record({**entry, "reponse": str(exc), "statut": REFUSED})
                    report.refused.append((recipient, str(exc)))
                    notify(REFUSED, recipient, str(exc))
                    continue
                except (smtplib.SMTPException, OSError) as exc:
                    report.interrupted = f"connexion perdue ({reason(exc)})"
                    break
                log.record({**entry, "reponse": answer, "statut": SENT})
                report.sent.append(recipient)
                notify(SENT, recipient, answer)
    return report
