"""The `communiques` command: parses options, calls communiques/commands/, prints; no
document logic here (the model: mkdocs' `__main__.py`).

Exit codes: 0 success, 1 errors in the data (or a refusal), 2 bad usage, 70 an internal
error; all leave through `shared.Group.invoke`. Heavy libraries (WeasyPrint, python-docx)
are imported only by the commands that render, when they run.
"""

from __future__ import annotations

import os
import sys

import click

from .. import __version__
from ..commands.schema import SCHEMA_FILE
from .documents import build_command, check, list_command, new, schema
from .email import email_command
from .init import init_command
from .shared import Group
from .studio import studio_command
from .verify import verify_command

__all__ = ["SCHEMA_FILE", "main", "run"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="communiques")
def main() -> None:
    """Communiqués de presse officiels (PDF et DOCX) à partir de fichiers YAML."""


for command in (
    init_command, build_command, check, new, list_command, schema, email_command,
    verify_command, studio_command,
):  # fmt: skip
    main.add_command(command)


def run() -> None:
    """The console script: `main`, then exit without the interpreter's teardown.

    Freeing every object of WeasyPrint, pydantic and lxml one by one takes about 0.15 s that
    the system does at once; by then every output is written and renamed, and stdout and
    stderr are flushed here.
    """
    from ..render.pdf import pin_font_dates
    from ..scratch import scratch_folder

    pin_font_dates()  # before any PDF helper or worker starts: they inherit it
    try:
        with scratch_folder():  # its TMPDIR too
            main()
    except SystemExit as exc:
        if not isinstance(exc.code, int | None):
            raise
        code = exc.code or 0
    else:
        code = 0
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
