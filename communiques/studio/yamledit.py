"""The form's values written into the user's YAML without disturbing the rest.

ruamel's round-trip mode keeps comments, key order and quoting; the indentation is read from
the file itself (ruamel would otherwise apply its own). Only values that changed are set, so
an unchanged field keeps its exact spelling; a new text that YAML would misread (« : »,
« # ») is quoted by ruamel, and a text of several lines becomes a `|` block.

The form sends a nested object: a key set to null or "" is removed; a key it does not send
is left alone (an organisation's `adresse` the form does not show survives a save); a list
is merged row by row, so a row keeps its comment and its flow style.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import DataErrors, Diagnostic

DATE_KEYS = {"date", "date_limite"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_LINE = re.compile(r":\s*(#.*)?$")


def edit(path: Path, text: str, values: dict[str, Any]) -> str:
    """`text` (the YAML of `path`) with `values` merged in."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = _yaml(*_indentation(text))
    try:
        tree = yaml.load(text) if text.strip() else CommentedMap()
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = "YAML invalide : corrigez le fichier dans votre éditeur, ou rechargez-le"
        raise DataErrors([Diagnostic(path, line, column, "", message)]) from None
    if not isinstance(tree, CommentedMap):
        raise DataErrors([Diagnostic(path, 1, 1, "", "le fichier doit décrire un communiqué")])
    _merge(tree, values)
    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


@cache
def _yaml(mapping: int, offset: int) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the user wrote on one
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def _indentation(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset) as the file writes them: 2 and 2 for `key:\\n  - item`."""
    lines = [x for x in text.splitlines() if x.strip() and not x.lstrip().startswith("#")]
    mapping: int | None = None
    offset: int | None = None
    for previous, line in itertools.pairwise(lines):
        if not _KEY_LINE.search(previous):
            continue
        step = (len(line) - len(line.lstrip())) - (len(previous) - len(previous.lstrip()))
        if line.lstrip().startswith("- "):
            offset = step if offset is None and step >= 0 else offset
        elif step > 0 and mapping is None:
            mapping = step
    return mapping or 2, offset if offset is not None else 0


def _merge(node: Any, values: dict[str, Any]) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for key, value in values.items():
        if _empty(value):
            if key in node:
                del node[key]
            continue
        current = node.get(key)
        if isinstance(value, dict) and isinstance(current, CommentedMap):
            _merge(current, value)
            if not current:
                del node[key]
        elif isinstance(value, list) and isinstance(current, CommentedSeq):
            _merge_list(current, value)
        elif _same(current, value):
            continue
        else:
            node[key] = _new(key, value, current)


def _merge_list(seq: Any, values: list[Any]) -> None:
    from ruamel.yaml.comments import CommentedMap

    flow = any(isinstance(i, CommentedMap) and i.fa.flow_style() for i in seq)
    for index, value in enumerate(values):
        if index < len(seq) and isinstance(value, dict) and isinstance(seq[index], CommentedMap):
            _merge(seq[index], value)
        elif index < len(seq):
            if not _same(seq[index], value):
                seq[index] = _new("", value, seq[index])
        else:
            item = _new("", value, None)
            if flow and isinstance(item, CommentedMap):
                item.fa.set_flow_style()
            seq.append(item)
    del seq[len(values) :]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same(current: Any, value: Any) -> bool:
    if isinstance(current, dt.date):
        return bool(current.isoformat() == value)
    return not isinstance(current, dict | list) and bool(current == value)


def _new(key: str | int, value: Any, current: Any) -> Any:
    """A YAML value for `value`: dates as dates, texts of several lines as `|` blocks."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        mapping = CommentedMap()
        _merge(mapping, value)
        return mapping
    if isinstance(value, list):
        seq = CommentedSeq()
        _merge_list(seq, value)
        return seq
    if isinstance(value, str):
        if key in DATE_KEYS and _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:  # « 2021-13-45 »: written as typed, for validation to name
                return value
        if "\n" in value:
            return LiteralScalarString(value.replace("\r\n", "\n").rstrip("\n") + "\n")
    return value
