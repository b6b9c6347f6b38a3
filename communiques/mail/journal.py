"""The send log of a communiqué: one JSON line per step of each message (« en cours » before
its content is handed over, then the server's answer), from which a resumed run knows who was
served, who was not, and whose message may have arrived."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..build import output_name
from ..errors import DataErrors, Diagnostic, SendRefused
from .recipients import Recipient

SENT = "envoyé"
REFUSED = "refusé"
IN_PROGRESS = "en cours"
"""Handed to the server, its answer not yet received: it may have been stored."""
NOT_RESENT = "non renvoyé"
"""An « en cours » message the user said not to send again (checked by hand)."""


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
