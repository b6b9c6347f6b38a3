"""The data model of communiqué, organisation and programme files, and its JSON Schema.

Validation messages are French, placed at the YAML marks of the value at fault. Any text may
be given in several languages; the models themselves only ever hold one (see `editions`).

- `fields`: field types and their limits (Url, Email, Telephone, Markdown, Text…);
- `documents`: Communique, Organisation, Programme and their parts;
- `editions`: `parse`, and a document read in one of its languages;
- `messages`: pydantic's errors in French;
- `schema`: the JSON Schema (`json_schema`, `schema_text`).
"""

from ..links import LINK_SCHEMES, link_allowed
from .documents import (
    Comite,
    Communique,
    Contact,
    Laureat,
    Lien,
    Model,
    Organisation,
    Programme,
    TypeLaureat,
)
from .editions import edition, editions, parse
from .fields import (
    LANGUES,
    MAX_ELEMENTS,
    MAX_LAUREATS,
    MAX_MARKDOWN,
    MAX_TEXTE,
    NOMS_LANGUES,
    Email,
    Langue,
    Markdown,
    Telephone,
    Text,
    Url,
    YearMonth,
)
from .schema import json_schema, schema_text

__all__ = [
    "LANGUES",
    "LINK_SCHEMES",
    "MAX_ELEMENTS",
    "MAX_LAUREATS",
    "MAX_MARKDOWN",
    "MAX_TEXTE",
    "NOMS_LANGUES",
    "Comite",
    "Communique",
    "Contact",
    "Email",
    "Langue",
    "Laureat",
    "Lien",
    "Markdown",
    "Model",
    "Organisation",
    "Programme",
    "Telephone",
    "Text",
    "TypeLaureat",
    "Url",
    "YearMonth",
    "edition",
    "editions",
    "json_schema",
    "link_allowed",
    "parse",
    "schema_text",
]
