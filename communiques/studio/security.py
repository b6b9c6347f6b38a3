"""The studio's guard, as one ASGI middleware in front of every route.

A local server is reachable by every program and every web page of the machine: a page of
any site can make the browser post to 127.0.0.1 (CSRF) or resolve its own name to it (DNS
rebinding). So every request must carry the token printed at start (exchanged once for an
HttpOnly, SameSite=Strict cookie), name the served address in `Host`, and, when it changes
something, come from the served origin. Every answer forbids remote content (CSP).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "communiques_studio"
TOKEN_PARAMETER = "jeton"
SAFE_METHODS = frozenset({"GET", "HEAD"})
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
REFUSALS = {
    "hote": "adresse refusée : ouvrez le studio par l'adresse qu'il a affichée au démarrage",
    "jeton": "accès refusé : ouvrez l'adresse affichée par « communiques studio », avec son jeton",
    "origine": "requête refusée : elle vient d'une autre page que le studio ; rechargez le studio",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Guard:
    """What a request must match: the token, and the `host:port` names the server answers to."""

    token: str
    hosts: frozenset[str]

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)


class GuardMiddleware:
    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.guard.hosts:
            await _refuse(send, 400, "hote")  # DNS rebinding: a foreign name on our address
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.pop(TOKEN_PARAMETER, None)
        if given is not None and scope["method"] in SAFE_METHODS:
            if not hmac.compare_digest(given.encode(), self.guard.token.encode()):
                await _refuse(send, 403, "jeton")
                return
            # The token leaves the address bar (and the history) at once, for a cookie.
            location = scope["path"] + (f"?{urlencode(query)}" if query else "")
            cookie = f"{COOKIE}={self.guard.token}; HttpOnly; SameSite=Strict; Path=/"
            await _answer(
                send, 303, b"", [(b"location", location.encode()), (b"set-cookie", cookie.encode())]
            )
            return
        if not hmac.compare_digest(_cookie(headers).encode(), self.guard.token.encode()):
            await _refuse(send, 403, "jeton")
            return
        if scope["method"] not in SAFE_METHODS and headers.get("origin") not in self.guard.origins:
            await _refuse(send, 403, "origine")
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie(headers: dict[str, str]) -> str:
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return ""


async def _refuse(send: Send, status: int, reason: str) -> None:
    body = (
        f"<!doctype html><html lang=fr><meta charset=utf-8><title>Studio</title>"
        f"<p>{REFUSALS[reason]}.</p></html>".encode()
    )
    await _answer(send, status, body, [(b"content-type", b"text/html; charset=utf-8")])


async def _answer(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = [*headers, *HEADERS, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
