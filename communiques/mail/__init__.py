"""Sending a communiqué to the press: e-mail drafts (.eml) and SMTP delivery.

`message` builds one e-mail from a resolved communiqué, `recipients` reads the mailing list,
`send` delivers over SMTP and keeps the send log that makes an interrupted run resumable.
"""

from __future__ import annotations


class Refused(Exception):
    """An action refused for a reason the user can fix (embargo, size): exit code 1."""
