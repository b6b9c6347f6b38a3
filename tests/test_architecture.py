"""The shape of the package, kept: no import circle between its modules, and no modèle named
in the code (what a modèle needs is declared beside its template)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "communiques"


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports_at_load(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that `path` imports when it is loaded (not inside functions,
    which run later and are how heavy or circular needs are deferred)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - max(node.level - 1, 0)]
            target = ".".join([*base, node.module] if node.module else base)
            if not node.level:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & modules
            found |= submodules or ({target} & modules)
    return found - {name}


def test_no_import_circle() -> None:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = {module_name(p): imports_at_load(p, modules) for p in paths}
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for imported in graph[module]:
            if imported in path:
                circles.append([*path[path.index(imported) :], imported])
            elif len(path) < 15:
                visit(imported, [*path, imported])

    for module in graph:
        visit(module, [module])
    assert circles == []


def test_no_modele_is_named_in_the_code() -> None:
    declared = {
        p.name.removesuffix(".modele.yaml") for p in (ROOT / "templates").glob("*.modele.yaml")
    }
    declared.discard("communique")  # the default modèle, the generic communiqué
    assert declared, "the built-in modèles are declared"
    pattern = re.compile("|".join(re.escape(f'"{name}"') for name in sorted(declared)))
    named = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert named == []
