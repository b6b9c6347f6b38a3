"""The command line speaks French throughout: click's own strings (help, usage errors,
« Interrompu. ») come from communiques/locale/fr/LC_MESSAGES/click.po, for every command."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import ROOT

from communiques.cli import main

PO = ROOT / "communiques" / "locale" / "fr" / "LC_MESSAGES" / "click.po"
CLICK = Path(click.__file__).parent


SAME_IN_FRENCH = {"Options", "arguments", "version"}


def click_english() -> list[str]:
    """The English that click would print: each fragment of its strings between
    placeholders (from its own sources), and the names of its value types."""
    from babel.messages.extract import extract_from_dir

    fragments = {"TEXT", "INTEGER", "RANGE", "FLOAT", "BOOLEAN", "PATH", "FILE", "DIRECTORY",
                 "COMMAND", "ARGS", "required"}  # fmt: skip
    for _, _, message, _, _ in extract_from_dir(
        str(CLICK), [("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}
    ):
        for text in message if isinstance(message, tuple) else (message,):
            for piece in re.split(r"\{[^}]*\}|%\(\w+\)s|[\n\t]", text):
                if len(piece.strip(" .:?!()'")) >= 3 and piece.strip(" .,") not in SAME_IN_FRENCH:
                    fragments.add(piece.strip(" .:?()'"))
    return sorted(fragments)


ENGLISH = click_english()


def english_in(text: str) -> list[str]:
    return [f for f in ENGLISH if re.search(rf"(?<![\w-]){re.escape(f)}(?![\w-])", text)]


def commands() -> Iterator[tuple[list[str], click.Command]]:
    yield [], main
    for name, command in sorted(main.commands.items()):
        yield [name], command


def bad_invocations() -> Iterator[list[str]]:
    """For every command: --help, an unknown option and a near miss; and, from its own
    parameters, a missing argument, a bad choice, a bad number, a missing value."""
    for path, command in commands():
        yield [*path, "--help"]
        yield [*path, "--inconnue"]
        yield [*path, "--bureauu", "x"]
        for param in command.params:
            if isinstance(param, click.Argument) and param.required:
                yield path  # the argument missing
            if not isinstance(param, click.Option) or param.is_flag or not param.opts:
                continue
            option = max(param.opts, key=len)
            yield [*path, option]  # no value
            if isinstance(param.type, click.Choice):
                yield [*path, option, "pas-un-choix"]
            if isinstance(param.type, click.types._NumberParamTypeBase):
                yield [*path, option, "douze"]
                yield [*path, option, "-5"]
            if isinstance(param.type, click.Path) and param.type.exists:
                yield [*path, option, "/nulle/part"]
    yield ["bulid"]
    yield ["verify", "/nulle/part.pdf"]
    yield ["email", "/nulle/part.yaml"]
    yield ["list", "en", "trop"]


INVOCATIONS = list(bad_invocations())


def test_the_english_list_is_click_s_own() -> None:
    """The list the test looks for is real: it holds what click prints without us."""
    for phrase in ("Show this message and exit", "No such option", "Missing argument",
                   "Invalid value for", "Aborted", "Try", "Usage", "Error", "is not one of"):  # fmt: skip
        assert any(phrase in fragment for fragment in ENGLISH), phrase


def test_every_command_speaks_french_on_help_and_bad_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(INVOCATIONS) > 60
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    failures = {}
    for args in INVOCATIONS:
        result = runner.invoke(main, args, prog_name="communiques", terminal_width=100)
        if result.exception and not isinstance(result.exception, SystemExit):
            failures[" ".join(args)] = repr(result.exception)
        elif english := english_in(result.output):
            failures[" ".join(args)] = f"{english}\n{result.output}"
        elif args[-1] != "--help":
            assert result.exit_code == 2, (args, result.output)
    assert not failures, "\n\n".join(f"$ communiques {k}\n{v}" for k, v in failures.items())


def test_usage_errors_read_in_french_with_the_fix(tmp_path: Path) -> None:
    runner = CliRunner()

    def error(*args: str) -> str:
        result = runner.invoke(main, list(args), prog_name="communiques")
        assert result.exit_code == 2
        return result.output.splitlines()[-1]

    assert runner.invoke(main, ["build", "-h"], prog_name="communiques").output.startswith(
        "Utilisation : communiques build [OPTIONS] [CHEMINS]...\n"
    )
    assert "Options :\n" in runner.invoke(main, ["--help"]).output
    assert "  -h, --help  Affiche cette aide.\n" in runner.invoke(main, ["--help"]).output
    assert error("build", "--formt", "pdf") == (
        "Erreur : option inconnue « --formt » : vouliez-vous dire '--force', '--format', '--out' ?"
    )
    assert error("new") == "Erreur : argument manquant 'NOM'."
    assert error("build", "--executeur", "x") == (
        "Erreur : valeur invalide pour '--executeur' : « x » n'est pas une valeur possible : "
        "choisissez parmi 'local', 'dask'."
    )
    assert error("studio", "--port", "douze") == (
        "Erreur : valeur invalide pour '--port' : « douze » n'est pas un nombre : écrivez des chiffres."
    )
    assert error("build", "--out") == (
        "Erreur : l'option « --out » demande une valeur : ajoutez-la après l'option."
    )
    assert error("bulid") == "Erreur : commande inconnue « bulid » : vouliez-vous dire 'build' ?"
    assert runner.invoke(main, ["--version"]).output == "communiques, version 0.1.0\n"


def test_french_whatever_the_user_s_locale(tmp_path: Path) -> None:
    """gettext would choose by LANG; click speaks French on an English machine too."""
    env = {**os.environ, "LANG": "en_US.UTF-8", "LANGUAGE": "en", "LC_ALL": "C"}
    result = subprocess.run(
        [sys.executable, "-m", "communiques", "check", "--inconnue"],
        cwd=tmp_path, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.endswith("Erreur : option inconnue « --inconnue »\n"), result.stderr


def test_ctrl_c_at_a_question_says_interrompu(tmp_path: Path) -> None:
    """`init` on a terminal asks for what is missing; Ctrl-C there is a real SIGINT."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the terminal, Ctrl-C as a terminal has it
        os.chdir(tmp_path)
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a shell's background job ignores it
        os.execv(sys.executable, [sys.executable, "-m", "communiques", "init"])
    output = b""
    deadline = time.monotonic() + 60
    while b"Nom de l'organisation" not in output and time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            output += os.read(fd, 4096)
    assert b"Nom de l'organisation" in output, output
    # Python writes the prompt, then reads: a SIGINT in between is seen only at the next
    # key, so, as an impatient user, press Ctrl-C again while nothing happens.
    os.kill(pid, signal.SIGINT)
    while time.monotonic() < deadline:
        try:
            ready = select.select([fd], [], [], 1)[0]
            chunk = os.read(fd, 4096) if ready else b""
        except OSError:  # the terminal closed: the command has ended
            break
        output += chunk
        if not ready:
            os.kill(pid, signal.SIGINT)
    else:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    text = output.decode()
    assert "Interrompu." in text and "Aborted" not in text, text
    assert os.waitstatus_to_exitcode(status) == 1
    assert not (tmp_path / "communiques.toml").exists()


def test_the_catalog_translates_every_string_click_marks() -> None:
    """Every string the installed click marks, translated in click.po, and click.mo compiled
    from it (`make catalogs`)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        po = read_po(handle)
    with PO.with_suffix(".mo").open("rb") as handle:
        mo = read_mo(handle)
    for _, _, message, _, _ in extract_from_dir(
        str(CLICK), [("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)}
    ):
        key = message[0] if isinstance(message, tuple) else message
        if "_winconsole" in key or not key:
            continue
        entry, compiled = po.get(key), mo.get(key)
        assert entry is not None and entry.string, f"non traduit : {key!r}"
        assert compiled is not None and as_tuple(compiled.string) == as_tuple(entry.string), (
            f"click.mo en retard sur click.po : {key!r} (make catalogs)"
        )


def as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value
