"""What makes a folder a press office, and its settings: the marker file `communiques.toml`.

Commands look for the office from where the user stands, upward, and stop at the first
marker, at a git root or at the home folder: a folder beside the tool's own clone (which
`git clone` names `communiques`) must never be taken for an office, nor the clone itself.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import DataErrors, Diagnostic

MARKER = "communiques.toml"
SETTINGS = ("lieu", "langues", "sortie", "incorporer_polices", "orthographe_anglaise", "fuseau")
DEFAULT_ZONE = "Europe/Paris"
ENGLISH_SPELLINGS = ("en-GB", "en-US")
INIT_EXAMPLES = ("Ministère de tutelle",)
"""What `init` writes in the organisation for the user to replace: `check` and `build` warn
while it is there (a warning, so that `init` then `build` works at once)."""
_noticed: set[Path] = set()


@dataclass(frozen=True)
class Settings:
    """The office's settings: default place of `new`, languages, output folder of `build`,
    whether the DOCX carries its fonts (Word's "embed fonts in the file": 70 KB more a
    DOCX, so that it looks the same on a machine without them), the English `check`
    spells its English texts in (British unless it says American), and the time zone an
    embargo is printed in, whatever offset it was written with (an IANA name)."""

    lieu: str | None = None
    langues: tuple[str, ...] = ("fr",)
    sortie: str = "build"
    incorporer_polices: bool = True
    orthographe_anglaise: str = "en-GB"
    fuseau: str = DEFAULT_ZONE


def read_settings(root: Path) -> Settings:
    """`communiques.toml` of the office at `root`; defaults for an office without one."""
    path = root / MARKER
    if not path.is_file():
        return Settings()
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (1, 1)
        message = 'TOML invalide : une clé par ligne, le texte entre guillemets : `lieu = "Paris"`'
        raise DataErrors([Diagnostic(path, line, column, "", message)]) from None
    unknown = f"réglage inconnu : les réglages sont {', '.join(SETTINGS)}"
    errors = [
        Diagnostic(path, _line_of(text, key), 1, key, unknown)
        for key in data
        if key not in SETTINGS
    ]
    lieu, langues, sortie = data.get("lieu"), data.get("langues", ["fr"]), data.get("sortie")
    if lieu is not None and not (isinstance(lieu, str) and lieu.strip()):
        errors.append(_wrong(path, text, "lieu", 'un nom de ville, `lieu = "Paris"`'))
    if not (isinstance(langues, list) and all(isinstance(x, str) for x in langues)):
        errors.append(_wrong(path, text, "langues", 'une liste, `langues = ["fr"]`'))
    if sortie is not None and not (isinstance(sortie, str) and sortie.strip()):
        errors.append(_wrong(path, text, "sortie", 'un dossier, `sortie = "build"`'))
    embed = data.get("incorporer_polices", True)
    if not isinstance(embed, bool):
        errors.append(_wrong(path, text, "incorporer_polices", "`incorporer_polices = false`"))
    english = data.get("orthographe_anglaise", "en-GB")
    if english not in ENGLISH_SPELLINGS:
        errors.append(_wrong(path, text, "orthographe_anglaise", '`"en-GB"` ou `"en-US"`'))
    zone = data.get("fuseau", DEFAULT_ZONE)
    if not is_zone(zone):
        expected = 'un fuseau horaire, `fuseau = "Europe/Paris"` (ou "America/Cayenne"…)'
        errors.append(_wrong(path, text, "fuseau", expected))
    if errors:
        raise DataErrors(errors)
    return Settings(lieu, tuple(langues), sortie or "build", embed, english, zone)


def is_zone(name: object) -> bool:
    """An IANA time zone name this machine knows (« Europe/Paris »), nothing else: no path."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(name, str) or not name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _wrong(path: Path, text: str, key: str, expected: str) -> Diagnostic:
    return Diagnostic(path, _line_of(text, key), 1, key, f"valeur invalide : attendu {expected}")


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return 1


def is_tool_code(folder: Path) -> bool:
    """The tool's own source (a clone of it): never an office, whatever it holds."""
    if (folder / "communiques" / "__init__.py").is_file():
        return True
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return False
    return isinstance(project, dict) and project.get("name") == "communiques"


def is_legacy_office(folder: Path) -> bool:
    """An office made before the marker: communiques/ (of YAML, not code) and organisations/."""
    return (
        (folder / "communiques").is_dir()
        and (folder / "organisations").is_dir()
        and not is_tool_code(folder)
        and not is_tool_code(folder / "communiques")  # a clone beside organisations/
    )


def is_office(folder: Path) -> bool:
    return (folder / MARKER).is_file() and not is_tool_code(folder)


def locate(start: Path) -> Path | None:
    """The office holding `start`, searched upward; None when there is none."""
    start = start.resolve()
    for candidate in _upward(start if start.is_dir() else start.parent):
        if is_office(candidate):
            return candidate
        if is_legacy_office(candidate):
            _notice(candidate)
            return candidate
    return None


def _upward(folder: Path) -> Iterator[Path]:
    """`folder` and its parents, up to a git root, the home folder, or the tool's own code."""
    home = Path.home().resolve()
    for candidate in (folder, *folder.parents):
        if is_tool_code(candidate):
            return
        yield candidate
        if (candidate / ".git").exists() or candidate == home:
            return


def _notice(root: Path) -> None:
    if root not in _noticed:
        _noticed.add(root)
        print(
            f"note : {root} n'a pas de fichier {MARKER} : lancez `communiques init` dans ce "
            "dossier pour le marquer comme bureau de presse",
            file=sys.stderr,
        )
