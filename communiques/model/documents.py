"""The documents users write: a communiqué, the organisation that issues it, the programme
it speaks of, with their parts (links, contacts, comité, laureates).

Keys are French because the people who write these files are. Unknown keys are errors: a
typo must never be silently ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .fields import (
    MAX_ELEMENTS,
    MAX_LAUREATS,
    Email,
    Langue,
    Markdown,
    Telephone,
    Text,
    Url,
    YearMonth,
)


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
    url_publication: Url | None = Field(
        None,
        description="Adresse où votre site publie les communiqués (https://…/communiques/) : "
        "liens absolus de l'édition web, du flux Atom et du plan du site",
    )
    contacts: list[Contact] = Field(default_factory=list, max_length=MAX_ELEMENTS)


TYPE_KEY = r"^[a-z0-9][a-z0-9_-]*$"
TypeKey = Annotated[str, Field(pattern=TYPE_KEY, max_length=60)]


class Libelles(Model):
    """A noun in the singular and the plural, without article: « école », « écoles »."""

    singulier: Text
    pluriel: Text


class TypeLaureat(Libelles):
    """A kind of laureate a programme distinguishes, and how the text names it."""

    groupe: Libelles | None = Field(
        None,
        description="Nom sous lequel la phrase compte ce type avec d'autres du même groupe "
        "(« collectivité », « collectivités ») ; par défaut, le type lui-même",
    )


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
    types_laureats: Annotated[dict[TypeKey, TypeLaureat], Field(max_length=MAX_ELEMENTS)] | None = (
        Field(
            None,
            description="Les types de lauréats, avec leurs noms au singulier et au pluriel : "
            "entreprise: {singulier: entreprise, pluriel: entreprises} ; par défaut région, "
            "département, commune, intercommunalité, association d'élus",
        )
    )
    decompte: Literal["par-type", "total"] | None = Field(
        None,
        description="La phrase compte les lauréats par type (« 3 entreprises et 2 écoles », "
        "par défaut) ou donne leur total (« 11 collectivités et associations d'élus »)",
    )


class Laureat(Model):
    nom: Text
    type: TypeKey = Field(
        description="Un type déclaré par le programme (types_laureats) ; sans déclaration : "
        "region, departement, commune, intercommunalite, association"
    )


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
UNION_TAGS = {"reference", "inline"}

MODELE_NAME = r"^[a-z0-9][a-z0-9-]*$"
NOT_TRANSLATABLE = {"modele", "langue", "type"}
"""Fields whose value is the same in every language (a laureate's `type` is a key): never
written `{fr: …, en: …}`."""


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
        """Every line break Python knows (as Word and the PDF's text would show it), the
        invisible separators U+2028 and U+2029 named, as no one sees them."""
        if value and len(value.splitlines()) > 1:
            separator = next((c for c in value if c in "\u2028\u2029"), "")
            named = f" (séparateur U+{ord(separator):04X}, invisible)" if separator else ""
            raise PydanticCustomError("one_line", f"doit tenir sur une seule ligne{named}")
        return value

    @field_validator("embargo", mode="before")
    @classmethod
    def _written_instant(cls, value: Any) -> Any:
        """A date and time as written, never a number of seconds (which pydantic would read
        as a Unix time in UTC: no one means that in a communiqué)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise PydanticCustomError(
                "date_heure",
                "date et heure attendues, avec leur fuseau, et non un nombre : par exemple "
                "2021-04-19T10:00:00+02:00",
            )
        return value
