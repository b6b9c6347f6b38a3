"""Fuzzing the data model: whatever a communiqué file holds, the build either publishes all
of its text or reports a data error; it never fails with a trace.

A bounded, reproducible run is part of the test suite; `make fuzz` runs a long random one
(HYPOTHESIS_PROFILE=fuzz). The PDF text is read by pdftotext: pypdf garbles the text of a
font that holds a glyph the font lacks (a CJK character, an emoji), pdftotext does not.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE, docx_text
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from communiques.build import Theme, render
from communiques.errors import DataErrors
from communiques.resolve import load
from communiques.sources import PressOffice


def _release_fonts() -> None:
    """Frees WeasyPrint's font configurations while the interpreter can still run their
    clean-up: with Hypothesis loaded, those left to the interpreter's exit print errors."""
    import gc

    from communiques.render import pdf

    pdf._theme.cache_clear()
    gc.collect()


atexit.register(_release_fonts)

settings.register_profile(
    "ci",
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZING = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
EXAMPLE_SECONDS = 10
"""What one example may take in `make fuzz` (PDF and DOCX): the limits promise a few seconds
a communiqué, and the machine is shared. Not asserted in the suite's 20 examples."""
PROFILE = settings(
    settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci")),
    **({"max_examples": int(os.environ["FUZZ_EXAMPLES"])} if "FUZZ_EXAMPLES" in os.environ else {}),
)

# Pieces a real file may hold, or that broke text pipelines before.
SPECIAL = [
    "שלום",  # right to left
    "مرحبا بالعالم",  # right to left, joined letters
    "e\u0301te\u0301",  # combining accents
    "a\u0308\u0308\u0308",  # stacked combining marks
    "🎉",
    "👩\u200d👩\u200d👧",  # emoji sequence with joiners
    "中文",  # no font has these glyphs here
    "\u200b",  # zero-width space
    "\u00ad",  # soft hyphen
    "\u2066x\u2069",  # bidirectional isolate
    "\ufeff",  # a byte order mark inside the text
    "{{ 7 * 7 }}",
    "{% if true %}",
    "<b>gras</b>",
    "<script>alert(1)</script>",
    '"guillemets"',
    "l'apostrophe",
    "a : b ; c ! d ?",
    "https://exemple.fr/page",
    "x" * 300,  # a very long word
]
# Characters no document should hold: each makes the file a data error, wherever it is.
POISON = ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u202e", "\ue000", "\uf0b7", "\ufffe"]
LETTERS = st.characters(categories=["Lu", "Ll", "Lt", "Lo", "Nd"], codec="utf-8")
ANY = st.characters(
    codec="utf-8",
    exclude_categories=["Cc", "Cs", "Co", "Cn"],
    exclude_characters="\u202d\u202e",
)
WORD = st.text(LETTERS, min_size=1, max_size=12)


def _text(markdown: bool = False) -> st.SearchStrategy[str]:
    """Words, separators, and now and then a special piece or any character at all. In
    Markdown, no `[`, `&`, backquote or tilde (link definitions, entities and code fences
    show other text than what is written) and no digits (`2021.` starts a numbered list)."""
    letters = ["Lu", "Ll", "Lo"] if markdown else ["Lu", "Ll", "Lt", "Lo", "Nd"]
    word = st.text(st.characters(categories=letters, codec="utf-8"), min_size=1, max_size=12)
    separator = st.sampled_from(
        [" ", " ", ", ", "\n", "\n\n", "* ", "- ", "> ", "# ", "**", "_"]
        if markdown
        else [" ", " ", ", ", " - "]
    )
    piece = st.one_of(word, word, separator, separator, st.sampled_from(SPECIAL), ANY)
    text = st.lists(piece, min_size=1, max_size=12).map("".join)
    if markdown:
        text = text.map(lambda t: "".join(c for c in t if c not in "[&`~" and not c.isdigit()))
    return text.filter(lambda t: t.strip())


def _constructs() -> st.SearchStrategy[str]:
    """Every Markdown construct, around words whose letters must all be published: code
    spans, emphasis runs, links and images (destinations are not shown: `visible` drops
    them), nested lists and quotes, headings, code blocks, and a GFM table (text in
    CommonMark)."""
    word = st.text(st.characters(categories=["Lu", "Ll"], codec="utf-8"), min_size=1, max_size=8)
    url = st.sampled_from(["https://exemple.fr/x", "mailto:presse@exemple.fr", "tel:+33143176264"])
    return st.one_of(
        word.map(lambda w: f"`{w}`"),
        word.map(lambda w: f"``{w} ` {w}``"),
        st.tuples(st.sampled_from(["*", "**", "***", "_", "__"]), word).map(
            lambda m: f"{m[0]}{m[1]}{m[0]}"
        ),
        st.tuples(word, url).map(lambda p: f"[{p[0]}]({p[1]})"),
        st.tuples(word, url).map(lambda p: f"![{p[0]}]({p[1]})"),
        st.tuples(word, word).map(lambda p: f"[*{p[0]}* `{p[1]}`](https://exemple.fr)"),
        st.lists(st.tuples(st.integers(0, 9), word), min_size=1, max_size=6).map(
            lambda items: "\n" + "".join("  " * d + f"- {w}\n" for d, w in items) + "\n"
        ),
        st.tuples(st.integers(1, 10), word).map(lambda p: "\n" + "> " * p[0] + p[1] + "\n\n"),
        st.tuples(st.integers(1, 6), word).map(lambda p: f"\n{'#' * p[0]} {p[1]}\n"),
        word.map(lambda w: f"\n```\n{w}\n```\n"),
        word.map(lambda w: f"\n\n    {w}\n\n"),
        st.tuples(word, word).map(lambda p: f"\n| {p[0]} | x |\n|---|:-:|\n| {p[1]} | y |\n"),
    )


# The costliest texts measured (the reproducers, and the like), just within and just
# past the limits of model/fields.py: each is published whole, or refused as a data error.
WORST = [
    ("`a`", 333), ("`a`", 334), ("**a**a", 20), ("**a**a", 21), ("**a**a", 166), ("*a", 500),
    ("**W**W ", 20), ("`a`*a* ", 8), ("`a`*a* ", 9),
    ("**a** ", 500), ("**a** ", 501), ("`a` ", 500), ("[a](https://x.fr) ", 500),
    ("a\n", 1_000), ("a\n", 1_001), ("- a\n", 1_000), ("a\n\n", 1_000), ("> ", 8), ("> ", 9),
    ("a", 1_000), ("a", 1_001), ("a ", 9_999),
]  # fmt: skip


def _worst() -> st.SearchStrategy[str]:
    return st.sampled_from(WORST).map(lambda w: w[0] * w[1] + ("a" if w[0] == "> " else ""))


def _markdown() -> st.SearchStrategy[str]:
    """Text with Markdown constructs in it, or one of the worst cases."""
    mixed = st.lists(st.one_of(_text(markdown=True), _constructs()), min_size=1, max_size=8)
    return st.one_of(mixed.map("".join).filter(lambda t: t.strip()), _worst())


def _nested() -> st.SearchStrategy[Any]:
    """Anything YAML can hold where a text is expected: lists, mappings (some of them look
    like translations), numbers, booleans, nothing."""
    leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), WORD)
    keys = st.sampled_from(["fr", "en", "de", "nom", "x"])
    return st.recursive(
        leaf,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=8,
    )


@st.composite
def communiques(draw: st.DrawFn) -> dict[str, Any]:
    text = _text()
    data: dict[str, Any] = {
        "lieu": draw(text),
        "date": "2021-04-19",
        "titre": draw(text),
        "emetteur": {
            "nom": draw(text),
            "tutelles": draw(st.lists(text, max_size=2)),
            "contacts": [{"nom": draw(text), "email": "presse@exemple.fr"}],
        },
    }
    if draw(st.booleans()):
        data["sous_titre"] = draw(text)
    for field in ("chapo", "corps"):
        if draw(st.booleans()):
            data[field] = draw(_markdown())
    if draw(st.booleans()):
        data["liens"] = [{"libelle": draw(text), "url": "https://exemple.fr/x"}]
    if draw(st.integers(0, 4)) == 0:  # now and then, a structure where a text should be
        field = draw(st.sampled_from(["titre", "lieu", "sous_titre", "corps", "emetteur"]))
        data[field] = draw(_nested())
    if draw(st.integers(0, 4)) == 0:  # now and then, a character no document may hold
        field = draw(st.sampled_from(["titre", "lieu"]))
        if isinstance(data[field], str):
            data[field] += draw(st.sampled_from(POISON))
    return data


def comparable(text: str) -> str:
    """The letters and digits of a text, as both documents must keep them: case, spacing,
    punctuation, hyphenation and typographic quotes are the layout's to change."""
    folded = unicodedata.normalize("NFKC", text).upper().casefold()  # as text-transform
    return "".join(c for c in unicodedata.normalize("NFKC", folded) if c.isalnum())


def visible(markdown: str) -> str:
    """A Markdown text without its link destinations, which the documents do not show."""
    return re.sub(r"\]\([^)]*\)", "]", markdown)


def published(data: dict[str, Any]) -> list[str]:
    """The texts of `data` that both documents print."""
    emetteur = data["emetteur"] if isinstance(data["emetteur"], dict) else {}
    texts = [data.get(k) for k in ("lieu", "titre", "sous_titre")]
    texts += [visible(t) for t in (data.get("chapo"), data.get("corps")) if isinstance(t, str)]
    texts += [emetteur.get("nom"), *emetteur.get("tutelles", [])]
    texts += [c.get("nom") for c in emetteur.get("contacts", [])]
    texts += [link["libelle"] for link in data.get("liens", [])]
    return [t for t in texts if isinstance(t, str)]


def pdftotext(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", handle.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout


@pytest.fixture(scope="module")
def fuzz_office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "bureau"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    return root


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
@PROFILE
@given(data=communiques())
def test_every_input_is_published_whole_or_is_a_data_error(
    fuzz_office: Path, data: dict[str, Any]
) -> None:
    office = PressOffice.find(fuzz_office)
    path = fuzz_office / "communiques" / "fuzz.yaml"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    started = time.perf_counter()
    try:
        outputs = render(load(path, office), Theme.of(office), ("pdf", "docx"))
    except DataErrors as exc:
        event("erreur de données")
        assert exc.errors
        for error in exc.errors:
            assert error.path == path and error.line >= 1 and error.column >= 1
            assert error.message and "Traceback" not in error.message
        return
    elapsed = time.perf_counter() - started
    event(f"publié en {min(int(elapsed), 5)}{'+' if elapsed >= 5 else ''} s")
    if FUZZING:
        assert elapsed < EXAMPLE_SECONDS, (elapsed, data)
    texts = [comparable(t) for t in published(data)]
    for name, output in outputs.items():
        if name.endswith("docx"):
            document = comparable(docx_text(output))
            for text in texts:  # the DOCX keeps the text in order
                assert text in document, (name, text)
        else:
            # The PDF holds the text as it is shown: bidirectional text (and the glyphs no
            # font has) in another order. Every letter and digit must be there.
            missing = Counter(comparable("".join(published(data)))) - Counter(
                comparable(pdftotext(output))
            )
            assert not missing, (name, missing)
