"""A real SMTP server for the e-mail tests: aiosmtpd on 127.0.0.1, on a free port.

STARTTLS (or implicit TLS) with a certificate signed by a throwaway authority (trustme), login
checked, and everything it received kept for the test to read back. It can be told to refuse a
recipient or to close the session after a number of messages, as real servers do, or to drop
the connection after storing a message, before its answer.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any

USER = "presse"
PASSWORD = "s3cret-de-test"
NOW = dt.datetime(2021, 4, 19, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: str | None
    tls: bool

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class Recorder:
    """The aiosmtpd handler: records messages; refuses or hangs up when told to."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    close_after: int | None = None
    hang_up_after_storing: int | None = None
    """Store that many messages, then drop the connection after storing the next one,
    before answering (the window in which a client cannot know it was accepted)."""

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.close_after is not None and len(self.received) >= self.close_after:
            return "421 4.3.2 Service shutting down"
        login = session.auth_data.login.decode() if session.authenticated else None
        self.received.append(
            Received(
                envelope.mail_from,
                list(envelope.rcpt_tos),
                envelope.original_content,
                login,
                server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        if self.hang_up_after_storing is not None and len(self.received) > (
            self.hang_up_after_storing
        ):
            self.hang_up_after_storing = None
            server.transport.abort()
        return f"250 2.0.0 Ok: queued as Q{len(self.received):04d}"


@dataclass
class SmtpServer:
    host: str
    port: int
    recorder: Recorder
    ca_file: Path

    @property
    def received(self) -> list[Received]:
        return self.recorder.received


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False, auth_data=data)


@cache
def certificate_authority() -> Any:
    """A throwaway authority, made once per test session (key generation is slow)."""
    import trustme

    return trustme.CA()


@contextmanager
def smtp_servers(folder: Path) -> Iterator[Callable[..., SmtpServer]]:
    """Start servers: `start()` (STARTTLS required, login required), `start(security="tls")`
    (implicit TLS), `start(security="aucune")` (plain, no login); all stopped on exit."""
    from aiosmtpd.controller import Controller

    authority = certificate_authority()
    ca_file = folder / "ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
    controllers: list[Any] = []

    def start(security: str = "starttls", recorder: Recorder | None = None) -> SmtpServer:
        recorder = recorder or Recorder()
        options: dict[str, Any] = {"authenticator": _authenticator, "auth_required": True}
        if security == "starttls":
            options.update(tls_context=server_context, require_starttls=True)
        elif security == "tls":
            # aiosmtpd counts only STARTTLS as encryption for AUTH; this one is TLS throughout
            options.update(ssl_context=server_context, auth_require_tls=False)
        else:
            options = {}
        port = _free_port()
        controller = Controller(
            recorder, hostname="127.0.0.1", port=port, ready_timeout=10, **options
        )
        controller.start()
        controllers.append(controller)
        return SmtpServer("127.0.0.1", port, recorder, ca_file)

    try:
        yield start
    finally:
        for controller in controllers:
            controller.stop()


class FakeTime:
    """A clock that moves only when slept on: rate limits are checked without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
