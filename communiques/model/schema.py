"""The JSON Schema of communiqué files (`communiques schema`, communique.schema.json), for
editors' completion: the pydantic schema, with every text allowed in several languages."""

from __future__ import annotations

import json
from typing import Any

from .documents import NOT_TRANSLATABLE, Communique
from .fields import LANGUES


def json_schema() -> dict[str, Any]:
    """The JSON Schema of communiqué files, with organisation and programme as definitions."""
    schema = Communique.model_json_schema()
    _translatable_schema(schema)
    schema["properties"]["langue"] = {
        "anyOf": [
            schema["properties"]["langue"],
            {"type": "array", "items": {"enum": list(LANGUES)}, "minItems": 1},
        ],
        "default": "fr",
        "description": schema["properties"]["langue"].get("description", ""),
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Communiqué de presse"
    return schema


def schema_text() -> str:
    """The schema as `communiques schema` prints it and communique.schema.json holds it."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def _translatable_schema(node: Any) -> None:
    """Every text property may also be written `{fr: …, en: …}`: say so to editors."""
    if isinstance(node, list):
        for child in node:
            _translatable_schema(child)
        return
    if not isinstance(node, dict):
        return
    for key, child in list(node.get("properties", {}).items()):
        _translatable_schema(child)
        if key in NOT_TRANSLATABLE or not _is_text_schema(child):
            continue
        text = {k: v for k, v in child.items() if k not in ("default", "title", "description")}
        node["properties"][key] = {
            **{k: v for k, v in child.items() if k in ("default", "title", "description")},
            "anyOf": [
                text,
                {
                    "type": "object",
                    "properties": {lang: text for lang in LANGUES},
                    "additionalProperties": False,
                    "minProperties": 1,
                },
            ],
        }
    for key in ("anyOf", "oneOf", "items"):
        if key in node:
            _translatable_schema(node[key])
    for child in node.get("$defs", {}).values():
        _translatable_schema(child)


def _is_text_schema(node: Any) -> bool:
    """A string (or list of strings) that is not a date, a choice or a reference."""
    if not isinstance(node, dict) or "$ref" in node:
        return False
    alternatives = node.get("anyOf", [])
    if any("$ref" in alt for alt in alternatives):
        return False
    if node.get("type") == "string":
        return "enum" not in node and "const" not in node and node.get("format") not in _DATES
    if node.get("type") == "array":
        return _is_text_schema(node.get("items"))
    return any(_is_text_schema(alt) for alt in alternatives)


_DATES = ("date", "date-time")
