"""Reading one YAML file as plain data, with the line and column of every value.

YAML is read with ruamel.yaml's round-trip parser because it remembers where every key and
value stands; we keep those marks beside plain Python data so later stages can report an
error at the exact place without carrying parser objects around. Reading is also where
hostile input stops: size, count and depth limits, and characters no document may carry.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import traps
from .errors import DataErrors, Diagnostic

Loc = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column

_PLAIN_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge"}

# Limits on what one YAML file may cost to read. A communiqué is a few kilobytes, a few
# hundred values, five levels deep; the limits are far above that and far below what would
# make a build slow (ruamel reads ~7,000 values a second) or exhaust memory.
MAX_FILE_BYTES = 256 * 1024
MAX_VALUES = 20_000
MAX_DEPTH = 20


@dataclass(frozen=True)
class Document:
    """A YAML file as plain data, with where each value (and each mapping key) stands."""

    path: Path
    data: Any
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)
    text: str = field(default="", repr=False, compare=False)
    """The file as read: where a word inside a value stands (marks say where values start)."""
    warnings: list[Diagnostic] = field(default_factory=list, compare=False)
    """What reading it found that does not stop a build (text lost to a comment)."""

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Where `loc` is, or its nearest enclosing value when it is absent (a missing key)."""
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.value_marks:
                return self.value_marks[loc[:end]]
        return (1, 1)

    def error(self, loc: Loc, message: str, *, key: bool = False) -> Diagnostic:
        line, column = self.mark(loc, key=key)
        return Diagnostic(self.path, line, column, dotted(loc), message)


def dotted(loc: Loc) -> str:
    """`('comite', 'laureats', 2, 'type')` → `comite.laureats[2].type`, as users read it."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


_PARSERS = threading.local()


def _yaml() -> Any:
    """One parser per thread: ruamel's keeps its reading state in the parser object, so two
    threads sharing one (the studio's warm-up and a request) corrupt each other's reading."""
    parser = getattr(_PARSERS, "yaml", None)
    if parser is None:
        from .adapters.ruamel import round_trip_yaml

        parser = _PARSERS.yaml = round_trip_yaml(MAX_VALUES, MAX_DEPTH, _PLAIN_TAGS)
    return parser


def load_shared_yaml(path: Path) -> Document:
    """An organisation or programme file, which every communiqué of a batch references:
    parsed once per process (ruamel's parser takes a few milliseconds a file), and again
    when it changes. Documents are never modified, so sharing one is safe."""
    stat = path.stat()
    return _load_yaml_version(path, path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=128)
def _load_yaml_version(path: Path, real_path: Path, mtime_ns: int, size: int) -> Document:
    return load_yaml(path)  # errors name the file as the communiqué does


def load_yaml(path: Path) -> Document:
    """Parse one YAML file; a syntax error becomes a Diagnostic at the place it was found."""
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            message = (
                f"fichier trop volumineux ({_kilobytes(size)}) : {_kilobytes(MAX_FILE_BYTES)} "
                "au plus (un communiqué en fait quelques-uns)"
            )
            raise DataErrors([Diagnostic(path, 1, 1, "", message)])
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataErrors([Diagnostic(path, 1, 1, "", "fichier introuvable")]) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        message = (
            f"le fichier n'est pas en UTF-8 (octet 0x{exc.object[exc.start]:02x} à la ligne "
            f"{line}) : enregistrez-le en UTF-8"
        )
        raise DataErrors([Diagnostic(path, line, 1, "", message)]) from None
    try:
        tree = _yaml().load(text)
    except ReaderError as exc:  # a character YAML does not allow anywhere in a file
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - text.rfind("\n", 0, exc.position)
        found = forbidden_character(chr(exc.character))
        message = f"{found[1]} : retirez-le" if found else "caractère interdit"
        raise DataErrors([Diagnostic(path, line, column, "", message)]) from None
    except MarkedYAMLError as exc:
        raise DataErrors([_syntax_error(path, text, exc)]) from None
    document = Document(path, None, text=text)
    data = _plain(tree, (), document)
    return Document(path, data, document.value_marks, document.key_marks, text, document.warnings)


def _syntax_error(path: Path, text: str, exc: Any) -> Diagnostic:
    """The parser's error at its place, explained when it is one of YAML's traps."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if explained := traps.explain_syntax_error(exc.problem or "", text, line, column):
        field_, column, message, suggestion = explained
        return Diagnostic(
            path, line, column, field_, f"YAML invalide : {message}", suggestion=suggestion
        )
    message = f"YAML invalide : {_french_yaml_problem(exc.problem or exc.context or '')}"
    return Diagnostic(path, line, column, "", message)


_YAML_PROBLEMS_FR = [
    (r"mapping values are not allowed here", "« : » inattendu (mettez la valeur entre guillemets)"),
    (
        r"found character '\\t' that cannot start any token",
        "tabulation : indentez avec des espaces",
    ),
    (r"could not find expected ':'", "« : » attendu après la clé"),
    (r'found duplicate key "([^"]*)".*', r"clé « \1 » en double"),
    (r"expected <block end>, but found '(.*)'", r"indentation incohérente avant « \1 »"),
    (r"expected (.*), but (?:got|found) (.*)", r"\1 attendu, \2 trouvé"),
    (r"((?:étiquette|alias|clé de fusion|nombre|plus de) .*)", r"\1"),
    (r"found unexpected end of stream", "fin du fichier inattendue (guillemet non fermé ?)"),
]


def _kilobytes(size: int) -> str:
    from .l10n import decimal  # babel, only when a file is too large

    return f"{decimal(size / 1024, 0)} Ko"


def forbidden_character(text: str) -> tuple[int, str] | None:
    """Where and why `text` cannot be published, if it holds a character no document should
    carry: control characters (lost or fatal in PDF, DOCX and XML), halves of UTF-16 pairs
    and non-characters (not encodable), bidirectional overrides (they show another text than
    the one written), private-use characters (a blank box without their font; the rendering
    uses some as markers). The message names the code point: the character is invisible."""
    for index, char in enumerate(text):
        code = ord(char)
        if char in "\t\n\r" or 0x20 <= code < 0x7F or 0xA0 <= code < 0x202D:
            continue
        if code < 0x20 or 0x7F <= code < 0xA0:
            kind = "caractère de contrôle"
        elif 0xD800 <= code < 0xE000:
            kind = "moitié de paire UTF-16"
        elif 0xFDD0 <= code < 0xFDF0 or (code & 0xFFFE) == 0xFFFE:
            kind = "non-caractère Unicode"
        elif code in (0x202D, 0x202E):
            kind = "forçage du sens d'écriture, qui inverse le texte affiché"
        elif 0xE000 <= code < 0xF900 or code >= 0xF0000:
            kind = "zone à usage privé, comme une puce copiée de Word"
        else:
            continue
        return index, f"caractère interdit U+{code:04X} ({kind})"
    return None


def _french_yaml_problem(problem: str) -> str:
    for pattern, french in _YAML_PROBLEMS_FR:
        if re.fullmatch(pattern, problem, re.DOTALL):
            return re.sub(pattern, french, problem, flags=re.DOTALL)
    return f"erreur de syntaxe ({problem})" if problem else "erreur de syntaxe"


def _plain(node: Any, loc: Loc, document: Document) -> Any:
    """Converts ruamel's commented containers to dict/list/str, recording marks on the way."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .adapters.ruamel import end_of_line_comment

    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            child = (*loc, str(key))
            key_line, key_col = node.lc.key(key)
            document.key_marks[child] = (key_line + 1, key_col + 1)
            value_line, value_col = node.lc.value(key)
            document.value_marks[child] = (value_line + 1, value_col + 1)
            _check_characters(str(key), child, document, key=True)
            _lost_comment(document, child, f"{key}:", value, end_of_line_comment(node, key))
            result[str(key)] = _plain(value, child, document)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            line, col = node.lc.item(index)
            document.value_marks[child] = (line + 1, col + 1)
            _lost_comment(document, child, "-", value, end_of_line_comment(node, index))
            items.append(_plain(value, child, document))
        return items
    if isinstance(node, str):
        _check_characters(str(node), loc, document)
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):  # ruamel's ScalarInt, ScalarFloat… become plain numbers
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def _lost_comment(
    document: Document, loc: Loc, lead: str, value: Any, comment: tuple[str, int, int] | None
) -> None:
    """Warns when the comment after a text value looks like the end of that text."""
    if comment is None or not (value is None or isinstance(value, str)):
        return
    text, line, column = comment
    value_line, value_column = document.value_marks[loc]
    raw = document.text.splitlines()[value_line - 1][value_column - 1 : value_column] or " "
    found = traps.lost_comment(
        document.path, dotted(loc), lead, value, text, (line + 1, column + 1), raw
    )
    if found is not None:
        document.warnings.append(found)


def _check_characters(text: str, loc: Loc, document: Document, *, key: bool = False) -> None:
    """Every text is checked as it is read, so no stage after this one sees such a character
    (a double-quoted YAML string can hold any of them: "\\0", "\\ud800")."""
    if found := forbidden_character(text):
        index, message = found
        where = f" en position {index + 1}" if len(text) > 1 else ""
        raise DataErrors([document.error(loc, f"{message}{where} : retirez-le", key=key)])
