"""Reading the user's files: YAML with line and column marks, and the press office's layout.

YAML is read with ruamel.yaml's round-trip parser because it remembers where every key and
value stands; we keep those marks beside plain Python data so later stages can report an
error at the exact place without carrying parser objects around.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import DataError, DataErrors

Loc = tuple[str | int, ...]
Mark = tuple[int, int]  # 1-based line and column

BUILTIN_ROOT = Path(__file__).resolve().parent / "_builtin"
if not BUILTIN_ROOT.is_dir():  # running from a source checkout
    BUILTIN_ROOT = Path(__file__).resolve().parent.parent

SOURCE_SUFFIXES = (".yaml", ".yml")
_PLAIN_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge"}


@dataclass(frozen=True)
class Document:
    """A YAML file as plain data, with where each value (and each mapping key) stands."""

    path: Path
    data: Any
    value_marks: dict[Loc, Mark] = field(default_factory=dict)
    key_marks: dict[Loc, Mark] = field(default_factory=dict)

    def mark(self, loc: Loc, *, key: bool = False) -> Mark:
        """Where `loc` is, or its nearest enclosing value when it is absent (a missing key)."""
        if key and loc in self.key_marks:
            return self.key_marks[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.value_marks:
                return self.value_marks[loc[:end]]
        return (1, 1)

    def error(self, loc: Loc, message: str, *, key: bool = False) -> DataError:
        line, column = self.mark(loc, key=key)
        return DataError(self.path, line, column, dotted(loc), message)


def dotted(loc: Loc) -> str:
    """`('comite', 'laureats', 2, 'type')` → `comite.laureats[2].type`, as users read it."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@cache
def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor

    class Constructor(RoundTripConstructor):
        """Keeps dates as text (pydantic parses them and reports a bad one at its field) and
        refuses every explicit tag: data never becomes anything but text, numbers and lists."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            tag = str(node.tag)
            if tag.removeprefix("tag:yaml.org,2002:") not in _PLAIN_TAGS:
                tag = tag.replace("tag:yaml.org,2002:", "!!")
                raise ConstructorError(None, None, f"étiquette « {tag} » refusée", node.start_mark)
            return super().construct_object(node, deep=deep)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_str)
    yaml = YAML(typ="rt")
    yaml.Constructor = Constructor
    return yaml


def load_yaml(path: Path) -> Document:
    """Parse one YAML file; a syntax error becomes a DataError at the place it was found."""
    from ruamel.yaml.error import MarkedYAMLError

    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataErrors([DataError(path, 1, 1, "", "fichier introuvable")]) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        message = (
            f"le fichier n'est pas en UTF-8 (octet 0x{exc.object[exc.start]:02x} à la ligne "
            f"{line}) : enregistrez-le en UTF-8"
        )
        raise DataErrors([DataError(path, line, 1, "", message)]) from None
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"YAML invalide : {_french_yaml_problem(exc.problem or exc.context or '')}"
        raise DataErrors([DataError(path, line, column, "", message)]) from None
    document = Document(path, None)
    data = _plain(tree, (), document)
    return Document(path, data, document.value_marks, document.key_marks)


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
    (r"(étiquette .*)", r"\1"),
    (r"found unexpected end of stream", "fin du fichier inattendue (guillemet non fermé ?)"),
]


def _french_yaml_problem(problem: str) -> str:
    for pattern, french in _YAML_PROBLEMS_FR:
        if re.fullmatch(pattern, problem, re.DOTALL):
            return re.sub(pattern, french, problem, flags=re.DOTALL)
    return f"erreur de syntaxe ({problem})" if problem else "erreur de syntaxe"


def _plain(node: Any, loc: Loc, document: Document) -> Any:
    """Converts ruamel's commented containers to dict/list/str, recording marks on the way."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        result = {}
        for key, value in node.items():
            child = (*loc, str(key))
            key_line, key_col = node.lc.key(key)
            document.key_marks[child] = (key_line + 1, key_col + 1)
            value_line, value_col = node.lc.value(key)
            document.value_marks[child] = (value_line + 1, value_col + 1)
            result[str(key)] = _plain(value, child, document)
        return result
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            line, col = node.lc.item(index)
            document.value_marks[child] = (line + 1, col + 1)
            items.append(_plain(value, child, document))
        return items
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):  # ruamel's ScalarInt, ScalarFloat… become plain numbers
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


@dataclass(frozen=True)
class PressOffice:
    """A press office folder: communiques/, organisations/, programmes/, templates/, assets/.

    Its own templates/ and assets/ come before the built-in ones, so a team restyles its
    communiqués without touching the package.
    """

    root: Path

    @classmethod
    def find(cls, start: Path) -> PressOffice:
        """The nearest folder holding `start` that has communiques/ or organisations/."""
        start = start.resolve()
        folder = start if start.is_dir() else start.parent
        for candidate in (folder, *folder.parents):
            if (candidate / "communiques").is_dir() or (candidate / "organisations").is_dir():
                return cls(candidate)
        return cls(folder)

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return _existing(self.root / "templates", BUILTIN_ROOT / "templates")

    @property
    def asset_dirs(self) -> tuple[Path, ...]:
        return _existing(self.root / "assets", BUILTIN_ROOT / "assets")

    def reference_path(self, kind: str, name: str) -> Path:
        """organisations/<name>.yaml or programmes/<name>.yaml (.yml accepted)."""
        folder = self.root / kind
        for suffix in SOURCE_SUFFIXES:
            if (candidate := folder / f"{name}{suffix}").is_file():
                return candidate
        return folder / f"{name}.yaml"

    def communique_files(self) -> Iterator[Path]:
        yield from _yaml_files(self.root / "communiques")


def _existing(*folders: Path) -> tuple[Path, ...]:
    return tuple(folder for folder in folders if folder.is_dir())


def _yaml_files(folder: Path) -> Iterator[Path]:
    yield from sorted(p for p in folder.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file())


def collect_sources(paths: list[Path]) -> list[Path]:
    """The communiqué files named on the command line: files as given, folders searched.

    A press office folder stands for its communiques/ folder.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            inner = path / "communiques"
            files.extend(_yaml_files(inner if inner.is_dir() else path))
        else:
            files.append(path)
    return list(dict.fromkeys(files))
