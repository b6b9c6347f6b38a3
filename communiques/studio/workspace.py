"""The office's files as the studio sees them: which communiqués there are and in what state,
where a name from a request may lead (never outside the office), creating a communiqué from a
modèle, saving without losing anyone's edits, and storing an uploaded logo.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DataErrors, Diagnostic, ResourceRefused, UsageError
from ..files import write_atomic
from ..sources import SOURCE_SUFFIXES, PressOffice
from ..yamlfile import load_yaml

LOGO_MAX = 512 * 1024
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg"}


def version(data: bytes) -> str:
    """What identifies a file's content: two editors agree on it without sharing a clock."""
    return hashlib.sha256(data).hexdigest()[:16]


def communique_path(office: PressOffice, name: str) -> Path:
    """communiques/<name>, refused if it would lead outside communiques/ (`..`, an absolute
    path, a symbolic link that leaves the office) or is not a YAML file."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or relative.suffix not in SOURCE_SUFFIXES:
        raise ResourceRefused(f"« {name} » n'est pas un fichier YAML du dossier communiques/")
    path = office.root / "communiques" / relative
    if not office.holds("communiques", path):
        raise ResourceRefused(f"« {name} » mène hors du bureau de presse : refusé")
    return path


def relative_name(office: PressOffice, path: Path) -> str:
    return path.relative_to(office.root / "communiques").as_posix()


def ids(office: PressOffice, kind: str) -> list[str]:
    """The identifiers of organisations/ or programmes/, as a communiqué names them."""
    folder = office.root / kind
    return sorted(p.stem for p in folder.glob("*") if p.suffix in SOURCE_SUFFIXES)


def organisation_names(office: PressOffice) -> list[str]:
    """Who the office speaks for, as the heading of its page says it: each organisation's
    name in French, with its acronym; a file that does not read is left to `check`."""
    from ..model import Organisation, parse
    from ..yamlfile import load_shared_yaml

    names = []
    for stem in ids(office, "organisations"):
        path = office.reference_path("organisations", stem)
        if not office.holds("organisations", path):
            continue
        try:
            document = load_shared_yaml(path)
            organisation = parse(document, Organisation, language="fr")
        except (DataErrors, OSError):
            continue
        sigle = f" ({organisation.sigle})" if organisation.sigle else ""
        names.append(f"{organisation.nom}{sigle}")
    return names


def modeles(office: PressOffice) -> dict[str, str]:
    """Every modèle a communiqué may use, the office's own and the built-in ones, with the
    label its declaration gives it."""
    from .. import modeles as declared

    labels = {}
    for name in declared.names(office.template_dirs):
        try:
            labels[name] = declared.find(name, office.template_dirs).label
        except DataErrors:  # a wrong declaration: check names it; the name stands in
            labels[name] = name
    return labels


@dataclass(frozen=True)
class Entry:
    """A communiqué as the office's page lists it."""

    name: str
    date: str
    titre: str
    modele: str
    langues: tuple[str, ...]
    state: str
    """« à jour », « à reconstruire » or « jamais construit »."""
    errors: int
    warnings: int
    findings: list[Diagnostic] = field(default_factory=list, compare=False)


def listing(office: PressOffice, out_dir: Path) -> list[Entry]:
    """Every communiqué, newest first, with its state and its findings' counts."""
    shared = tuple(
        (p, p.stat().st_mtime_ns)
        for kind in ("organisations", "programmes")
        for p in sorted((office.root / kind).glob("*.y*ml"))
    )
    entries = [
        _entry(office.root, path, path.stat().st_mtime_ns, shared, out_dir)
        for path in office.communique_files()
    ]
    return sorted(entries, key=lambda e: (e.date, e.name), reverse=True)


@lru_cache(maxsize=512)
def _entry(
    root: Path, path: Path, mtime: int, shared: tuple[tuple[Path, int], ...], out_dir: Path
) -> Entry:
    """Cached by the files' times: the page is drawn again without proofreading again."""
    from ..check import check_file

    office = PressOffice(root)
    try:
        data = load_yaml(path).data
    except DataErrors:
        data = None
    data = data if isinstance(data, dict) else {}
    titre = data.get("titre", "")
    if isinstance(titre, dict):
        titre = next(iter(titre.values()), "")
    langue = data.get("langue") or (list(titre) if isinstance(data.get("titre"), dict) else ["fr"])
    langues = tuple(langue) if isinstance(langue, list) else (str(langue),)
    findings = check_file(path, layout=False)
    errors = sum(1 for f in findings if f.level == "error")
    return Entry(
        name=relative_name(office, path),
        date=str(data.get("date", "")),
        titre=str(titre),
        modele=str(data.get("modele", "communique")),
        langues=langues,
        state=_state(office, path, out_dir) if not errors else "en erreur",
        errors=errors,
        warnings=len(findings) - errors,
        findings=findings,
    )


def _state(office: PressOffice, path: Path, out_dir: Path) -> str:
    from ..batch.planning import Options, unchanged
    from ..build import Theme, output_name
    from ..manifest import Manifest

    manifest = Manifest.load(out_dir)
    name = output_name(path)
    if name not in manifest.entries:
        return "jamais construit"
    current = unchanged(manifest, name, path, Theme.of(office), Options(out_dir=out_dir))
    return "à jour" if current else "à reconstruire"


def create(office: PressOffice, modele: str, name: str) -> Path:
    """A new communiqué from its modèle's starting file, as `communiques new` makes it."""
    from ..commands.new import new

    try:
        return new(name, modele, office)
    except UsageError as exc:
        raise ResourceRefused(exc.message) from None


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: written, or refused because the file changed meanwhile."""

    saved: bool
    version: str
    disk_text: str = ""


def save(path: Path, text: str, base_version: str) -> Saved:
    """Write `text` atomically if the file is still the one the editor opened
    (`base_version`); otherwise write nothing and return what is on the disk now."""
    current = path.read_bytes() if path.exists() else b""
    if version(current) != base_version:
        return Saved(False, version(current), current.decode("utf-8", "replace"))
    data = text.encode("utf-8")
    write_atomic(path, data)
    return Saved(True, version(data))


def store_logo(office: PressOffice, name: str, data: bytes) -> str:
    """An uploaded logo, written to assets/logos/ once its content is known to be a PNG or
    JPEG image of reasonable size; returns its name as an organisation's `logo` gives it."""
    from PIL import Image, UnidentifiedImageError
    from slugify import slugify

    if len(data) > LOGO_MAX:
        raise ResourceRefused(
            f"logo trop lourd ({len(data) // 1024} Ko) : {LOGO_MAX // 1024} Ko au plus"
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = str(image.format)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = ""
    if kind not in LOGO_FORMATS:
        raise ResourceRefused("le logo doit être une image PNG ou JPEG")
    stem = slugify(Path(name).stem, max_length=60) or "logo"
    relative = f"logos/{stem}{LOGO_FORMATS[kind]}"
    write_atomic(office.root / "assets" / relative, data)
    return relative


def read_text(path: Path) -> tuple[str, str]:
    """A communiqué's text and version."""
    data = path.read_bytes()
    return data.decode("utf-8-sig", "replace"), version(data)


def plain_data(path: Path) -> Any:
    """The file's values as the form shows them; an unreadable file gives an empty form."""
    try:
        data = load_yaml(path).data
    except DataErrors:
        return {}
    return data if isinstance(data, dict) else {}
