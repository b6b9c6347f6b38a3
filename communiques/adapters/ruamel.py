"""ruamel.yaml's composer and constructor, subclassed: the one place that depends on how
ruamel composes nodes (`Composer.compose_node`, `compose_document`, `parser.peek_event`) and
constructs values (`RoundTripConstructor.construct_object`, `construct_yaml_int`), and where it
keeps the comment after a value (`ca.items`, read by `end_of_line_comment`).

`INTERNALS` lists what is used; `missing_internals()` says which of them a new ruamel version
moved (tests/test_yamlfile.py fails naming it).
"""

from __future__ import annotations

from typing import Any

INTERNALS = (
    "ruamel.yaml.composer.Composer.compose_node",
    "ruamel.yaml.composer.Composer.compose_document",
    "ruamel.yaml.composer.ComposerError",
    "ruamel.yaml.constructor.RoundTripConstructor.construct_object",
    "ruamel.yaml.constructor.RoundTripConstructor.construct_yaml_int",
    "ruamel.yaml.constructor.RoundTripConstructor.construct_yaml_str",
    "ruamel.yaml.constructor.RoundTripConstructor.add_constructor",
    "ruamel.yaml.constructor.ConstructorError",
    "ruamel.yaml.events.AliasEvent",
    "ruamel.yaml.events.ScalarEvent",
    "ruamel.yaml.nodes.MappingNode",
    "ruamel.yaml.comments.CommentedMap.lc",
    "ruamel.yaml.comments.CommentedSeq.lc",
    "ruamel.yaml.comments.CommentedBase.ca",
    "ruamel.yaml.tokens.CommentToken.start_mark",
    "ruamel.yaml.error.MarkedYAMLError",
    "ruamel.yaml.reader.ReaderError",
)
"""Every ruamel name this module (and the marks read in yamlfile.py) relies on, dotted."""
YAML_ATTRIBUTES = ("Composer", "Constructor")
"""What a `YAML(typ="rt")` object lets us replace."""


def missing_internals() -> list[str]:
    """The names of INTERNALS the installed ruamel.yaml no longer has."""
    import importlib

    missing = []
    for dotted in INTERNALS:
        parts = dotted.split(".")
        for split in range(len(parts) - 1, 0, -1):
            try:
                found: Any = importlib.import_module(".".join(parts[:split]))
            except ImportError:
                continue
            for attribute in parts[split:]:
                found = getattr(found, attribute, None)
            if found is None:
                missing.append(dotted)
            break
        else:
            missing.append(dotted)
    from ruamel.yaml import YAML

    reader = YAML(typ="rt")
    missing.extend(
        f"ruamel.yaml.YAML(typ='rt').{name}"
        for name in YAML_ATTRIBUTES
        if not hasattr(reader, name)
    )
    return missing


def end_of_line_comment(node: Any, key: Any) -> tuple[str, int, int] | None:
    """The comment ruamel keeps after the value of `key` in a mapping (or item `key` of a
    sequence): its text (with the comment lines that follow), 0-based line and column."""
    from ruamel.yaml.comments import CommentedMap

    entry = node.ca.items.get(key)
    token = (entry[2] if isinstance(node, CommentedMap) else entry[0]) if entry else None
    if token is None:
        return None
    return str(token.value), token.start_mark.line, token.start_mark.column


def round_trip_yaml(max_values: int, max_depth: int, plain_tags: set[str]) -> Any:
    """A round-trip YAML reader (it keeps every value's line and column) that refuses
    aliases and explicit tags, and stops past `max_values` values or `max_depth` levels."""
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import Composer as BaseComposer
    from ruamel.yaml.composer import ComposerError
    from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
    from ruamel.yaml.events import AliasEvent, ScalarEvent
    from ruamel.yaml.nodes import MappingNode

    class Composer(BaseComposer):
        """Refuses aliases, and stops at max_depth levels and max_values values, before
        anything is built: a "billion laughs" file or `[[[[…` fails at once.

        Aliases are refused rather than counted: a communiqué file has no use for them, and a
        refused alias is an error its author understands (« recopiez la valeur »)."""

        values = 0
        levels = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.parser.peek_event()
            if isinstance(event, AliasEvent):
                raise ComposerError(
                    None,
                    None,
                    f"alias « *{event.anchor} » refusé : les références YAML (& et *) ne sont "
                    "pas acceptées, recopiez la valeur",
                    event.start_mark,
                )
            if isinstance(parent, MappingNode) and index is None and _merge_key(event):
                raise ComposerError(
                    None,
                    None,
                    "clé de fusion « << » refusée : écrivez les champs eux-mêmes dans ce "
                    "fichier, sous leur nom",
                    event.start_mark,
                )
            self.values += 1
            if self.values > max_values:
                limit = f"{max_values:,}".replace(",", " ")
                raise ComposerError(
                    None, None, f"plus de {limit} valeurs dans le fichier", event.start_mark
                )
            self.levels += 1
            if self.levels > max_depth:
                raise ComposerError(
                    None, None, f"plus de {max_depth} niveaux d'imbrication", event.start_mark
                )
            try:
                return super().compose_node(parent, index)
            finally:
                self.levels -= 1

        def compose_document(self) -> Any:
            self.values = self.levels = 0
            return super().compose_document()

    def _merge_key(event: Any) -> bool:
        """`<<` as a key: YAML 1.1's merge, which copies another mapping's fields in. It is
        refused as aliases are (it goes with them), and because the fields it brings would
        have no line of their own to report an error at."""
        if not isinstance(event, ScalarEvent):
            return False
        plain = event.style is None and event.value == "<<"
        return plain or event.tag == "tag:yaml.org,2002:merge"

    class Constructor(RoundTripConstructor):
        """Keeps dates as text (pydantic parses them and reports a bad one at its field) and
        refuses every explicit tag: data never becomes anything but text, numbers and lists."""

        def construct_object(self, node: Any, deep: bool = False) -> Any:
            tag = str(node.tag)
            if tag.removeprefix("tag:yaml.org,2002:") not in plain_tags:
                tag = tag.replace("tag:yaml.org,2002:", "!!")
                raise ConstructorError(None, None, f"étiquette « {tag} » refusée", node.start_mark)
            return super().construct_object(node, deep=deep)

        def construct_yaml_int(self, node: Any) -> Any:
            try:
                return super().construct_yaml_int(node)
            except ValueError:  # more digits than Python converts (4,300)
                raise ConstructorError(None, None, "nombre trop long", node.start_mark) from None

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_str)
    Constructor.add_constructor("tag:yaml.org,2002:int", Constructor.construct_yaml_int)
    yaml = YAML(typ="rt")
    yaml.Constructor = Constructor
    yaml.Composer = Composer
    return yaml
