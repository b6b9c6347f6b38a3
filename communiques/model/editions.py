"""Editions: a document that gives its texts in several languages (`titre: {fr: …, en: …}`),
read in one language at a time.

`parse` first takes the document's *edition* in one language (`edition()`), so every later
stage sees plain strings, and an error in the English text is still reported at its own line.
"""

from __future__ import annotations

import types
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import DataErrors, Diagnostic
from ..yamlfile import Document, Loc
from .documents import NOT_TRANSLATABLE
from .fields import LANGUES, NOMS_LANGUES
from .messages import french_errors

M = TypeVar("M", bound=BaseModel)


def parse(
    document: Document, model: type[M], *, within: Loc = (), language: str | None = None
) -> M:
    """Validate `document.data` (or the part at `within`) into `model`, errors in French.

    Texts given in several languages are taken in `language` (by default the document's
    first edition): the model gets plain strings.
    """
    language = language or editions(document, model, within=within)[0]
    projected, errors = edition(document, model, language, within=within)
    try:
        result = model.model_validate(projected.data)
    except ValidationError as exc:
        errors.extend(french_errors(exc, projected, model, within))
    if errors:
        raise DataErrors(errors)
    return result


def editions(document: Document, model: type[BaseModel], *, within: Loc = ()) -> tuple[str, ...]:
    """The languages a document is published in: its `langue` (a language or a list of them),
    otherwise every language its texts are given in, otherwise French.

    An invalid `langue` is left for validation to report; French stands in meanwhile.
    """
    data = _part(document.data, within)
    declared = data.get("langue") if isinstance(data, dict) else None
    if isinstance(declared, str):
        return (declared,) if declared in LANGUES else (LANGUES[0],)
    if isinstance(declared, list):
        found = {item for item in declared if item in LANGUES}
    else:
        found = set()
        _project(data, model, within, None, document, {}, [], found)
    return tuple(lang for lang in LANGUES if lang in found) or (LANGUES[0],)


def _part(data: Any, within: Loc) -> Any:
    for key in within:
        data = data[key]
    return data


def edition(
    document: Document, model: type[BaseModel], language: str, *, within: Loc = ()
) -> tuple[Document, list[Diagnostic]]:
    """The document (or its part at `within`) as it reads in `language`: each
    `{fr: …, en: …}` replaced by one value.

    Marks follow the values, so validation errors point into the chosen translation. Returns
    the problems of the translations themselves: an unknown language, a missing one.
    """
    errors: list[Diagnostic] = []
    marks = dict(document.value_marks)
    data = _project(
        _part(document.data, within), model, within, language, document, marks, errors, set()
    )
    if isinstance(data, dict) and "langue" in model.model_fields:
        declared = data.get("langue")
        if isinstance(declared, list):
            for index, item in enumerate(declared):
                if item not in LANGUES:
                    errors.append(
                        document.error((*within, "langue", index), _unknown_language(item))
                    )
            if not declared:
                errors.append(document.error((*within, "langue"), "ne doit pas être vide"))
        if declared is None or isinstance(declared, list) or declared in LANGUES:
            data = {**data, "langue": language}
    return Document(document.path, data, marks, document.key_marks, document.text), errors


def _unknown_language(value: Any) -> str:
    return f"langue inconnue « {value} » (langues possibles : {', '.join(LANGUES)})"


def _project(
    value: Any,
    annotation: Any,
    loc: Loc,
    language: str | None,
    document: Document,
    marks: dict[Loc, tuple[int, int]],
    errors: list[Diagnostic],
    found: set[str],
) -> Any:
    """`value` (of type `annotation`) with its translations resolved to `language`.

    Walks the data along the model: a mapping where the model expects text is a set of
    translations; where it expects a list, it is one when it has a language key (a whole
    list per language); where it expects a model, it is that model's fields; where it
    expects a mapping, its values are read along the mapping's value type.
    """
    leaves = _leaves(annotation)
    model = next((t for t in leaves if isinstance(t, type) and issubclass(t, BaseModel)), None)
    item = next((get_args(t)[0] for t in leaves if get_origin(t) is list), None)
    textual = str in leaves
    mapping = next((get_args(t)[1] for t in leaves if get_origin(t) is dict), None)
    if isinstance(value, dict) and mapping is not None:  # `types_laureats: {ecole: {…}}`
        return {
            key: _project(child, mapping, (*loc, key), language, document, marks, errors, found)
            for key, child in value.items()
        }
    if isinstance(value, dict) and model is not None:
        return {
            key: _project(
                child,
                model.model_fields[key].annotation if key in model.model_fields else None,
                (*loc, key),
                language,
                document,
                marks,
                errors,
                found,
            )
            if key not in NOT_TRANSLATABLE
            else child
            for key, child in value.items()
        }
    if isinstance(value, dict) and (textual or (item is not None and set(value) & set(LANGUES))):
        found.update(key for key in value if key in LANGUES)
        for key in value:
            if key not in LANGUES:
                errors.append(document.error((*loc, key), _unknown_language(key), key=True))
        if language is None:
            return value
        chosen = language if language in value else next((k for k in LANGUES if k in value), None)
        if chosen != language:
            errors.append(
                document.error(
                    loc,
                    f"traduction manquante en {NOMS_LANGUES.get(language, language)} ({language})",
                )
            )
        if chosen is None:
            return value
        prefix = (*loc, chosen)
        for mark_loc, mark in document.value_marks.items():
            if mark_loc[: len(prefix)] == prefix:
                marks[(*loc, *mark_loc[len(prefix) :])] = mark
        inner = value[chosen]
        if isinstance(inner, list) and item is not None:  # a whole list per language
            return [
                _project(x, item, (*loc, i), language, document, marks, errors, found)
                for i, x in enumerate(inner)
            ]
        return inner
    if isinstance(value, list) and item is not None:
        return [
            _project(x, item, (*loc, i), language, document, marks, errors, found)
            for i, x in enumerate(value)
        ]
    return value


def _leaves(annotation: Any) -> list[Any]:
    """The alternatives of a type: `Text | list[Text] | None` → [str, list[Text], NoneType]."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _leaves(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [leaf for arg in get_args(annotation) for leaf in _leaves(arg)]
    return [annotation]
