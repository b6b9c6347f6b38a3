"""From a communiqué file to everything its rendering needs: references joined, defaults set.

This is the last stage that reads files. What it returns is plain, immutable and picklable,
so rendering can run in another process or on another machine.

A communiqué may be published in several languages. `load` validates every edition and
returns the first; `for_language` and `editions` give the others, without reading files: the
parsed YAML travels with the communiqué.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from . import coherence, laureates, modeles
from .errors import ERROR, WARNING, DataErrors, Diagnostic
from .model import Communique, Contact, Organisation, Programme, parse
from .model import editions as document_editions
from .modeles import Modele, examples_left
from .office import DEFAULT_ZONE, INIT_EXAMPLES, MARKER
from .sources import SOURCE_SUFFIXES, PressOffice
from .yamlfile import Document, Loc, load_shared_yaml, load_yaml

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG


@dataclass(frozen=True)
class Sources:
    """The parsed YAML of a communiqué and of the files it references, with their marks:
    what another language's edition is made from, and where the proofreader points."""

    communique: Document
    emetteur: Document | None = None
    """None when the émetteur is described in the communiqué itself."""
    programme: Document | None = None


@dataclass(frozen=True)
class Resolved:
    """A communiqué with its émetteur and programme joined and its contacts defaulted."""

    source: Path
    communique: Communique
    emetteur: Organisation
    programme: Programme | None
    contacts: tuple[Contact, ...]
    logo: Path | None
    inputs: tuple[Path, ...]
    """Every file this communiqué was made from (for incremental builds)."""
    languages: tuple[str, ...] = ("fr",)
    """The languages it is published in, the first being that of `communique`."""
    sources: Sources | None = None
    modele: Modele | None = None
    """The modèle's declaration (None only for a communiqué made in code, not loaded)."""
    donnees: dict[str, Any] = field(default_factory=dict)
    """The fields of the modèle's own (`donnees:`), validated against its declaration."""
    remarks: tuple[Diagnostic, ...] = ()
    """What reading the files and the coherence rules warn of without stopping the build;
    `check` reports them, `build` prints them."""
    fuseau: str = DEFAULT_ZONE
    """The office's time zone: the communiqué's embargo is given in it (`in_office_time`),
    so that every output prints the office's time whatever offset the file was written with."""

    @property
    def name(self) -> str:
        return self.source.stem

    def refused(self, message: str) -> Diagnostic:
        """A resource the modèle (its templates or stylesheet) asked for and the rule refused:
        reported on the communiqué's `modele`, which chose those templates."""
        if self.sources is not None:
            return self.sources.communique.error(("modele",), message)
        return Diagnostic(self.source, 1, 1, "modele", message)


R = TypeVar("R", Organisation, Programme)


def load(path: Path, office: PressOffice | None = None) -> Resolved:
    """Read a communiqué file and what it references; raise DataErrors with all problems
    (texts of the starting file left in it included), and the warnings of reading the file
    with them (text lost to a comment may be why)."""
    office_: PressOffice = office or PressOffice.find(path)
    document = load_yaml(path)
    placeholders = modeles.placeholders_left(document, office_.template_dirs)
    try:
        resolved = _load(path, document, office_)
    except DataErrors as exc:  # « AAAA-MM-JJ » left is said once, as a text to replace
        left = {each.field for each in placeholders}
        errors = [each for each in exc if each.field not in left]
        raise DataErrors([*errors, *placeholders, *document.warnings]) from None
    if placeholders:
        raise DataErrors([*placeholders, *document.warnings])
    return resolved


def _load(path: Path, document: Document, office_: PressOffice) -> Resolved:
    languages = document_editions(document, Communique)
    try:
        communique = parse(document, Communique, language=languages[0])
    except DataErrors as exc:  # with the other editions' errors: all of them at once
        every = list(exc)
        for language in languages[1:]:
            try:
                parse(document, Communique, language=language)
            except DataErrors as more:
                every.extend(more)
        raise DataErrors(every) from None
    errors: list[Diagnostic] = []
    warnings = list(document.warnings)
    inputs = [path]
    sources: dict[str, Document] = {}

    def reference(
        field: str, kind: str, model: type[R], value: str | R
    ) -> tuple[R | None, Loc, Document]:
        """Load a referenced file; returns the object, and where its own fields stand."""
        if not isinstance(value, str):
            return value, (field,), document
        ref_path = office_.reference_path(kind, value)
        if not office_.holds(kind, ref_path):
            errors.append(  # `../../etc/x` would read a file outside the press office
                document.error((field,), f"« {value} » doit être le nom d'un fichier de {kind}/")
            )
            return None, (), document
        if not ref_path.is_file():
            message = f"« {value} » introuvable : {kind}/{value}.yaml n'existe pas"
            errors.append(document.error((field,), message + _nearest(value, ref_path.parent)))
            return None, (), document
        inputs.append(ref_path)
        try:
            ref_document = load_shared_yaml(ref_path)
            sources[field] = ref_document
            warnings.extend(ref_document.warnings)
            return parse(ref_document, model, language=languages[0]), (), ref_document
        except DataErrors as exc:
            errors.extend(exc)
            return None, (), document

    emetteur, emetteur_loc, emetteur_doc = reference(
        "emetteur", "organisations", Organisation, communique.emetteur
    )
    programme = None
    if communique.programme is not None:
        programme, _, _ = reference("programme", "programmes", Programme, communique.programme)

    if programme is not None or communique.programme is None:  # a broken one said already
        errors.extend(laureates.unknown_types(communique, document, programme))

    logo = None
    if emetteur and emetteur.logo:
        logo = _asset(emetteur.logo, office_, (*emetteur_loc, "logo"), emetteur_doc, errors)
        if logo:
            inputs.append(logo)

    zone = office_.settings.fuseau
    marker = office_.root / MARKER
    if communique.embargo is not None and marker.is_file():
        inputs.append(marker)  # its `fuseau` sets the time printed: changed, it is rebuilt
    modele, donnees, remarks = _modele(communique, document, office_, languages[0], errors, zone)
    if "emetteur" in sources:  # what `init` wrote for the user to replace
        remarks = (
            *remarks,
            *examples_left(sources["emetteur"], INIT_EXAMPLES, "de communiques init", WARNING),
        )
    if modele is not None and modele.declared.is_file():
        inputs.append(modele.declared)
    if errors or emetteur is None:
        raise DataErrors(errors)
    resolved = Resolved(
        source=path,
        communique=in_office_time(communique, zone),
        emetteur=emetteur,
        programme=programme,
        contacts=tuple(communique.contacts or emetteur.contacts),
        logo=logo,
        inputs=tuple(inputs),
        languages=languages,
        sources=Sources(document, sources.get("emetteur"), sources.get("programme")),
        modele=modele,
        donnees=donnees,
        remarks=(*warnings, *remarks),
        fuseau=zone,
    )
    for language in languages[1:]:  # every edition's errors now, not at rendering time
        try:
            for_language(resolved, language)
        except DataErrors as exc:
            errors.extend(exc)
    if errors:
        raise DataErrors(errors)
    return resolved


def for_language(resolved: Resolved, language: str) -> Resolved:
    """The same communiqué in `language`: its texts taken in that language, and the template
    strings, dates and numbers too once rendered. Pure: made from the parsed YAML it carries.

    Any language can be asked for, not only those published: plain texts (names, places)
    stay as written, and a text given in other languages only is an error. The edition is
    in that one language (`languages == (language,)`).
    """
    if resolved.communique.langue == language:
        return replace(resolved, languages=(language,))
    if resolved.sources is None:
        communique = resolved.communique.model_copy(update={"langue": language})
        return replace(resolved, communique=communique, languages=(language,))
    sources = resolved.sources
    errors: list[Diagnostic] = []

    def edition(document: Document | None, model: type[R], current: R | None) -> R | None:
        if document is None:
            return current
        try:
            return parse(document, model, language=language)
        except DataErrors as exc:
            errors.extend(exc)
            return None

    try:
        communique = in_office_time(
            parse(sources.communique, Communique, language=language), resolved.fuseau
        )
    except DataErrors as exc:
        errors.extend(exc)
        communique = resolved.communique
    emetteur = communique.emetteur if isinstance(communique.emetteur, Organisation) else None
    emetteur = emetteur or edition(sources.emetteur, Organisation, resolved.emetteur)
    programme = communique.programme if isinstance(communique.programme, Programme) else None
    programme = programme or edition(sources.programme, Programme, resolved.programme)
    donnees = resolved.donnees
    if resolved.modele is not None:
        donnees, more = modeles.own_fields(resolved.modele, sources.communique, language)
        errors.extend(more)
    if errors or emetteur is None:
        raise DataErrors(errors)
    return replace(
        resolved,
        donnees=donnees,
        communique=communique,
        emetteur=emetteur,
        programme=programme,
        contacts=tuple(communique.contacts or emetteur.contacts),
        languages=(language,),
    )


def in_office_time(communique: Communique, zone: str) -> Communique:
    """The communiqué with its embargo given in the office's time zone `zone`: the same
    instant, printed as the office reads it (« 17 h 37 » in Paris for 05:37 at -11:00)."""
    if communique.embargo is None:
        return communique
    embargo = communique.embargo.astimezone(ZoneInfo(zone))
    return communique.model_copy(update={"embargo": embargo})


def editions(resolved: Resolved) -> list[Resolved]:
    """The communiqué in each language it is published in, first language first."""
    return [for_language(resolved, language) for language in resolved.languages]


def _nearest(name: str, folder: Path) -> str:
    """« vouliez-vous dire » the file of `folder` closest to `name`, or those it holds."""
    import difflib

    known = sorted({path.stem for suffix in SOURCE_SUFFIXES for path in folder.glob(f"*{suffix}")})
    if close := difflib.get_close_matches(name, known, n=1, cutoff=0.6):
        return f" : vouliez-vous dire « {close[0]} » ?"
    if known and len(known) <= 10:
        return f" (fichiers : {', '.join(known)})"
    return ""


def _asset(
    name: str, office: PressOffice, loc: Loc, document: Document, errors: list[Diagnostic]
) -> Path | None:
    """An image inside one of the office's asset folders; nothing outside them is ever read."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        errors.append(
            document.error(loc, f"« {name} » doit être un chemin dans le dossier assets/")
        )
        return None
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        errors.append(document.error(loc, f"« {name} » : image PNG ou JPEG attendue"))
        return None
    for folder in office.asset_dirs:
        candidate = (folder / relative).resolve()
        if candidate.is_relative_to(folder.resolve()) and candidate.is_file():
            with candidate.open("rb") as image:
                if not image.read(8).startswith(IMAGE_SIGNATURES):
                    # WeasyPrint would leave a blank where the logo goes, and Word fail.
                    errors.append(
                        document.error(loc, f"« {name} » n'est pas une image PNG ou JPEG")
                    )
                    return None
            return candidate
    errors.append(document.error(loc, f"image introuvable : assets/{name}"))
    return None


def _modele(
    communique: Communique,
    document: Document,
    office: PressOffice,
    language: str,
    errors: list[Diagnostic],
    zone: str,
) -> tuple[Modele | None, dict[str, Any], tuple[Diagnostic, ...]]:
    """The communiqué's modèle, its own fields, and what the coherence rules say: errors go
    to `errors`, warnings are returned for `check`."""
    try:
        modele = modeles.find(communique.modele, office.template_dirs)
    except LookupError:
        message = modeles.unknown_message(communique.modele, office.template_dirs)
        errors.append(document.error(("modele",), message))
        return None, {}, ()
    except DataErrors as exc:  # the declaration itself is wrong
        errors.extend(exc)
        return None, {}, ()
    donnees, problems = modeles.own_fields(modele, document, language)
    errors.extend(problems)
    remarks = coherence.check(coherence.Facts(communique, modele, donnees, document, zone))
    errors.extend(r for r in remarks if r.level == ERROR)
    return modele, donnees, tuple(r for r in remarks if r.level != ERROR)
