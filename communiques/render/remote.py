"""The network side of the resource rule: resources from the hosts the user allowed
(`--hote-autorise`), each fetched once per communiqué and within a time and a size budget.

A slow or huge answer must never stall a build: the budget covers the whole exchange
(connection, headers, body), so a server sending one byte a second is cut at the deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from urllib.parse import urlsplit

from ..errors import ResourceRefused

REMOTE_MAX = 5 * 1024 * 1024
"""Bytes of one resource: a photo fits; a video or an endless stream does not."""
REMOTE_BUDGET = 10.0
"""Seconds for one resource, from connecting to its last byte."""
_CHUNK = 64 * 1024


class Fetched:
    """The resources fetched for one communiqué, shared by its PDF and DOCX (and its
    editions): each URL is asked for once; a refusal is remembered too, so that a slow server
    costs its budget once, not once per format. Made by the build of one communiqué and
    passed down, never global: another build asks again."""

    def __init__(self) -> None:
        self._answers: dict[str, tuple[bytes, str] | str] = {}

    def get(self, url: str, hosts: tuple[str, ...]) -> tuple[bytes, str]:
        if url not in self._answers:
            try:
                self._answers[url] = fetch(url, hosts)
            except ResourceRefused as exc:
                self._answers[url] = str(exc)
        answer = self._answers[url]
        if isinstance(answer, str):
            raise ResourceRefused(answer)
        return answer


def fetch(url: str, hosts: tuple[str, ...], budget: float = REMOTE_BUDGET) -> tuple[bytes, str]:
    """The bytes and media type at `url`, only from an allowed host, without following
    redirects (they could lead to any other host), within `budget` seconds and REMOTE_MAX
    bytes."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in {h.lower() for h in hosts}:
        raise ResourceRefused(
            f"ressource externe refusée : {short(url)} (le rendu n'accède pas au réseau ; "
            f"--hote-autorise {host or 'HÔTE'} pour l'autoriser)"
        )
    secure = parts.scheme.lower() == "https"
    kind = http.client.HTTPSConnection if secure else http.client.HTTPConnection
    try:
        connection = kind(host, parts.port, timeout=budget)
    except ValueError as exc:
        raise ResourceRefused(f"ressource inaccessible : {short(url)} ({exc})") from None
    deadline = time.monotonic() + budget
    timer = threading.Timer(budget, _cut, (connection,))
    timer.daemon = True
    timer.start()
    try:
        return _exchange(connection, url, deadline, budget)
    except ResourceRefused:
        raise
    except (OSError, ValueError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline:
            raise _too_slow(url, budget) from None
        raise ResourceRefused(f"ressource inaccessible : {short(url)} ({exc})") from None
    finally:
        timer.cancel()
        connection.close()


def _exchange(
    connection: http.client.HTTPConnection, url: str, deadline: float, budget: float
) -> tuple[bytes, str]:
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection.request("GET", target, headers={"Accept-Encoding": "identity"})
    response = connection.getresponse()
    if not 200 <= response.status < 300:
        raise ResourceRefused(f"ressource inaccessible : {short(url)} (HTTP {response.status})")
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(_CHUNK):
        if time.monotonic() >= deadline:
            raise _too_slow(url, budget)
        size += len(chunk)
        if size > REMOTE_MAX:
            raise ResourceRefused(
                f"ressource trop volumineuse : {short(url)} dépasse {REMOTE_MAX // 2**20} Mo ; "
                "réduisez-la ou mettez le fichier dans assets/"
            )
        chunks.append(chunk)
    if time.monotonic() >= deadline:
        raise _too_slow(url, budget)
    return b"".join(chunks), response.headers.get_content_type()


def _cut(connection: http.client.HTTPConnection) -> None:
    """At the deadline, end the exchange wherever it is waiting (a read in the headers or
    the body): the reading side then sees the connection closed."""
    if connection.sock is not None:
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)


def _too_slow(url: str, budget: float) -> ResourceRefused:
    seconds = f"{budget:g}".replace(".", ",")
    return ResourceRefused(
        f"ressource trop lente : {short(url)} n'est pas arrivée en {seconds} s ; "
        "mettez le fichier dans assets/"
    )


def short(url: str) -> str:
    """A URL as a message can show it: a `data:` URL may be a megabyte long."""
    return url if len(url) <= 100 else f"{url[:97]}…"
