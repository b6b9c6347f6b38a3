"""What every command of the CLI shares: the one exit path, options renamed to French that
keep their old name for one release, options declared once, the console.

Click speaks French: its own strings come from our catalog (adapters/click.py), installed
when this module is imported, before any command declares an option.

The one exit path: a command returns its exit code, or raises a `CommuniquesError`, which
`Group.invoke` prints (`exc.lines()`, on stderr) and turns into its exit code. Any other
exception is a bug: one French line naming it and exit 70, with the traceback only when
COMMUNIQUES_DEBUG is set. An interruption (Ctrl-C, SIGTERM, SIGHUP) exits 128 + its signal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from ..adapters.click import speak_french
from ..errors import CommuniquesError, InternalError, UsageError
from ..formats import REPORT_FORMATS
from ..interruptions import exit_code
from ..sources import PressOffice

speak_french()

DEBUG_VARIABLE = "COMMUNIQUES_DEBUG"
# What --help shows for a value of click's types, whose names are English.
_METAVARS = {"text": "TEXTE", "integer": "NOMBRE", "integer range": "NOMBRE", "float": "NOMBRE",
             "float range": "NOMBRE", "boolean": "OUI|NON"}  # fmt: skip

F = TypeVar("F", bound=Callable[..., Any])


class Option(click.Option):
    """An option that also answers, for one release, to its former (English) names: they
    work, are hidden from --help, and warn."""

    def __init__(self, *args: Any, old: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.old = old


class HelpFormatter(click.HelpFormatter):
    """Headings the French way: « Options : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class Context(click.Context):
    formatter_class = HelpFormatter


_FORMER_OFFICE = {"new": ("--dossier",)}  # --bureau's former name, kept one release


class Command(click.Command):
    """A command whose options' former names are rewritten to the current ones, with a
    warning, before click parses them; every command takes --bureau."""

    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not any("--bureau" in param.opts for param in self.params):
            office = Option(
                ["--bureau"], metavar="DOSSIER", expose_value=False, callback=_keep_office,
                type=click.Path(file_okay=False, path_type=Path),
                old=_FORMER_OFFICE.get(self.name or "", ()),
                help="Bureau de presse (par défaut : celui où l'on se trouve, ou au-dessus).",
            )  # fmt: skip
            self.params.append(office)
        for param in self.params:
            if isinstance(param, click.Option) and param.metavar is None:
                param.metavar = _METAVARS.get(param.type.name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        renamed = {
            old: param.opts[0]
            for param in self.params
            if isinstance(param, Option)
            for old in param.old
        }
        return super().parse_args(ctx, list(_renamed(args, renamed)) if renamed else args)


def command(name: str | None = None) -> Callable[[Callable[..., Any]], Command]:
    """`click.command`, making a `Command`."""
    return click.command(name, cls=Command)


def _keep_office(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta["communiques.bureau"] = value


def current_office() -> PressOffice:
    """The office named by --bureau, or the one the user stands in (a usage error if none)."""
    named = click.get_current_context().meta.get("communiques.bureau")
    return PressOffice.named(named) if named is not None else PressOffice.find(Path.cwd())


def output_folder(out_dir: Path | None, loose_files: bool = False) -> Path:
    """--out as given, or the office's output folder (`sortie`, build/ by default); files
    named outside any office are built into ./build, as before offices were marked."""
    if out_dir is not None:
        return out_dir
    try:
        office = current_office()
    except UsageError:
        if loose_files:
            return Path("build")
        raise
    return office.root / office.settings.sortie


def _renamed(args: list[str], renamed: dict[str, str]) -> Iterator[str]:
    arguments = iter(args)
    for arg in arguments:
        if arg == "--":
            yield arg
            yield from arguments
            return
        old, equals, value = arg.partition("=")
        if old in renamed:
            click.echo(f"{old} est obsolète : utilisez {renamed[old]}", err=True)
            arg = renamed[old] + equals + value
        yield arg


class Group(click.Group):
    """The `communiques` group: its commands leave through `invoke`, and only there."""

    command_class = Command
    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", "COMMANDE [ARGUMENTS]...")
        super().__init__(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except CommuniquesError as exc:
            _report(exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt as exc:  # Ctrl-C, SIGTERM, SIGHUP: cleaned up on the way here
            click.echo("Interrompu.", err=True)
            ctx.exit(exit_code(exc))
        except Exception as exc:
            internal = InternalError(f"{type(exc).__name__} : {exc}")
            internal.__cause__ = exc
            _report(internal)
            ctx.exit(internal.exit_code)
        ctx.exit(code or 0)


def _report(exc: CommuniquesError) -> None:
    if os.environ.get(DEBUG_VARIABLE):
        import traceback

        click.echo("".join(traceback.format_exception(exc)), err=True, nl=False)
    for line in exc.lines():
        click.echo(line, err=True)


def add_options(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    """Several options declared once, for the commands that share them (as mkdocs does)."""

    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def out_option(help: str, default: Path | None = None) -> Callable[[F], F]:
    """--out; without a default, `output_folder` gives the office's."""
    return click.option(
        "--out",
        "out_dir",
        metavar="DOSSIER",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )


paths_argument = click.argument(
    "paths", nargs=-1, metavar="[CHEMINS]...", type=click.Path(path_type=Path)
)


def report_format_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(REPORT_FORMATS),
        default=REPORT_FORMATS[0],
        show_default=True,
        help=help,
    )


def console(stderr: bool = True):  # type: ignore[no-untyped-def]
    """Rich, for colours, tables and progress: imported by the commands that print them."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)
