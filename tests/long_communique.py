"""A communiqué of several pages: the example with 46 laureates shown in a table (its
programme lists no page of laureates), some with long names that wrap in a narrow column, and
a body with lists. Rendered once per test session; shared by the DOCX, tagging and picture
tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLE, SEED_COMMUNIQUE, render_file

LAUREATES = 46
_KINDS = ("region", "departement", "commune", "intercommunalite", "association")
_NAMES = (
    "Ville de Saint-Jean-de-Luz",
    "Communauté d'agglomération du Pays Basque",
    "Département des Pyrénées-Atlantiques",
    "Région Provence-Alpes-Côte d'Azur",
    "Association des maires ruraux de France",
    "Ville de Villeneuve-lès-Avignon",
    "Métropole Aix-Marseille-Provence",
    "Communauté de communes du Haut-Jura Saint-Claude",
)
BODY = """corps: |
  Les lauréats recevront leur label lors d'une cérémonie :

  - à Paris, au ministère ;
  - en région, auprès des préfectures.

  1. Inscription des collectivités ;
  2. Remise du label.
"""


def laureate_names(count: int = LAUREATES) -> list[str]:
    return [f"{_NAMES[i % len(_NAMES)]} {i + 1}" for i in range(count)]


def write_office(root: Path, count: int = LAUREATES) -> Path:
    """A copy of the example office at `root` whose communiqué has `count` laureates in a
    table; returns the communiqué's path."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    programme = root / "programmes" / "expe-ct.yaml"
    lines = programme.read_text(encoding="utf-8").splitlines(keepends=True)
    programme.write_text("".join(x for x in lines if not x.startswith("url_laureats")), "utf-8")
    source = root / "communiques" / SEED_COMMUNIQUE.name
    text = source.read_text(encoding="utf-8")
    head, _, _ = text.partition("  laureats:\n")
    entries = "".join(
        f'    - {{nom: "{name}", type: {_KINDS[i % len(_KINDS)]}}}\n'
        for i, name in enumerate(laureate_names(count))
    )
    source.write_text(head + "  laureats:\n" + entries + BODY, encoding="utf-8")
    return source


_OUTPUTS: dict[str, bytes] = {}


def long_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The 46-laureate communiqué's PDF, DOCX and HTML, made once per session."""
    if not _OUTPUTS:
        source = write_office(tmp_path_factory.mktemp("long") / "bureau")
        _OUTPUTS.update(render_file(source, ("pdf", "docx", "html")))
    return _OUTPUTS
