"""YAML's traps, explained where they happen: what ordinary French text meets in YAML.

A ` #` after text starts a comment, so the end of a title is silently lost; a ` : ` inside an
unquoted value starts a new key; a line indented one space off is not where the author
thinks. The parser either says nothing or says something true of the grammar and useless
to a press officer (« : » inattendu). This module reads the file's own text and comments at
the place the parser points to, and says what happened in the author's terms, with the fix
shown written out.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import WARNING, Diagnostic

_KEY = re.compile(r"(?P<indent> *)(?:- +)?(?P<key>[^\s#:'\"{}\[\],-][^:#]*?) *:(?: +|$)")


def quoted(text: str) -> str:
    """`text` as a YAML value in quotes: double quotes, unless they would need escapes."""
    if '"' in text or "\\" in text:
        return "'" + text.replace("'", "''") + "'"
    return f'"{text}"'


def lost_comment(
    path: Path,
    field: str,
    lead: str,
    value: str | None,
    comment: str,
    where: tuple[int, int],
    raw_value_start: str,
) -> Diagnostic | None:
    """A warning when the comment that follows an unquoted value looks like the rest of the
    text (`#BourgsCentres`: a `#` glued to a word) rather than a note (`# AAAA-MM-JJ`).

    `comment` is the comment as ruamel keeps it (its first line is the one after the value),
    `where` its 1-based line and column, `lead` what comes before the value (`titre:`, `-`),
    `raw_value_start` the file's character where the
    value starts (a quote or a block indicator there means the author chose the value's end).
    """
    first = comment.split("\n", 1)[0].rstrip()
    if not re.match(r"#[^\s#]", first) or raw_value_start in "\"'|>":
        return None
    whole = f"{value} {first}" if value else first
    return Diagnostic(
        path,
        *where,
        field,
        f"« {first} » est lu comme un commentaire (un # après une espace) et ne sera pas publié",
        level=WARNING,
        suggestion=f"mettez la valeur entre guillemets : {lead} {quoted(whole)}",
        rule="donnees",
    )


Explained = tuple[str, int, str, str]
"""The field, the column, the message and the suggestion of a syntax error explained."""


def explain_syntax_error(problem: str, text: str, line: int, column: int) -> Explained | None:
    """What went wrong, for the parser errors a press officer meets, at the 1-based `line`
    and `column` the parser gave; None for the others."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    current = lines[line - 1]
    if problem == "mapping values are not allowed here":
        keyed = _KEY.match(current)
        if keyed and keyed.end() <= column - 1:  # a key before this colon: ` : ` in a value
            key = keyed["key"]
            value = re.sub(r"\s+#\s.*$", "", current[keyed.end() :]).strip()
            message = f"« : » suivi d'une espace, dans la valeur de {key}, commence une clé"
            hint = f"mettez la valeur entre guillemets : {key}: {quoted(value)}"
            return key, column, message, hint
        return _misaligned(lines, line)
    if problem.startswith("expected <block end>, but found"):
        return _misaligned(lines, line)
    return None


def _misaligned(lines: list[str], line: int) -> Explained | None:
    """Which line `line` is misaligned with: the one above it that already has its value,
    or, between two levels, the first line of the level it left and the line that opens it."""
    indent = _indent(lines[line - 1])
    name = _name(lines[line - 1])
    keyed = _KEY.match(lines[line - 1])
    field = keyed["key"] if keyed else ""
    above = _content(lines, line)
    if not above:
        return None
    previous_line, previous = above[0]
    if _indent(previous) < indent:
        if previous.rstrip().endswith(":"):  # it opens a level: not this line's fault
            return None
        message = (
            f"ligne {line} mal alignée : « {name} » (colonne {indent + 1}) est plus à droite "
            f"que « {_name(previous)} » (ligne {previous_line}), qui a déjà sa valeur"
        )
        hint = f"alignez « {name} » sur « {_name(previous)} » (colonne {_indent(previous) + 1})"
        return field, indent + 1, message, hint
    parent = next(((n, t) for n, t in above if _indent(t) < indent), None)
    siblings = [(n, t) for n, t in above if parent is None or n > parent[0]]
    sibling_line, sibling = siblings[-1]  # the first line of the level `line` left
    if _indent(sibling) == indent:
        return None
    both = f"sur « {_name(sibling)} » (ligne {sibling_line}, colonne {_indent(sibling) + 1})"
    if parent is not None:
        both = (
            f"ni {both} ni sur « {_name(parent[1])} » (ligne {parent[0]}, "
            f"colonne {_indent(parent[1]) + 1})"
        )
    negation = "n'est aligné" if parent is not None else "n'est pas aligné"
    message = f"ligne {line} mal alignée : « {name} » (colonne {indent + 1}) {negation} {both}"
    hint = (
        f"alignez-le sur « {_name(sibling)} » s'il en est le voisin"
        + (f", sur « {_name(parent[1])} » sinon" if parent else "")
        + ", avec des espaces"
    )
    return field, indent + 1, message, hint


def _content(lines: list[str], line: int) -> list[tuple[int, str]]:
    """The lines above `line` that hold data (not blank, not comments), nearest first."""
    found = []
    for number in range(line - 1, 0, -1):
        text = lines[number - 1]
        if text.strip() and not text.lstrip().startswith("#"):
            found.append((number, text))
    return found


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _name(text: str) -> str:
    """What a line is called in a message: its key, or its first words."""
    if keyed := _KEY.match(text):
        return keyed["key"]
    words = text.strip()
    return words if len(words) <= 30 else words[:29] + "…"
