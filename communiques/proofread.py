"""The proofreader behind `communiques check`: spelling, typography, coherence and length.

A communiqué that builds can still go out with « Annnonce » in its title, a laureate named
twice or an embargo lifted before its own date. These checks read the parsed YAML (with its
marks, so each finding points at the word itself) and the resolved communiqué; they never
change anything. `proofread()` is pure; `check_file()` adds what needs files and layout: the
word lists, the templates' strings and the length of the body once laid out.

Levels: an *error* is a fact that is wrong (a date, a duplicate), a *warning* is what a
careful reader would question (an unknown word, a missing no-break space). Only errors fail
the command, unless --strict.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib.util
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .build import Theme, laid_out
from .errors import WARNING, DataErrors, Diagnostic, Level
from .files import write_atomic
from .model import LANGUES
from .resolve import Resolved, editions, load
from .sources import Document, Loc, PressOffice, dotted

if TYPE_CHECKING:
    from .render.pdf_process import PdfProcess

WORD_LIST = "mots.txt"
CACHE_FORMAT = "par-frequence"
"""In the name of the cached word list: a list made another way is never read as this one."""
TITLE_MAX = 100

TEXT_FIELDS = {
    "lieu",
    "titre",
    "sous_titre",
    "chapo",
    "corps",
    "libelle",
    "nom",
    "fonction",
    "service",
    "adresse",
    "sigle",
    "tutelles",
    "logo_alt",
    "intitule",
    "presentation",
    "objectifs",
    "appel",
}
URL_FIELDS = {"url", "site", "url_laureats", "url_procedure"}
MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
WEBMAILS = {
    "gmail.com",
    "googlemail.com",
    "yahoo.fr",
    "yahoo.com",
    "hotmail.fr",
    "hotmail.com",
    "outlook.fr",
    "outlook.com",
    "live.fr",
    "orange.fr",
    "wanadoo.fr",
    "free.fr",
    "sfr.fr",
    "laposte.net",
    "icloud.com",
    "gmx.fr",
    "protonmail.com",
    "proton.me",
}
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}


@dataclass(frozen=True)
class Text:
    """A text of a YAML file: where it is, in which language, and what it says."""

    document: Document
    loc: Loc
    language: str
    value: str

    @property
    def field(self) -> str:
        parts = (p for p in reversed(self.loc) if isinstance(p, str) and p not in LANGUES)
        return next(parts, "")

    def finding(
        self,
        level: Level,
        rule: str,
        message: str,
        suggestion: str = "",
        at: int | None = None,
        length: int = 1,
        shift: int = 0,
    ) -> Diagnostic:
        """A finding on this text, at `value[at:at + length]` when it can be found (and then
        `shift` characters further: a needle with context is found more surely)."""
        line, column = self.document.mark(self.loc)
        if at is not None:
            line, column = _position(self.document, self.loc, self.value, at, length)
            column += shift
        return Diagnostic(
            self.document.path,
            line,
            column,
            dotted(self.loc),
            message,
            level,
            suggestion=suggestion,
            rule=rule,
        )


# --- the whole proofreading -------------------------------------------------------------------


def proofread(
    resolved: Resolved,
    words: frozenset[str] = frozenset(),
    templates: Iterable[tuple[Path, int, str]] = (),
) -> list[Diagnostic]:
    """Everything this module checks that needs no layout. Pure: data in, findings out.

    `words` are the project's own words (lowercase); `templates` the French strings of the
    templates as (template, line, text).
    """
    documents = _documents(resolved)
    texts = [text for document in documents for text in _texts(document, resolved.languages[0])]
    speller = Speller(words)
    findings: list[Diagnostic] = []
    for text in texts:
        findings.extend(spelling(text, speller))
        findings.extend(typography(text))
        findings.extend(title_length(text))
    findings.extend(template_spelling(templates, speller))
    findings.extend(links(texts))
    findings.extend(resolved.remarks)
    findings.extend(email_domains(resolved))
    return sorted(set(findings))


def check_file(
    source: Path, *, layout: bool = True, pdf_process: PdfProcess | None = None
) -> list[Diagnostic]:
    """Proofread one communiqué file: its data errors if it cannot be built, otherwise what
    `proofread` finds, plus the length of each edition's body once laid out, by
    `pdf_process` if given, while this process proofreads."""
    try:
        office = PressOffice.find(source)
        resolved = load(source, office)
        theme = Theme.of(office)
        measures = _measure_bodies(resolved, theme, layout, pdf_process)
        findings = proofread(
            resolved,
            word_list(theme.asset_dirs),
            template_strings(theme.template_dirs, resolved.communique.modele),
        )
        for edition, pages in measures:
            label = f" ({edition.communique.langue})" if len(resolved.languages) > 1 else ""
            findings.extend(body_length(edition, laid_out(edition, pages), label))
    except DataErrors as exc:
        return [replace(error, rule=error.rule or "donnees") for error in exc]
    return sorted(set(findings))


def _measure_bodies(
    resolved: Resolved, theme: Theme, layout: bool, pdf_process: PdfProcess | None
) -> list[tuple[Resolved, Callable[[], float]]]:
    """Each edition with the height of its body in pages, to be waited for. The HTML is
    rendered even without layout: a template error is the first thing to report."""
    from .render.html import render_html
    from .render.pdf import body_pages

    measures: list[tuple[Resolved, Callable[[], float]]] = []
    for edition in editions(resolved):
        html = render_html(edition, theme.template_dirs)
        if not layout:
            continue
        run: Callable[..., Callable[[], float]] = pdf_process.call if pdf_process else partial
        measures.append((edition, run(body_pages, html, theme.asset_dirs, theme.template_dirs)))
    return measures


def _documents(resolved: Resolved) -> list[Document]:
    if resolved.sources is None:
        return []
    sources = resolved.sources
    return [d for d in (sources.communique, sources.emetteur, sources.programme) if d]


def _texts(document: Document, language: str) -> Iterator[Text]:
    """Every text of a file with its language: that of its translation key, otherwise the
    communiqué's first language."""

    def walk(value: Any, loc: Loc, lang: str) -> Iterator[Text]:
        if isinstance(value, dict):
            for key, child in value.items():
                yield from walk(child, (*loc, key), key if key in LANGUES else lang)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from walk(child, (*loc, index), lang)
        elif isinstance(value, str) and loc:
            text = Text(document, loc, lang, value)
            if text.field in TEXT_FIELDS or text.field in URL_FIELDS:
                yield text

    yield from walk(document.data, (), language)


def _position(document: Document, loc: Loc, value: str, at: int, length: int) -> tuple[int, int]:
    """Line and column of `value[at:at + length]`, found in the file itself: the YAML marks
    only say where a value starts, and a block scalar (|) starts on the line after its key."""
    line, column = document.mark(loc)
    try:
        lines = document.path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return line, column
    needle = value[at : at + max(length, 1)]
    lines_before = value.count("\n", 0, at)
    in_line = at - (value.rfind("\n", 0, at) + 1)
    for number in range(line - 1, min(len(lines), line + 500)):
        if number == line - 1:
            start = column - 1 + (in_line if lines_before == 0 else 0)
        elif number - (line - 1) < lines_before:
            continue
        else:
            start = 0
        found = lines[number].find(needle, max(start - 2, 0))
        if found >= 0:
            return number + 1, found + 1
    return line, column


# --- spelling ---------------------------------------------------------------------------------


@cache
def _ranked_words(language: str) -> tuple[str, ...]:
    """pyspellchecker's dictionary for `language`, most frequent word first.

    pyspellchecker reads its words and their frequencies in 0.27 s, more than the rest of
    `check`. The words alone, kept in that order in the user's cache folder (one a line, the
    file named after the dictionary it comes from), read in 0.03 s; their order is all a
    suggestion needs of the frequencies. Without a usable cache folder, the slow way works."""
    spec = importlib.util.find_spec("spellchecker")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).parent / "resources" / f"{language}.json.gz"
    stat = source.stat()
    cached = cache_dir() / f"mots-{language}-{stat.st_size}-{stat.st_mtime_ns}-{CACHE_FORMAT}.txt"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        return tuple(cached.read_text(encoding="utf-8").split("\n"))
    from spellchecker import SpellChecker

    frequencies = SpellChecker(language=language).word_frequency.dictionary
    words = tuple(sorted(frequencies, key=lambda word: (-frequencies[word], word)))
    with contextlib.suppress(OSError):
        write_atomic(cached, "\n".join(words).encode())
        for stale in cached.parent.glob(f"mots-{language}-*.txt"):  # an older dictionary's
            if stale != cached:
                stale.unlink()
    return words


@cache
def _words(language: str) -> frozenset[str]:
    return frozenset(_ranked_words(language))


@cache
def _rank(language: str) -> dict[str, int]:
    return {word: rank for rank, word in enumerate(_ranked_words(language))}


@cache
def _letters(language: str) -> str:
    return "".join(sorted(set("".join(_ranked_words(language)))))


@cache
def _place_names(language: str) -> frozenset[str]:
    """The words of the names CLDR gives the world's countries and regions in `language`
    (Babel): the dictionary lacks « Europe » or « Allemagne », which a capital at the start of
    a sentence does not excuse as it does inside one."""
    from babel import Locale

    names = Locale.parse(language).territories.values()
    return frozenset(word.lower() for name in names for word in re.findall(r"[^\W\d_]+", name))


def _one_edit(word: str, letters: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away: pyspellchecker's
    edit_distance_1, on the cached words rather than on its 0.27 s dictionary."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(left + right[1:] for left, right in splits if right),
        *(left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1),
        *(left + c + right[1:] for left, right in splits if right for c in letters),
        *(left + c + right for left, right in splits for c in letters),
    }


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/communiques, by default ~/.cache/communiques."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "communiques"


_WORD = re.compile(r"[^\W\d_]+(?:[-‐][^\W\d_]+)*")
_HIDDEN_IN_TEXT = re.compile(
    r"\]\([^)]*\)"  # the target of a Markdown link
    r"|<[^>]*>"  # an autolink or a tag
    r"|%\(\w+\)s"  # a template placeholder
    r"|&\w+;"  # an HTML entity
    r"|(?:https?://|mailto:|tel:|www\.)\S+"
    r"|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)


class Speller:
    """Spelling with an offline dictionary and the project's own words (names, acronyms)."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words

    def known(self, word: str, language: str) -> bool:
        lower = word.lower()
        if lower in self.words or len(lower) < 2:
            return True
        if lower in _words(language):
            return True
        return word[0].isupper() and lower in _place_names(language)

    def unknown(self, text: str, language: str) -> Iterator[tuple[int, str, str]]:
        """(offset, word, suggestion) for each word neither the dictionary nor the project
        knows. A compound (« savoir-faire ») is right when it or all its parts are known.

        A capitalised word inside a sentence is a proper noun (« Ministère de l'Europe »,
        « Ville de Lyon »), which no dictionary lists: it is left alone. Words in capitals
        (acronyms) are checked: they belong in the word list.
        """
        masked = _HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]), text)
        for match in _WORD.finditer(masked):
            word = match[0]
            if self.known(word, language):
                continue
            before = masked[: match.start()].rstrip(" \t\u00a0*_«\"'(“#>-")
            inside_sentence = bool(before) and before[-1] not in ".!?…:\n"
            if word[0].isupper() and not word.isupper() and inside_sentence:
                continue
            after = masked[match.end() : match.end() + 1]
            if after in ("'", "’") and word.lower() in ELISIONS:
                continue
            offset = match.start()
            for part in re.split(r"([-‐])", word):
                if part not in ("-", "‐") and not self.known(part, language):
                    yield offset, part, self.suggest(part, language)
                offset += len(part)

    def suggest(self, word: str, language: str) -> str:
        """The most frequent known word one edit away, then a country or region one edit
        away, otherwise the closest by difflib among the words of about the same length:
        pyspellchecker's own two-edit search takes seconds on a long word. A country or
        region written in lowercase gets its capital."""
        lower = word.lower()
        places = _place_names(language)
        if lower in places:
            return word[0].upper() + word[1:]
        edits = _one_edit(lower, _letters(language))
        if close := edits & _words(language):
            best = min(close, key=_rank(language).__getitem__)
        elif close := edits & places:
            return min(close).capitalize()
        else:
            bucket = [w for w in _by_initial(language, lower[:1]) if abs(len(w) - len(lower)) <= 2]
            best = next(iter(difflib.get_close_matches(lower, bucket, n=1, cutoff=0.8)), "")
        if not best or best == lower:
            return ""
        if word.isupper():
            return best.upper()
        return best[0].upper() + best[1:] if word[0].isupper() else best


@cache
def _by_initial(language: str, initial: str) -> tuple[str, ...]:
    return tuple(sorted(w for w in _words(language) if w.startswith(initial)))


def spelling(text: Text, speller: Speller) -> Iterator[Diagnostic]:
    """Unknown words of a text, with the dictionary's closest word as the suggestion."""
    if text.field in URL_FIELDS or text.language not in LANGUES:
        return
    loc = [part for part in text.loc if part not in LANGUES]
    if text.field == "nom" and len(loc) > 1 and isinstance(loc[-2], int):
        return  # the name of a person or a laureate: no dictionary has it
    if text.field == "lieu":
        return  # a place name (« Metz » is not a typo for « Mets »)
    for offset, word, suggestion in speller.unknown(text.value, text.language):
        yield text.finding(
            WARNING,
            "orthographe",
            f"mot inconnu « {word} »" + ("" if suggestion else f" (si c'est juste : {WORD_LIST})"),
            f"« {suggestion} »" if suggestion else "",
            at=offset,
            length=len(word),
        )


def template_spelling(
    strings: Iterable[tuple[Path, int, str]], speller: Speller
) -> Iterator[Diagnostic]:
    """The French strings of the templates, which every communiqué prints."""
    lines: dict[Path, list[str]] = {}
    for path, line, text in strings:
        for _, word, suggestion in speller.unknown(text, "fr"):
            if path not in lines:
                lines[path] = path.read_text(encoding="utf-8").splitlines()
            source = lines[path][line - 1] if 0 < line <= len(lines[path]) else ""
            column = max(source.find(word), 0) + 1
            yield Diagnostic(
                path,
                line,
                column,
                "modèle",
                f"mot inconnu « {word} » dans le modèle",
                WARNING,
                suggestion=f"« {suggestion} »" if suggestion else "",
                rule="orthographe",
            )


def word_list(asset_dirs: Iterable[Path]) -> frozenset[str]:
    """The project's words: assets/mots.txt of the press office and of the package, one word a
    line, # for comments. Lowercase, because the dictionary is."""
    words: set[str] = set()
    for folder in asset_dirs:
        path = folder / WORD_LIST
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                word = line.split("#", 1)[0].strip()
                if word:
                    words.add(word.lower())
    return frozenset(words)


def template_strings(template_dirs: tuple[Path, ...], modele: str) -> list[tuple[Path, int, str]]:
    """The translatable strings of the templates a modèle is made of, as Babel extracts them:
    the modèle and the shared parts (_*.html.j2), the press office's own first."""
    chosen: dict[str, Path] = {}
    for folder in template_dirs:
        for path in [folder / f"{modele}.html.j2", *sorted(folder.glob("_*.html.j2"))]:
            if path.is_file():
                chosen.setdefault(path.name, path)
    return [item for path in chosen.values() for item in _extract(path, path.stat().st_mtime_ns)]


@cache
def _extract(path: Path, mtime: int) -> tuple[tuple[Path, int, str], ...]:
    from babel.messages.extract import extract_from_file

    found = []
    options = {"extensions": "jinja2.ext.i18n", "silent": "false"}
    for line, message, _, _ in extract_from_file("jinja2", str(path), options=options):
        for text in message if isinstance(message, tuple) else (message,):
            if text:
                found.append((path, line, text))
    return tuple(found)


# --- typography -------------------------------------------------------------------------------

_DOUBLE_SPACE = re.compile(r"(?<=\S)[ \u00a0]{2,}(?=\S)")
_FIRST_OF_MONTH = re.compile(rf"\b1[ \u00a0\u202f]+({MONTHS})\b", re.IGNORECASE)
_SINGLE_QUOTES = re.compile(r"(?<![\w’'])'([^'\n]{1,80}?)'(?![\w])")
_ENGLISH_QUOTES = re.compile(r"“([^”\n]*)”")
_BEFORE_UNIT = re.compile(r"(\d+(?:[,.]\d+)?)( ?)(%|€)")
_THOUSANDS = re.compile(r"(?<![\d ])\d{1,3}(?: \d{3})+(?![\d])")


def typography(text: Text) -> Iterator[Diagnostic]:
    """What the French typography of the rendering cannot fix by itself.

    Rendering already puts no-break spaces before « : ; ! ? », curls apostrophes and turns a
    pair of "…" into « … »; it cannot know which space is doubled by mistake, which quote was
    left open, or that « 1 avril » should read « 1er avril ».
    """
    if text.field in URL_FIELDS:
        return
    value = _HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]) if "@" in m[0] else m[0], text.value)
    for match in _DOUBLE_SPACE.finditer(value):
        yield text.finding(
            WARNING,
            "typographie",
            "deux espaces de suite",
            "une seule espace",
            at=match.start() - 1,
            length=len(match[0]) + 2,
            shift=1,
        )
    if text.language != "fr":
        return
    for match in _FIRST_OF_MONTH.finditer(value):
        yield text.finding(
            WARNING,
            "typographie",
            f"« {match[0]} » : le premier du mois s'écrit 1er",
            f"« 1er {match[1]} »",
            at=match.start(),
            length=len(match[0]),
        )
    plain = _HIDDEN_IN_TEXT.sub(lambda m: " " * len(m[0]), value)
    if plain.count('"') % 2:
        yield text.finding(
            WARNING,
            "typographie",
            'guillemet droit (") sans son pendant',
            '« … » (ou une paire de "…")',
            at=plain.rindex('"'),
        )
    for match in _ENGLISH_QUOTES.finditer(plain):
        yield text.finding(
            WARNING,
            "typographie",
            "guillemets anglais en français",
            f"« {match[1]} »",
            at=match.start(),
        )
    for match in _SINGLE_QUOTES.finditer(plain):
        yield text.finding(
            WARNING,
            "typographie",
            "apostrophes droites utilisées comme guillemets",
            f"« {match[1]} »",
            at=match.start(),
            length=len(match[0]),
        )
    for match in _BEFORE_UNIT.finditer(plain):
        yield text.finding(
            WARNING,
            "typographie",
            f"espace insécable manquante avant « {match[3]} »",
            f"« {match[1]}\u00a0{match[3]} » (espace insécable)",
            at=match.start(),
            length=len(match[0]),
        )
    for match in _THOUSANDS.finditer(plain):
        yield text.finding(
            WARNING,
            "typographie",
            f"« {match[0]} » : espaces ordinaires dans un nombre, coupable en fin de ligne",
            f"« {match[0].replace(' ', chr(0x202F))} » (espaces fines insécables)",
            at=match.start(),
            length=len(match[0]),
        )


# --- coherence --------------------------------------------------------------------------------


def links(texts: Iterable[Text]) -> Iterator[Diagnostic]:
    """Links in http://: readers' browsers warn about them, and most sites answer in https."""
    for text in texts:
        for match in re.finditer(r"\bhttp://[^\s)<>\"]+", text.value):
            url = match[0]
            yield text.finding(
                WARNING,
                "coherence",
                f"lien non sécurisé « {url} »",
                f"« https://{url.removeprefix('http://')} »",
                at=match.start(),
                length=len(url),
            )


def email_domains(resolved: Resolved) -> Iterator[Diagnostic]:
    """A contact's e-mail outside the émetteur's domain, when that looks like a mistake: a
    personal webmail, or a domain one or two letters away from the émetteur's."""
    site = resolved.emetteur.site
    if not site:
        return
    domain = urlsplit(site).netloc.lower().removeprefix("www.")
    for document in _documents(resolved):
        for loc, email in _emails(document.data, ()):
            local, _, host = email.rpartition("@")
            host = host.lower()
            if host == domain or host.endswith("." + domain) or domain.endswith("." + host):
                continue
            line, column = document.mark(loc)
            if host in WEBMAILS:
                yield Diagnostic(
                    document.path,
                    line,
                    column,
                    dotted(loc),
                    f"adresse personnelle ({host}) pour un contact de presse de {domain}",
                    WARNING,
                    suggestion=f"une adresse @{domain}",
                    rule="coherence",
                )
            elif difflib.SequenceMatcher(None, host, domain).ratio() >= 0.8:
                yield Diagnostic(
                    document.path,
                    line,
                    column,
                    dotted(loc),
                    f"domaine « {host} » presque identique à celui de l'émetteur ({domain}) : "
                    "faute de frappe ?",
                    WARNING,
                    suggestion=f"« {local}@{domain} »",
                    rule="coherence",
                )


def _emails(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "email" and isinstance(child, str) and "@" in child:
                yield (*loc, key), child.strip()
            else:
                yield from _emails(child, (*loc, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _emails(child, (*loc, index))


# --- length -----------------------------------------------------------------------------------


def title_length(text: Text) -> Iterator[Diagnostic]:
    """A title over 100 characters does not fit a headline, nor an e-mail subject."""
    if text.field == "titre" and len(text.value) > TITLE_MAX:
        yield text.finding(
            WARNING,
            "longueur",
            f"titre de {len(text.value)} caractères (plus de {TITLE_MAX})",
            "un titre court, le détail dans sous_titre",
        )


def body_length(resolved: Resolved, pages: float, label: str = "") -> Iterator[Diagnostic]:
    """The chapô and body, once laid out as in the PDF (`pages` of height), should fit on
    one page."""
    if pages <= 1 or resolved.sources is None:
        return
    document = resolved.sources.communique
    data = document.data if isinstance(document.data, dict) else {}
    field = next((f for f in ("corps", "chapo", "titre") if f in data), "titre")
    line, column = document.mark((field,), key=True)
    yield Diagnostic(
        document.path,
        line,
        column,
        field,
        f"le texte{label} fait {pages:.1f} pages une fois mis en page : plus d'une page",
        WARNING,
        suggestion="raccourcissez-le : un communiqué se lit sur une page",
        rule="longueur",
    )
