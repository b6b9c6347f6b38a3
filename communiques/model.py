"""The data model of communiqué, organisation and programme files, and its JSON Schema.

Keys are French because the people who write these files are. Unknown keys are errors: a
typo must never be silently ignored. Validation messages are translated to French here,
once, with the place of each error taken from the YAML marks.

Any text may be given in several languages, `titre: {fr: …, en: …}`. The models themselves
only ever hold one language: `parse` first takes the document's *edition* in one language
(`edition()`), so every later stage sees plain strings, and an error in the English text is
still reported at its own line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import types
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .errors import DataErrors, Diagnostic
from .sources import Document, Loc

LINK_SCHEMES = ("https", "http", "mailto", "tel")
Langue = Literal["fr", "en"]
LANGUES: tuple[Langue, ...] = ("fr", "en")
NOMS_LANGUES = {"fr": "français", "en": "anglais"}

# Limits that keep every communiqué within a bounded layout time (~5 s) and memory: a
# communiqué is one or two pages; far beyond that, the data is wrong.
MAX_TEXTE = 1_000
"""Characters of a plain text (a title, a name, an address)."""
MAX_MARKDOWN = 20_000
"""Characters of a Markdown text (chapô, corps…): about seven pages."""
MAX_ELEMENTS = 50
"""Items of a list (links, contacts, objectives, parent bodies)."""
MAX_LAUREATS = 500
"""Laureates printed in a communiqué: fifteen pages of table; a longer list belongs online."""


def _url(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in LINK_SCHEMES or not (parts.netloc or parts.path):
        raise PydanticCustomError(
            "url",
            "adresse web invalide « {url} » : elle doit commencer par https://",
            {"url": value},
        )
    if parts.scheme in ("http", "https") and not parts.netloc:
        raise PydanticCustomError("url", "adresse web invalide « {url} »", {"url": value})
    return value


def link_allowed(url: str) -> bool:
    """Links a reader may follow safely: https:, http:, mailto: and tel: only."""
    try:
        _url(url)
    except PydanticCustomError:
        return False
    return True


def _markdown_links(value: str) -> str:
    """Markdown links follow the rule of link fields; Markdown itself would drop a
    `javascript:` link silently, and keep a `file:` or relative one."""
    from .render.markdown import links

    for url in links(value):
        if not link_allowed(url):
            raise PydanticCustomError(
                "lien",
                "lien refusé « {url} » : seules les adresses https://, http://, mailto: et tel: "
                "sont acceptées",
                {"url": url},
            )
    return value


def _email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise PydanticCustomError(
            "email", "adresse e-mail invalide « {email} »", {"email": value}
        ) from None


def _telephone(value: Any) -> Any:
    """Stores the number in E.164 so every output can format it for its own language."""
    if not isinstance(value, str | int):
        return value
    import phonenumbers

    text = str(value)
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PydanticCustomError(
            "telephone", "numéro de téléphone invalide « {numero} »", {"numero": text}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _year_month(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        year, month = map(int, value.strip().split("-"))
        if 1 <= month <= 12:
            return dt.date(year, month, 1)
        raise PydanticCustomError("year_month", "mois invalide « {v} »", {"v": value})
    return value


Url = Annotated[str, BeforeValidator(_url), Field(json_schema_extra={"format": "uri"})]
Email = Annotated[str, BeforeValidator(_email), Field(json_schema_extra={"format": "email"})]
Telephone = Annotated[str, BeforeValidator(_telephone), Field(description="Numéro de téléphone")]
YearMonth = Annotated[
    dt.date, BeforeValidator(_year_month), Field(description="Mois, au format AAAA-MM")
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXTE)]
Markdown = Annotated[
    str,
    Field(
        min_length=1,
        max_length=MAX_MARKDOWN,
        description="Texte Markdown : **gras**, *italique*, [lien](url)",
    ),
    AfterValidator(_markdown_links),
]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Lien(Model):
    libelle: Text = Field(description="Texte du lien, tel qu'il s'affiche")
    url: Url


def _lien(value: Any) -> Any:
    """A bare URL is accepted where a link is expected; its text is then the site's name."""
    if isinstance(value, str):
        return {"libelle": urlsplit(value.strip()).netloc or value, "url": value}
    return value


class Contact(Model):
    nom: Text | None = None
    fonction: Text | None = None
    service: Text | None = None
    adresse: Text | None = None
    telephone: Telephone | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not (self.telephone or self.email):
            raise PydanticCustomError(
                "contact", "un contact doit avoir au moins un téléphone ou un e-mail"
            )
        return self


class Organisation(Model):
    """An issuing body (émetteur): its name, its parent bodies, its press contacts."""

    nom: Text = Field(description="Nom complet, sans article")
    sigle: Text | None = None
    article: Literal["le", "la", "l'", "les"] | None = Field(
        None, description="Article du nom en début de phrase (« la Délégation… »)"
    )
    tutelles: list[Text] = Field(
        default_factory=list,
        max_length=MAX_ELEMENTS,
        description="Autorités de tutelle affichées dans l'en-tête",
    )
    adresse: Text | None = None
    site: Url | None = None
    logo: Text | None = Field(None, description="Chemin du logo dans assets/")
    logo_alt: Text | None = Field(None, description="Texte alternatif du logo")
    contacts: list[Contact] = Field(default_factory=list, max_length=MAX_ELEMENTS)


ListeLaureats = Literal["tableau", "lien", "tableau-et-lien"]


class Programme(Model):
    nom: Text = Field(description="Nom court, par exemple EXPE-CT")
    intitule: Text = Field(description="Intitulé complet, en minuscule initiale")
    lancement: YearMonth | None = None
    presentation: Markdown | None = None
    objectifs: list[Text] = Field(
        default_factory=list,
        max_length=MAX_ELEMENTS,
        description="Objectifs, chacun à l'infinitif (« promouvoir… »)",
    )
    appel: Markdown | None = Field(None, description="Appel à candidatures")
    url_procedure: Annotated[Lien, BeforeValidator(_lien)] | None = None
    url_laureats: Url | None = None
    liste_laureats: ListeLaureats | None = Field(
        None,
        description="Les lauréats en tableau, en lien (url_laureats) ou les deux ; par défaut "
        "tableau-et-lien avec url_laureats, tableau sinon",
    )
    comite_nom: Text | None = Field(
        None,
        description="Le comité, avec son article : « le comité de labellisation » (par défaut), "
        "« le comité de sélection », « le jury »",
    )
    recompense: Text | None = Field(
        None,
        description="Ce qui est décerné, avec son article : « le label » (par défaut), "
        "« le prix », « une subvention »",
    )


TypeLaureat = Literal["region", "departement", "commune", "intercommunalite", "association"]


class Laureat(Model):
    nom: Text
    type: TypeLaureat


class Comite(Model):
    date: dt.date
    date_limite: dt.date | None = Field(None, description="Date limite des candidatures")
    laureats: list[Laureat] = Field(default_factory=list, max_length=MAX_LAUREATS)
    liste_laureats: ListeLaureats | None = Field(
        None, description="Remplace, pour ce communiqué, le choix du programme"
    )


def _reference_or_inline(value: Any) -> str:
    return "reference" if isinstance(value, str) else "inline"


OrganisationRef = Annotated[
    Annotated[str, Tag("reference")] | Annotated[Organisation, Tag("inline")],
    Discriminator(_reference_or_inline),
]
ProgrammeRef = Annotated[
    Annotated[str, Tag("reference")] | Annotated[Programme, Tag("inline")],
    Discriminator(_reference_or_inline),
]
_UNION_TAGS = {"reference", "inline"}

MODELE_NAME = r"^[a-z0-9][a-z0-9-]*$"


class Communique(Model):
    """One communiqué de presse: the facts; the wording comes from its modèle (template)."""

    modele: Annotated[str, Field(pattern=MODELE_NAME)] = "communique"
    langue: Langue = Field(
        "fr",
        description="Langue du communiqué ; une liste [fr, en] le publie dans les deux langues",
    )
    lieu: Text
    date: dt.date
    emetteur: OrganisationRef = Field(
        description="Identifiant dans organisations/ ou organisation décrite ici"
    )
    programme: ProgrammeRef | None = None
    titre: Text
    sous_titre: Text | None = None
    chapo: Markdown | None = Field(None, description="Chapô : le paragraphe d'introduction")
    comite: Comite | None = None
    donnees: dict[str, Any] | None = Field(
        None, description="Champs propres au modèle, déclarés dans son fichier .modele.yaml"
    )
    corps: Markdown | None = None
    liens: list[Lien] = Field(default_factory=list, max_length=MAX_ELEMENTS)
    contacts: list[Contact] = Field(
        default_factory=list,
        max_length=MAX_ELEMENTS,
        description="Par défaut, les contacts de l'émetteur",
    )
    embargo: AwareDatetime | None = Field(
        None, description="Date et heure avec fuseau, par exemple 2021-04-19T10:00:00+02:00"
    )

    @field_validator("titre", "sous_titre", "lieu")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value and "\n" in value:
            raise PydanticCustomError("one_line", "doit tenir sur une seule ligne")
        return value


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
        errors.extend(_french_errors(exc, projected, model, within))
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
    return Document(document.path, data, marks, document.key_marks), errors


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
    list per language); where it expects a model, it is that model's fields.
    """
    leaves = _leaves(annotation)
    model = next((t for t in leaves if isinstance(t, type) and issubclass(t, BaseModel)), None)
    item = next((get_args(t)[0] for t in leaves if get_origin(t) is list), None)
    textual = str in leaves
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
            if key not in _NOT_TRANSLATABLE
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


_NOT_TRANSLATABLE = {"modele", "langue"}


def _leaves(annotation: Any) -> list[Any]:
    """The alternatives of a type: `Text | list[Text] | None` → [str, list[Text], NoneType]."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _leaves(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [leaf for arg in get_args(annotation) for leaf in _leaves(arg)]
    return [annotation]


def _french_errors(
    exc: ValidationError, document: Document, model: type[BaseModel], within: Loc
) -> list[Diagnostic]:
    if not isinstance(document.data, dict) and not within:
        return [document.error((), "le fichier doit contenir des champs (clé: valeur)")]
    errors = []
    for error in exc.errors(include_url=False):
        loc = (*within, *(p for p in error["loc"] if p not in _UNION_TAGS))
        kind = error["type"]
        message = _french_message(kind, error, model, loc[len(within) :])
        errors.append(document.error(loc, message, key=kind == "extra_forbidden"))
    return errors


def _french_message(kind: str, error: Any, model: type[BaseModel], loc: Loc) -> str:
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "extra_forbidden":
        known = sorted(_fields_at(model, loc[:-1]))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f" : vouliez-vous dire « {close[0]} » ?" if close else ""
        return f"champ inconnu{hint} (champs possibles : {', '.join(known)})"
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return f"date invalide « {value} » : attendue au format AAAA-MM-JJ"
    if kind in (
        "datetime_parsing",
        "datetime_from_date_parsing",
        "datetime_type",
        "timezone_aware",
    ):
        return (
            f"date et heure invalides « {value} » : attendues au format "
            "AAAA-MM-JJTHH:MM+02:00 (avec le fuseau horaire)"
        )
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"valeur « {value} » non prévue : valeurs possibles : {expected}"
    if kind == "string_pattern_mismatch":
        return f"« {value} » : seulement des minuscules, des chiffres et des tirets"
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind == "string_too_long":
        return (
            f"texte trop long ({_count(len(value))} caractères) : "
            f"{_count(ctx.get('max_length', 0))} au plus"
        )
    if kind == "too_long":
        return _too_long(loc, ctx)
    if kind in ("string_type", "string_sub_type"):
        return "texte attendu"
    if kind == "list_type":
        return "liste attendue (une ligne « - » par élément)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "champs attendus (clé: valeur)"
    if kind in ("url", "email", "telephone", "contact", "one_line", "year_month", "lien"):
        return str(error["msg"])
    return f"valeur invalide « {value} » ({error['msg']})"


def _count(number: int) -> str:
    """1 000, as French writes it (a plain space, for terminals and grep)."""
    return f"{number:,}".replace(",", " ")


def _too_long(loc: Loc, ctx: dict[str, Any]) -> str:
    actual, limit = ctx.get("actual_length") or 0, ctx.get("max_length") or 0
    if loc and loc[-1] == "laureats":
        return (
            f"{_count(actual)} lauréats : {_count(limit)} au plus dans un communiqué ; "
            "publiez la liste en ligne (url_laureats du programme)"
        )
    return f"liste trop longue ({_count(actual)} éléments) : {_count(limit)} au plus"


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """The field names allowed at `loc`, to suggest the right one after a typo."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return set()
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = get_origin(annotation)
    if origin is not None:
        for arg in get_args(annotation):
            if found := _model_in(arg):
                return found
    return None


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
        if key in _NOT_TRANSLATABLE or not _is_text_schema(child):
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
