"""Talking to an SMTP server: connected, encrypted as asked, logged in with credentials from
the environment only; one transaction per message; every failure a French sentence that
never shows the password."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import SendRefused
from . import DEFAULT_PORTS, Security
from .message import as_bytes

if TYPE_CHECKING:
    import smtplib

USER_VARIABLE = "COMMUNIQUES_SMTP_USER"
PASSWORD_VARIABLE = "COMMUNIQUES_SMTP_PASSWORD"


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


class Rejected(Exception):
    """A refusal by the server, with its code: 421 means it closed the session."""

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
            raise Rejected(code, text.decode("utf-8", "replace"))

    check(smtp.mail(sender), (250,))
    for recipient in recipients:
        check(smtp.rcpt(recipient), (250, 251))
    before_data()
    code, text = smtp.data(data)
    check((code, text), (250,))
    return f"{code} {text.decode('utf-8', 'replace')}"


@contextmanager
def connection(server: Server) -> Iterator[smtplib.SMTP]:
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
            f"le serveur SMTP {where} n'accepte pas l'identifiant ({reason(exc)}) : "
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
            f"connexion au serveur SMTP {where} impossible ({reason(exc)}) : "
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


def reason(exc: BaseException) -> str:
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
