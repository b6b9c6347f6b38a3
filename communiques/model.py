"""The data model of communiqué, organisation and programme files, and its JSON Schema.

Keys are French because the people who write these files are. Unknown keys are errors: a
typo must never be silently ignored. Validation messages are translated to French here,
once, with the place of each error taken from the YAML marks.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin
from urllib.parse import urlsplit

from pydantic import (
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

from .errors import DataError, DataErrors
from .sources import Document, Loc

LINK_SCHEMES = ("https", "http", "mailto", "tel")


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
Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[
    str, Field(min_length=1, description="Texte Markdown : **gras**, *italique*, [lien](url)")
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
        default_factory=list, description="Autorités de tutelle affichées dans l'en-tête"
    )
    adresse: Text | None = None
    site: Url | None = None
    logo: Text | None = Field(None, description="Chemin du logo dans assets/")
    logo_alt: Text | None = Field(None, description="Texte alternatif du logo")
    contacts: list[Contact] = Field(default_factory=list)


class Programme(Model):
    nom: Text = Field(description="Nom court, par exemple EXPE-CT")
    intitule: Text = Field(description="Intitulé complet, en minuscule initiale")
    lancement: YearMonth | None = None
    presentation: Markdown | None = None
    objectifs: list[Text] = Field(
        default_factory=list, description="Objectifs, chacun à l'infinitif (« promouvoir… »)"
    )
    appel: Markdown | None = Field(None, description="Appel à candidatures")
    url_procedure: Annotated[Lien, BeforeValidator(_lien)] | None = None
    url_laureats: Url | None = None


TypeLaureat = Literal["region", "departement", "commune", "intercommunalite", "association"]


class Laureat(Model):
    nom: Text
    type: TypeLaureat


class Comite(Model):
    date: dt.date
    date_limite: dt.date | None = Field(None, description="Date limite des candidatures")
    laureats: list[Laureat] = Field(default_factory=list)


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
    langue: Literal["fr"] = "fr"
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
    corps: Markdown | None = None
    liens: list[Lien] = Field(default_factory=list)
    contacts: list[Contact] = Field(
        default_factory=list, description="Par défaut, les contacts de l'émetteur"
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


def parse(document: Document, model: type[M], *, within: Loc = ()) -> M:
    """Validate `document.data` (or the part at `within`) into `model`, errors in French."""
    data = document.data
    for part in within:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataErrors(_french_errors(exc, document, model, within)) from None


def _french_errors(
    exc: ValidationError, document: Document, model: type[BaseModel], within: Loc
) -> list[DataError]:
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
    if kind in ("string_type", "string_sub_type"):
        return "texte attendu"
    if kind == "list_type":
        return "liste attendue (une ligne « - » par élément)"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "champs attendus (clé: valeur)"
    if kind in ("url", "email", "telephone", "contact", "one_line", "year_month"):
        return str(error["msg"])
    return f"valeur invalide « {value} » ({error['msg']})"


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
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Communiqué de presse"
    return schema
