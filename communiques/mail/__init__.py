"""Sending a communiqué to the press: e-mail drafts (.eml) and SMTP delivery.

`message` builds one e-mail from a resolved communiqué, `recipients` reads the mailing list,
`send` delivers over SMTP and keeps the send log that makes an interrupted run resumable.
"""

from __future__ import annotations

from typing import Literal

# Here rather than in `send`, so that the CLI can offer them without importing the sender.
Security = Literal["starttls", "tls", "aucune"]
SECURITIES: tuple[Security, ...] = ("starttls", "tls", "aucune")
DEFAULT_PORTS: dict[Security, int] = {"starttls": 587, "tls": 465, "aucune": 25}
