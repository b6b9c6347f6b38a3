"""Modèles declared as data: what each kind of communiqué requires and offers.

Beside each template `<nom>.html.j2` stands its declaration `<nom>.modele.yaml` (the model:
mkdocs themes' `mkdocs_theme.yml`): its label for `new`, the fields it requires or forbids,
whether its comité comes before or after the communiqué, the fields of its own under
`donnees:`, and its starting file. Every stage reads the declaration; no modèle name appears
in the code, so an office adds its own kind of communiqué (an appel à projets, a
nomination) with a template and a declaration in its own `templates/` folder.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .errors import ERROR, DataErrors, Diagnostic, Level
from .yamlfile import Document, Loc, dotted, load_yaml

SUFFIX = ".modele.yaml"
TEMPLATE_SUFFIX = ".html.j2"
STARTERS = "nouveau"
"""The folder of starting files, inside a templates folder."""

Requirement = Literal["programme", "comite", "comite.date", "comite.date_limite",
                      "comite.laureats", "corps", "chapo", "liens", "embargo"]  # fmt: skip
FieldType = Literal["texte", "markdown", "date", "url", "nombre", "liste"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OwnField(_Strict):
    """A field of the modèle's own, under `donnees:` in the communiqué."""

    type: FieldType = "texte"
    libelle: str = Field(min_length=1)
    requis: bool = False
    description: str | None = None
    apres: str | None = Field(
        None,
        description="Date qui doit précéder celle-ci : « date » (celle du communiqué) ou le "
        "nom d'un autre champ de donnees",
    )


class Declaration(_Strict):
    """The contents of a `<nom>.modele.yaml` file."""

    libelle: str = Field(min_length=1, description="Nom affiché par new et le studio")
    description: str | None = None
    depart: str | None = Field(None, description="Fichier de départ, dans templates/nouveau/")
    requis: list[Requirement] = Field(default_factory=list)
    interdit: list[Requirement] = Field(default_factory=list)
    comite: Literal["avant", "apres"] = Field(
        "avant",
        description="avant : le comité a eu lieu au plus tard à la date du communiqué ; "
        "apres : le communiqué annonce un comité à venir",
    )
    donnees: dict[str, OwnField] = Field(default_factory=dict)
    exemples: list[Annotated[str, Field(min_length=3)]] = Field(
        default_factory=list,
        description="Textes d'exemple du fichier de départ (« Titre du communiqué », "
        "AAAA-MM-JJ) : check et build signalent chacun tant qu'il n'est pas remplacé",
    )


@dataclass(frozen=True)
class Modele:
    """A modèle found in a template folder: its name, its declaration, and where it is."""

    name: str
    declaration: Declaration
    template: Path
    starter: Path | None

    @property
    def label(self) -> str:
        return self.declaration.libelle

    @property
    def declared(self) -> Path:
        """Where its declaration is (or would be)."""
        return self.template.with_name(f"{self.name}{SUFFIX}")


def names(template_dirs: tuple[Path, ...]) -> list[str]:
    """Every modèle a communiqué can name: templates that are not partials (`_…`)."""
    found = {
        path.name.removesuffix(TEMPLATE_SUFFIX)
        for folder in template_dirs
        for path in folder.glob(f"*{TEMPLATE_SUFFIX}")
        if not path.name.startswith("_")
    }
    return sorted(found)


def available(template_dirs: tuple[Path, ...]) -> list[Modele]:
    """Every modèle with its declaration, the office's own before the built-in ones."""
    return [find(name, template_dirs) for name in names(template_dirs)]


def find(name: str, template_dirs: tuple[Path, ...]) -> Modele:
    """The modèle `name` as the first template folder that has it declares it; DataErrors
    with « vouliez-vous dire » when there is none, or when its declaration is wrong."""
    for folder in template_dirs:
        template = folder / f"{name}{TEMPLATE_SUFFIX}"
        if template.is_file():
            declaration_path = folder / f"{name}{SUFFIX}"
            if not declaration_path.is_file():  # a bare template: the generic communiqué
                return Modele(name, Declaration(libelle=name), template, None)
            stat = declaration_path.stat()
            declaration = _declaration(declaration_path, stat.st_mtime_ns, stat.st_size)
            starter = folder / STARTERS / (declaration.depart or f"{name}.yaml")
            return Modele(name, declaration, template, starter if starter.is_file() else None)
    raise LookupError(name)


def unknown_message(name: str, template_dirs: tuple[Path, ...]) -> str:
    known = names(template_dirs)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" : vouliez-vous dire « {close[0]} » ?" if close else ""
    return f"modèle inconnu « {name} »{hint} (modèles disponibles : {', '.join(known)})"


@lru_cache(maxsize=64)
def _declaration(path: Path, mtime_ns: int, size: int) -> Declaration:
    from .model import parse

    return parse(load_yaml(path), Declaration)


def own_fields_model(modele: Modele) -> type[BaseModel]:
    """The pydantic model of the modèle's `donnees:`, made from its declaration, so that its
    fields are validated like every other field (French messages, line and column)."""
    return _own_fields_model(modele.name, modele.declaration.model_dump_json())


@lru_cache(maxsize=64)
def _own_fields_model(name: str, declared: str) -> type[BaseModel]:
    from .model import Markdown, Model, Text, Url

    declaration = Declaration.model_validate_json(declared)
    types: dict[str, Any] = {
        "texte": Text, "markdown": Markdown, "date": dt.date, "url": Url, "nombre": int,
        "liste": list[Text],
    }  # fmt: skip
    fields: dict[str, Any] = {
        key: (
            Annotated[types[spec.type], Field(description=spec.libelle)]
            if spec.requis
            else Annotated[types[spec.type] | None, Field(None, description=spec.libelle)]
        )
        for key, spec in declaration.donnees.items()
    }
    return create_model(f"Donnees_{name.replace('-', '_')}", __base__=Model, **fields)


def own_fields(
    modele: Modele, document: Document, language: str
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The communiqué's `donnees:` validated against its modèle, with their errors."""
    from .model import parse

    data = document.data.get("donnees") if isinstance(document.data, dict) else None
    if not modele.declaration.donnees:
        if data is not None:
            message = f"le modèle {modele.name} n'a pas de donnees propres : retirez donnees:"
            return {}, [document.error(("donnees",), message, key=True)]
        return {}, []
    if data is None:  # validated as empty, so that each required field is named
        document = Document(
            document.path, {"donnees": {}}, document.value_marks, text=document.text
        )
    try:
        parsed = parse(document, own_fields_model(modele), within=("donnees",), language=language)
    except DataErrors as exc:
        return {}, list(exc)
    return dict(parsed), []


def placeholders_left(document: Document, template_dirs: tuple[Path, ...]) -> list[Diagnostic]:
    """An error for each text of the starting file (`exemples:` of the communiqué's modèle)
    still in the communiqué, at the text itself: a file made by `new` never goes out with
    « Titre du communiqué » or a date to fill in. None when the modèle is unknown (reported
    with the other errors)."""
    data = document.data if isinstance(document.data, dict) else {}
    name = data.get("modele", "communique")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(name)):  # refused later, as a path
        return []
    try:
        examples = find(str(name), template_dirs).declaration.exemples
    except (LookupError, DataErrors):
        return []
    return examples_left(document, examples, "du fichier de départ")


def examples_left(
    document: Document, examples: Iterable[str], made_by: str, level: Level = ERROR
) -> list[Diagnostic]:
    """A remark for each of `examples` still in `document`, at the text itself."""
    data = document.data if isinstance(document.data, dict) else {}
    found: list[Diagnostic] = []
    for loc, value in _texts(data, ()):
        for example in examples:
            if example in value:
                line, column = _where(document, loc, example)
                message = f"« {example} » est un texte d'exemple {made_by}"
                hint = "écrivez le vôtre à sa place"
                diagnostic = Diagnostic(
                    document.path, line, column, dotted(loc), message, level, suggestion=hint
                )
                found.append(diagnostic)
    return found


def _texts(data: Any, loc: Loc) -> list[tuple[Loc, str]]:
    if isinstance(data, dict):
        return [each for key, value in data.items() for each in _texts(value, (*loc, key))]
    if isinstance(data, list):
        return [each for index, value in enumerate(data) for each in _texts(value, (*loc, index))]
    return [(loc, data)] if isinstance(data, str) else []


def _where(document: Document, loc: Loc, example: str) -> tuple[int, int]:
    """The line and column of `example` in the value at `loc`, or of the value."""
    line, column = document.mark(loc)
    lines = document.text.splitlines(keepends=True)
    start = sum(len(text) for text in lines[: line - 1]) + column - 1
    index = document.text.find(example, start)
    if index < 0:
        return line, column
    found = document.text.count("\n", 0, index) + 1
    return found, index - document.text.rfind("\n", 0, index)
