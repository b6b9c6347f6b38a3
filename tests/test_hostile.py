"""Hostile and broken input: nothing leaks, nothing is lost, every error is clear.

tests/hostile/ holds one file per attack or accident met in real files; its `# attendu :`
lines give the exact errors (`ligne:colonne: champ: message`). The other tests here build
what cannot live in a small file (a 300 Ko file, 2 000 laureates) or needs a template.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import io
import json
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import docx_text, normalise, pdf_text, render_file

from communiques.batch import Options, build
from communiques.batch.executors import render_task
from communiques.batch.planning import Task
from communiques.build import Theme, output_name, render
from communiques.check import check_file
from communiques.cli import main
from communiques.errors import ERROR, DataErrors
from communiques.render.markdown import block
from communiques.resolve import load
from communiques.sources import PressOffice

CORPUS = Path(__file__).resolve().parent / "hostile"
MINIMAL = "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"
PIXEL = base64.b64decode(  # a 1×1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def expected(path: Path) -> list[str]:
    """The `# attendu :` lines of a corpus file (read as Windows-1252 where not UTF-8)."""
    found = []
    for raw in path.read_bytes().splitlines():
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            line = raw.decode("cp1252")
        if line.startswith("# attendu : "):
            found.append(line.removeprefix("# attendu : "))
    return found


def errors_of(path: Path, formats: tuple[str, ...] = ("html",)) -> list[str]:
    """Every error of `path` through load and rendering, without the path itself."""
    with pytest.raises(DataErrors) as raised:
        render_file(path, formats)
    return [str(error).removeprefix(f"{error.path}:") for error in raised.value]


def refused_on_reading(path: Path) -> list[str]:
    """The errors of `path` raised by `load` itself: refused before any layout begins, so at
    once whatever the layout of such a text would have cost."""
    with pytest.raises(DataErrors) as raised:
        load(path)
    return [str(error).removeprefix(f"{error.path}:") for error in raised.value]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.yaml")))
def test_hostile_corpus(office: Path, name: str) -> None:
    (office / "assets" / "logos" / "pas-une-image.png").write_text("<svg onload=alert(1)>")
    target = office / "communiques" / name
    shutil.copy(CORPUS / name, target)
    assert expected(target), "a corpus file says what it expects"
    assert errors_of(target) == expected(target)
    assert not Path("/tmp/communiques-pirate").exists()


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.yaml")))
def test_check_refuses_what_build_refuses(office: Path, name: str) -> None:
    """One set of rules: `check` reports each corpus file's errors as `build` does (U+2028
    in a title and an integer embargo were built, a merge key was a KeyError in build and a
    trace in check)."""
    (office / "assets" / "logos" / "pas-une-image.png").write_text("<svg onload=alert(1)>")
    target = office / "communiques" / name
    shutil.copy(CORPUS / name, target)
    found = check_file(target, layout=False)
    errors = [str(e).removeprefix(f"{e.path}:") for e in found if e.level == ERROR]
    assert errors == expected(target)


def write(office: Path, text: str, name: str = "essai.yaml") -> Path:
    path = office / "communiques" / name
    path.write_text(text, encoding="utf-8")
    return path


# YAML ---------------------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(office: Path) -> None:
    path = office / "communiques" / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (MINIMAL + "titre: Avec BOM\n").encode())
    assert load(path).communique.titre == "Avec BOM"


def test_a_file_too_large_is_refused_before_it_is_read(office: Path) -> None:
    path = write(office, MINIMAL + "titre: T\ncorps: |\n" + "  ligne de texte\n" * 20_000)
    assert errors_of(path) == [
        "1:1: erreur: fichier trop volumineux (332 Ko) : 256 Ko au plus (un communiqué en fait quelques-uns)"
    ]


def test_too_many_values_fail_fast(office: Path) -> None:
    path = write(office, MINIMAL + "titre: T\ncorps: [" + "a, " * 30_000 + "a]\n")
    assert refused_on_reading(path) == [  # the parser stopped at the 20 001st value
        "5:59976: erreur: YAML invalide : plus de 20 000 valeurs dans le fichier"
    ]


# Limits -------------------------------------------------------------------------------------


def laureates(count: int) -> str:
    return "comite:\n  date: 2021-03-24\n  laureats:\n" + "".join(
        f"    - {{nom: Commune {i}, type: commune}}\n" for i in range(count)
    )


def test_two_thousand_laureates_is_a_clear_error(office: Path) -> None:
    path = write(
        office,
        MINIMAL + "modele: annonce-laureats\nprogramme: expe-ct\ntitre: T\n" + laureates(2000),
    )
    assert refused_on_reading(path) == [
        "10:5: erreur: comite.laureats: 2 000 lauréats : 500 au plus dans un communiqué ; publiez la "
        "liste en ligne (url_laureats du programme)"
    ]


def test_a_200_ko_body_is_a_clear_error(office: Path) -> None:
    path = write(office, MINIMAL + "titre: T\ncorps: |\n" + ("  " + "mot " * 25 + "\n") * 2048)
    assert errors_of(path) == [
        "5:8: erreur: corps: texte trop long (206 848 caractères) : 20 000 au plus"
    ]


def test_at_the_limits_a_communique_builds_within_the_layout_budget(office: Path) -> None:
    """500 laureates printed as a table (no url_laureats) and a 20 000-character body: built
    as `build` builds, under its layout budget (render/budget.py), which it does not exceed."""
    (office / "programmes" / "sans-liste.yaml").write_text("nom: P\nintitule: programme p\n")
    body = "".join(f"  Paragraphe {i} " + "texte " * 30 + "\n\n" for i in range(105))[:20_000]
    path = write(
        office,
        MINIMAL + "modele: annonce-laureats\nprogramme: sans-liste\ntitre: T\n"
        "corps: |\n" + body.rstrip() + "\n" + laureates(500),
    )
    theme = Theme.of(PressOffice.find(path))
    result = render_task(Task(path.stem, path, theme, ("pdf", "docx"), ()))
    assert result.errors == [] and result.outputs is not None
    outputs = result.outputs
    assert "Commune 499" in pdf_text(outputs["pdf"]) and "Commune 499" in docx_text(outputs["docx"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("`a`" * 6_600, "mot trop long (caractères sans espace) (19 800) : 1 000 au plus"),
        ("**a** a" * 2_800, "trop de mises en forme dans ce texte (2 800) : 500 au plus"),
        ("*a* " * 3_000, "trop de mises en forme dans ce texte (3 000) : 500 au plus"),
        ("a\n" * 5_000, "trop de lignes et de paragraphes dans ce texte (5 000) : 1 000 au plus"),
        ("> " * 12 + "a", "trop de niveaux imbriqués dans ce texte (12) : 8 au plus"),
        (
            "Le " + "**W**W" * 30,
            "mot trop long pour une ligne, fait de plusieurs mises en forme collées (60) : 40 "
            "au plus",
        ),
    ],
    ids=["backquotes", "gras", "italique", "lignes", "citations", "mot-compose"],
)
def test_a_text_that_would_take_minutes_to_lay_out_is_refused_at_once(
    office: Path, body: str, message: str
) -> None:
    """The issue's reproducers (`a` × 6,600 took over 400 s to lay out, `**a**a` × 3,300
    150 s, `*a` × 9,000 80 s), and texts as long to lay out with spaces in them."""
    path = write(office, MINIMAL + "titre: T\ncorps: " + json.dumps(body) + "\n")
    assert refused_on_reading(path) == [f"5:8: erreur: corps: {message}"]


def test_a_300_character_title_renders(office: Path) -> None:
    """Word's title property holds 255 characters: the DOCX cuts it there, the text stays."""
    title = "Un titre " + "très " * 58 + "long"
    path = write(office, MINIMAL + f"titre: {title}\n")
    outputs = render_file(path, ("pdf", "docx"))
    assert title in normalise(docx_text(outputs["docx"]))
    import docx

    properties = docx.Document(io.BytesIO(outputs["docx"])).core_properties
    assert len(properties.title) == 255 and properties.title.endswith("…")


def words_outside_the_text_area(pdf: bytes, margin_mm: float = 20) -> list[str]:
    """Words pdftotext places beyond the left or right page margin."""
    import html
    import re
    import subprocess

    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    margin = margin_mm * 72 / 25.4 - 1  # in points, less a point for rounding
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)".*?</page>', boxes, re.S):
        width = float(page[1])
        for x_min, x_max, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>',
            page[0],
        ):
            if float(x_min) < margin or float(x_max) > width - margin:
                outside.append(html.unescape(word))
    return outside


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) absent")
def test_a_long_word_wraps_inside_the_page(office: Path) -> None:
    """In the header's flex box, the title, the laureates table and a link: a word pasted
    without spaces breaks where it would overflow, and the table keeps its columns."""
    word = "Anticonstitutionnellement" * 8
    organisation = office / "organisations" / "daect.yaml"
    organisation.write_text(
        organisation.read_text().replace("Ministère de l'Europe", f"Ministère {word} de l'Europe")
    )
    (office / "programmes" / "sans-liste.yaml").write_text("nom: P\nintitule: programme p\n")
    laureates = "".join(f"    - {{nom: Commune {i}, type: intercommunalite}}\n" for i in range(3))
    path = write(
        office,
        MINIMAL + f"modele: annonce-laureats\nprogramme: sans-liste\ntitre: Titre {word}\n"
        f"corps: '[https://exemple.fr/{word}](https://exemple.fr/{word})'\n"
        "comite:\n  date: 2021-03-24\n  laureats:\n"
        f"    - {{nom: Ville {word}, type: commune}}\n" + laureates,
    )
    pdf = render_file(path, ("pdf",))["pdf"]
    assert words_outside_the_text_area(pdf) == []
    assert word in normalise(pdf_text(pdf)).replace(" ", "")
    assert "Intercommunalité" in pdf_text(pdf)  # the category column is not squeezed


# Links and text -----------------------------------------------------------------------------


def test_rendering_never_emits_another_link_scheme() -> None:
    """Validation reports them; the renderer drops them anyway (ftp: passes markdown-it)."""
    html = block("[a](ftp://x.fr) [b](javascript:x) [c](https://x.fr) [d](mailto:a@x.fr)")
    assert 'href="ftp:' not in html and 'href="javascript:' not in html
    assert 'href="https://x.fr"' in html and 'href="mailto:a@x.fr"' in html


def test_markdown_html_is_printed_as_text_everywhere(office: Path) -> None:
    """In the PDF, the DOCX, the HTML and the e-mail: template syntax and raw HTML in
    Markdown are text."""
    from email import message_from_bytes, policy

    from communiques.mail.message import Composer, as_bytes
    from communiques.mail.message import Options as MailOptions

    raw = "{{ 7 * 7 }} {% if 1 %}<script>alert(1)</script> <img src=x onerror=alert(2)>{% endif %}"
    path = write(office, MINIMAL + f"titre: T\ncorps: '{raw}'\n")
    resolved = load(path)
    outputs = render(resolved, Theme.of(PressOffice.find(path)), ("pdf", "docx", "html"))
    html = outputs["html"].decode()
    assert "<script>" not in html and "<img src" not in html and "&lt;script&gt;" in html
    for text in (pdf_text(outputs["pdf"]), docx_text(outputs["docx"])):
        assert normalise(raw) in normalise(text)
    now = dt.datetime(2021, 4, 19, 9, tzinfo=dt.UTC)
    theme = Theme.of(PressOffice.find(path))
    message = message_from_bytes(
        as_bytes(Composer(resolved, theme, outputs["pdf"], MailOptions())(None, now)),
        policy=policy.default,
    )
    plain = message.get_body(("plain",)).get_content()
    html_part = message.get_body(("html",)).get_content()
    assert normalise(raw) in normalise(plain)
    assert "<script>" not in html_part and "&lt;script&gt;" in html_part


# Resources ----------------------------------------------------------------------------------


def with_template(office: Path, body: str) -> Path:
    (office / "templates").mkdir(exist_ok=True)
    (office / "templates" / "maison.html.j2").write_text(
        '{% extends "_base.html.j2" %}\n{% block corps %}' + body + "{% endblock %}\n",
        encoding="utf-8",
    )
    return write(office, "modele: maison\ntitre: T\n" + MINIMAL)


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1: /pixel.png, and /ailleurs, a redirect to another host."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if self.path == "/pixel.png":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(PIXEL)
            else:
                self.send_response(302)
                self.send_header("Location", "http://exemple.invalid/pixel.png")
                self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_network_is_refused_by_default(
    office: Path, server: tuple[str, list[str]], fmt: str
) -> None:
    base, requests = server
    path = with_template(office, f'<img src="{base}/pixel.png" alt="">')
    assert errors_of(path, (fmt,)) == [
        f"1:9: erreur: modele: ressource externe refusée : {base}/pixel.png (le rendu n'accède pas au "
        "réseau ; --hote-autorise 127.0.0.1 pour l'autoriser)"
    ]
    assert requests == []


def test_check_reports_a_refused_resource_as_build_does(
    office: Path, server: tuple[str, list[str]]
) -> None:
    """Measuring the laid-out body asks for the same resources as the PDF, under the same rule."""
    base, requests = server
    path = with_template(office, f'<img src="{base}/pixel.png" alt="">')
    message = (
        f"ressource externe refusée : {base}/pixel.png (le rendu n'accède pas au réseau ; "
        "--hote-autorise 127.0.0.1 pour l'autoriser)"
    )
    (finding,) = check_file(path)
    assert (finding.line, finding.column, finding.level, finding.field) == (1, 9, "error", "modele")
    assert finding.message == message
    # In the command, bodies are measured by a helper process. A bilingual file whose first
    # edition fails leaves the second one's measure unread: the next file must not get it.
    write(
        office,
        "langue: [fr, en]\nmodele: maison\ntitre: {fr: T, en: T}\n" + MINIMAL,
        "bilingue.yaml",
    )
    result = subprocess.run(
        [sys.executable, "-m", "communiques", "check", "communiques/bilingue.yaml",
         str(path), "communiques/2021-04-19-expe-ct.yaml"],
        cwd=office, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"communiques/bilingue.yaml:2:9: erreur: modele: {message}",
        f"communiques/essai.yaml:1:9: erreur: modele: {message}",
    ]
    assert "1 valide(s), 2 en erreur" in result.stderr
    assert requests == []


def test_an_allowed_host_is_fetched_without_following_redirects(
    office: Path, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, requests = server
    path = with_template(office, f'<img src="{base}/pixel.png" alt="">')
    out = tmp_path / "sortie"
    result = CliRunner().invoke(
        main, ["build", str(path), "--out", str(out), "-j", "1", "--hote-autorise", "127.0.0.1"]
    )
    assert result.exit_code == 0, result.output
    assert requests and set(requests) == {"/pixel.png"}
    media = zipfile.ZipFile(out / "essai.docx").namelist()
    assert any(name.startswith("word/media/") for name in media)

    path = with_template(office, f'<img src="{base}/ailleurs" alt="">')
    with pytest.raises(DataErrors) as raised:
        render_file(path, ("pdf",), ("127.0.0.1",))
    assert [e.message for e in raised.value] == [
        f"ressource inaccessible : {base}/ailleurs (HTTP 302)"
    ]


@pytest.mark.parametrize(
    ("src", "message"),
    [
        (
            "file:///etc/hostname",
            "fichier hors des dossiers assets/ et templates/ refusé : file:///etc/hostname",
        ),
        (
            "asset:../../../../etc/hostname",
            "fichier hors des dossiers assets/ et templates/ refusé : asset:../../../../etc/hostname",
        ),
        (
            "asset:logos/lien.png",
            "fichier hors des dossiers assets/ et templates/ refusé : asset:logos/lien.png",
        ),
        (
            "data:image/png;base64," + "A" * 300_000,
            "ressource data: trop volumineuse (292 Ko) : 256 Ko au plus ; mettez le fichier dans assets/",
        ),
    ],
    ids=["file", "asset-parent", "symlink", "data-too-large"],
)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_resources_outside_the_rule_are_errors_on_the_modele(
    office: Path, tmp_path: Path, src: str, message: str, fmt: str
) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(PIXEL)
    (office / "assets" / "logos" / "lien.png").symlink_to(outside)
    path = with_template(office, f'<img src="{src}" alt="">')
    assert errors_of(path, (fmt,)) == [f"1:9: erreur: modele: {message}"]


def test_a_small_data_url_is_an_image_in_both_documents(office: Path) -> None:
    src = "data:image/png;base64," + base64.b64encode(PIXEL).decode()
    path = with_template(office, f'<img src="{src}" alt="point">')
    outputs = render_file(path, ("pdf", "docx"))
    assert b"/Subtype /Image" in outputs["pdf"]
    assert (
        len([n for n in zipfile.ZipFile(io.BytesIO(outputs["docx"])).namelist() if "media" in n])
        == 2
    )


# Names and paths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("...yaml", "communique"),
        ("/etc/CON.yaml", "communique-con"),
        ("lpt1.yaml", "communique-lpt1"),
        ("index.yaml", "communique-index"),
        ("a\u2215b.yaml", "a-b"),  # division slash
        ("\uff0e\uff0e\uff0fetc.yaml", "etc"),  # fullwidth « ../ », NFKC makes it a real one
        ("É" * 300 + ".yaml", "e" * 120),
    ],
)
def test_output_names_stay_inside_the_output_folder(tmp_path: Path, source: str, name: str) -> None:
    assert output_name(Path(source)) == name
    assert (tmp_path / f"{name}.fr.docx").resolve().parent == tmp_path.resolve()


def test_a_source_named_index_does_not_overwrite_the_archive_index(office: Path) -> None:
    path = write(office, MINIMAL + "titre: Le communiqué nommé index\n", "index.yaml")
    out = office / "build"
    report = build([path], Options(out, formats=("html",), jobs=1))
    assert not report.errors
    assert "Le communiqué nommé index" in (out / "communique-index.html").read_text()
    assert 'class="fichiers"' in (out / "index.html").read_text()  # still the archive


def test_sources_whose_names_normalise_alike_are_an_error(office: Path) -> None:
    first = write(office, MINIMAL + "titre: Un\n", "Été.yaml")
    second = write(office, MINIMAL + "titre: Deux\n", "ete.yaml")
    out = office / "build"
    report = build([first, second], Options(out, formats=("html",), jobs=1))
    assert [str(e) for e in report.errors[second]] == [
        f"{second}:1:1: erreur: même nom de sortie « ete » que {first} : renommez l'un des fichiers"
    ]
    assert "Un" in (out / "ete.html").read_text()


# Symlinks out of the office (issue 12) ------------------------------------------------------

CANARY = "CANARI-HORS-BUREAU"
BUILTIN = Path(__file__).resolve().parent.parent


def link_out(office: Path, tmp_path: Path, relative: str, content: bytes) -> Path:
    """`relative` in the office made a symlink to a file outside it holding `content`."""
    outside = tmp_path / "ailleurs" / Path(relative).name
    outside.parent.mkdir(exist_ok=True)
    outside.write_bytes(content)
    link = office / relative
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    return link


@pytest.mark.parametrize(
    ("relative", "source", "fmt"),
    [
        ("templates/_base.html.j2", "templates/_base.html.j2", "html"),
        ("templates/annonce-laureats.html.j2", "templates/annonce-laureats.html.j2", "html"),
        ("assets/css/communique.css", "assets/css/communique.css", "pdf"),
        ("templates/reference.docx", "templates/reference.docx", "docx"),
    ],
    ids=["base", "modele", "stylesheet", "reference"],
)
def test_a_symlink_out_of_the_office_is_refused_never_followed(
    office: Path, tmp_path: Path, relative: str, source: str, fmt: str
) -> None:
    original = (BUILTIN / source).read_bytes()
    if relative.endswith((".j2", ".css")):
        original = original.replace(b"</footer>", CANARY.encode() + b"</footer>", 1)
        original += f"\n/* {CANARY} */".encode() if relative.endswith(".css") else b""
    link = link_out(office, tmp_path, relative, original)
    with pytest.raises(DataErrors) as raised:
        render_file(office / "communiques" / "2021-04-19-expe-ct.yaml", (fmt,))
    [error] = list(raised.value)
    assert error.field == "modele"
    assert f"refusé : {link} est un lien vers {link.resolve()}" in error.message
