"""`communiques schema`: the JSON schema of communiqué files, for editors."""

from __future__ import annotations

from pathlib import Path

SCHEMA_FILE = Path(__file__).parent.parent / "communique.schema.json"
"""Written by `make schema` and checked against the model by the tests: reading it does not
build the pydantic models (0.35 s → 0.1 s)."""


def schema() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")
