"""The archive's offline search: a small index written at build time, read by a few lines
of our own JavaScript (assets/js/recherche.js), with no server and no remote service.

The index is a script (`recherche-index.js`) rather than a JSON file fetched by the page:
a browser refuses `fetch` on a page opened from disk, but loads a script beside it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

INDEX_FILE = "recherche-index.js"
_WORD = re.compile(r"[a-z0-9]+")
MIN_LENGTH = 2


def normalise(text: str) -> str:
    """Lowercase, without accents or ligatures: « Élu » and « elu » are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("æ", "ae"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> str:
    """The distinct words of `text`, normalised, in order of first appearance."""
    seen = dict.fromkeys(w for w in _WORD.findall(normalise(text)) if len(w) >= MIN_LENGTH)
    return " ".join(seen)


def index_script(records: Iterable[dict[str, Any]]) -> bytes:
    """`window.COMMUNIQUES_INDEX = [...]`: one record per page (t: title, d: date, u: page,
    l: language, m: its words)."""
    data = json.dumps(list(records), ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = data.replace("<", "\\u003c")
    return f"window.COMMUNIQUES_INDEX={data};\n".encode()
