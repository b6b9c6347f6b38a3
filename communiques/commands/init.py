"""`communiques init`: a working press office in one step, from a few answers (name, acronym,
city, site, logo). It writes only files that do not exist yet, and refuses when any does."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import office as marker
from ..errors import UsageError
from ..sources import PressOffice
from .new import new

DEFAULT_NAME = "Mon organisation"
DEFAULT_CITY = "Paris"
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
FIRST = "premier-communique"


@dataclass(frozen=True)
class Answers:
    """What `init` asks; every field has a default, so nothing need be asked."""

    nom: str = DEFAULT_NAME
    sigle: str = ""
    ville: str = DEFAULT_CITY
    site: str = ""
    logo: Path | None = None


@dataclass
class Created:
    root: Path
    files: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def acronym(name: str) -> str:
    """`Préfecture de la région Bretagne` → `PRB`: the initials of its words but the small
    ones (de, la, des…)."""
    words = re.split(r"[\s'’-]+", name)
    return "".join(w[0] for w in words if len(w) > 2 and w.lower() not in _SMALL).upper() or "ORG"


_SMALL = {"des", "les", "aux", "pour", "sur", "une", "par", "avec"}


def init(folder: Path, answers: Answers, today: dt.date | None = None) -> Created:
    """Creates the office in `folder` (made if absent); returns what was written."""
    from slugify import slugify

    folder = folder.resolve()
    if marker.is_tool_code(folder):
        raise UsageError(
            f"{folder} contient le code de communiques : créez le bureau dans un autre dossier, "
            "par exemple `communiques init ~/bureau`"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} est un fichier : indiquez un dossier")
    created = Created(folder)
    if marker.is_legacy_office(folder) and not (folder / marker.MARKER).exists():
        created.files.append(_write(folder / marker.MARKER, _settings(answers)))
        return created  # an office made before the marker: only the marker was missing
    sigle = answers.sigle.strip() or acronym(answers.nom)
    ident = slugify(sigle) or "organisation"
    logo_kind = _logo_kind(answers.logo) if answers.logo else None
    logo_name = f"logos/{ident}.{logo_kind}" if logo_kind else None
    texts = {
        Path(marker.MARKER): _settings(answers),
        Path("organisations") / f"{ident}.yaml": _organisation(answers, sigle, logo_name),
        Path("assets") / "mots.txt": _words(answers, sigle),
        Path("README.md"): _readme(answers, sigle),
    }
    first = Path("communiques") / f"{(today or dt.date.today()).isoformat()}-{FIRST}.yaml"
    wanted = [*texts, first, *([Path("assets") / logo_name] if logo_name else [])]
    if existing := [str(p) for p in wanted if (folder / p).exists()]:
        raise UsageError(
            f"{folder} contient déjà {', '.join(existing)} : rien n'a été écrit, choisissez un "
            "dossier vide"
        )
    for relative, text in texts.items():
        created.files.append(_write(folder / relative, text))
    (folder / "programmes").mkdir(exist_ok=True)
    (folder / "assets" / "logos").mkdir(parents=True, exist_ok=True)
    if answers.logo and logo_name:
        target = folder / "assets" / logo_name
        target.write_bytes(answers.logo.read_bytes())
        created.files.append(target)
        if logo_kind == "svg":
            created.notices.append(
                f"{target.name} : le PDF et le DOCX veulent un logo PNG ou JPEG ; convertissez-le "
                f"puis indiquez-le à la ligne logo: de organisations/{ident}.yaml"
            )
    first_texts = _first_texts(answers, sigle)
    created.files.append(new(first.stem, "communique", PressOffice(folder), today, first_texts))
    return created


def _first_texts(answers: Answers, sigle: str) -> dict[str, str]:
    """The first communiqué's texts, in place of the starting file's example lines (which
    check and build report): it builds at once, and says what to do next."""
    return {
        "Titre du communiqué": f"Le bureau de presse de {sigle} publie ses communiqués",
        "Le paragraphe d'introduction, en gras : qui, quoi, quand, où.": f"{answers.nom} "
        "publie désormais ses communiqués de presse à partir de quelques lignes de données.",
        "Le texte du communiqué, en Markdown :": "Ce premier communiqué est un essai : "
        "remplacez son texte par le vôtre, ou supprimez le fichier. Le texte s'écrit en "
        "Markdown :",
        "Une ligne vide sépare deux paragraphes.": "Chaque paragraphe est séparé du suivant "
        "par une ligne vide.",
    }


def _logo_kind(path: Path) -> str:
    """png, jpg or svg, by what the file holds: a renamed file would print as a blank."""
    try:
        head = path.read_bytes()[:1024]
    except OSError:
        raise UsageError(f"--logo {path} : fichier illisible ou introuvable") from None
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    if re.search(rb"<svg[\s>]", head):
        return "svg"
    raise UsageError(f"--logo {path} : ce n'est pas une image PNG, JPEG ou SVG")


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # never over a file made meanwhile
        file.write(text)
    return path


def _quoted(text: str) -> str:
    """A YAML or TOML string as typed, quoted: « : » and « # » are common in French names."""
    return json.dumps(text, ensure_ascii=False)


def _settings(answers: Answers) -> str:
    return (
        "# Ce dossier est un bureau de presse (communiques init).\n"
        f"lieu = {_quoted(answers.ville)}      # lieu des nouveaux communiqués\n"
        'langues = ["fr"]\n'
        'sortie = "build"        # où build écrit les PDF et DOCX\n'
    )


def _organisation(answers: Answers, sigle: str, logo: str | None) -> str:
    host = re.sub(r"^https?://(www\.)?|/.*$", "", answers.site) or "exemple.fr"
    lines = [
        "# L'émetteur des communiqués : complétez les tutelles, l'adresse et les contacts.",
        f"nom: {_quoted(answers.nom)}",
        f"sigle: {_quoted(sigle)}",
        "tutelles:",
        *(f"  - {_quoted(example)}" for example in marker.INIT_EXAMPLES),
        f"adresse: {_quoted(answers.ville)}",
        *([f"site: {_quoted(answers.site)}"] if answers.site else ["# site: https://…"]),
    ]
    if logo and not logo.endswith(".svg"):
        lines += [f"logo: {logo}", f"logo_alt: {_quoted(sigle)}"]
    else:
        lines.append("# logo: logos/mon-logo.png        # PNG ou JPEG, dans assets/")
    lines += [
        "contacts:",
        "  - nom: Service de presse",
        f"    email: presse@{host}",
        "    # telephone: 01 23 45 67 89",
    ]
    return "\n".join(lines) + "\n"


def _words(answers: Answers, sigle: str) -> str:
    names = sorted({sigle, *re.findall(r"[\w-]+", answers.ville)})
    return (
        "# Mots justes que le dictionnaire ne connaît pas : un par ligne (noms, sigles).\n"
        + "\n".join(names)
        + "\n"
    )


def _readme(answers: Answers, sigle: str) -> str:
    return (
        f"# Bureau de presse — {answers.nom} ({sigle})\n"
        "- `communiques new 2026-06-02-mon-sujet` : un nouveau communiqué dans communiques/.\n"
        "- `communiques check` : relire ; `communiques build` : les PDF et DOCX dans build/.\n"
        "- Émetteur et contacts : organisations/ ; logo et mots justes : assets/.\n"
        "- Réglages (lieu, langues, sortie) : communiques.toml.\n"
    )
