"""The office is where the user says or stands, never elsewhere: found from the current folder
upward (marker communiques.toml), never in the tool's own code, `init` makes one, `new`
writes in it. Run through the real CLI, in folders laid out as a new user's are."""

from __future__ import annotations

import datetime as dt
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from communiques.errors import DataErrors, UsageError
from communiques.sources import PressOffice

NO_OFFICE = (
    "erreur : aucun bureau de presse ici ni au-dessus (fichier communiques.toml) : créez-en un "
    "avec `communiques init DOSSIER`, ou nommez-le avec --bureau DOSSIER\n"
)


def run(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "communiques", *args],
        cwd=cwd, capture_output=True, text=True, env=env, timeout=180, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def tree(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


@pytest.fixture
def day_one(tmp_path: Path) -> Path:
    """A clone of the tool (`git clone` names it communiques/) beside an empty folder."""
    clone = tmp_path / "communiques"
    (clone / "communiques").mkdir(parents=True)
    (clone / "communiques" / "__init__.py").write_text("", encoding="utf-8")
    (clone / "pyproject.toml").write_text('[project]\nname = "communiques"\n', encoding="utf-8")
    (clone / "organisations").mkdir()
    (clone / "examples" / "daect" / "communiques").mkdir(parents=True)
    (tmp_path / "mon-bureau").mkdir()
    (tmp_path / "organisations").mkdir()  # beside the clone: still not an office
    return tmp_path


def test_without_an_office_commands_name_init_and_write_nothing(day_one: Path) -> None:
    before = tree(day_one)
    for args in (["new", "premier-essai"], ["check"], ["build"], ["list"]):
        result = run(*args, cwd=day_one / "mon-bureau", home=day_one)
        assert (result.returncode, result.stderr) == (2, NO_OFFICE), args
    assert tree(day_one) == before


def test_the_tool_s_own_code_is_never_an_office(day_one: Path) -> None:
    clone = day_one / "communiques"
    (clone / "communiques.toml").write_text('lieu = "Paris"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="aucun bureau de presse ici"):
        PressOffice.find(clone)
    with pytest.raises(UsageError, match="aucun bureau de presse ici"):
        PressOffice.find(clone / "examples" / "daect")  # the search stops at the code
    with pytest.raises(UsageError, match="contient le code de communiques, pas un bureau"):
        PressOffice.named(clone)


def test_the_marker_is_found_upward_and_the_search_stops_at_a_git_root(tmp_path: Path) -> None:
    (tmp_path / "communiques.toml").write_text('lieu = "Lyon"\n', encoding="utf-8")
    inner = tmp_path / "depot" / "communiques" / "2026"
    inner.mkdir(parents=True)
    assert PressOffice.find(inner).root == tmp_path
    assert PressOffice.find(inner).settings.lieu == "Lyon"
    (tmp_path / "depot" / ".git").mkdir()
    with pytest.raises(UsageError, match="aucun bureau de presse ici"):
        PressOffice.find(inner)


def test_an_office_without_marker_still_works_with_a_notice(
    office: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    (office / "communiques.toml").unlink()
    assert PressOffice.find(office / "communiques").root == office
    notice = (
        f"note : {office} n'a pas de fichier communiques.toml : lancez `communiques init` dans "
        "ce dossier pour le marquer comme bureau de presse\n"
    )
    assert capfd.readouterr().err == notice


def test_unknown_settings_are_reported_at_their_line(tmp_path: Path) -> None:
    (tmp_path / "communiques.toml").write_text(
        'lieu = "Lyon"\n\nsortir = "pdf"\n', encoding="utf-8"
    )
    with pytest.raises(DataErrors) as raised:
        assert PressOffice.find(tmp_path).settings is None  # raises first
    assert [str(d) for d in raised.value.errors] == [
        f"{tmp_path / 'communiques.toml'}:3:1: erreur: sortir: réglage inconnu : les réglages "
        "sont lieu, langues, sortie, incorporer_polices, orthographe_anglaise, fuseau"
    ]


def test_bureau_names_the_office_from_anywhere(office: Path, day_one: Path) -> None:
    result = run("new", "--bureau", str(office), "essai", cwd=day_one / "mon-bureau", home=day_one)
    assert result.returncode == 0, result.stderr
    assert (office / "communiques" / "essai.yaml").is_file()
    assert tree(day_one / "mon-bureau") == set()


def test_new_takes_the_date_of_the_name_and_the_place_of_the_office(
    office: Path, tmp_path: Path
) -> None:
    (office / "communiques.toml").write_text('lieu = "Clermont-Ferrand"\n', encoding="utf-8")
    run("new", "2026-06-02-essai", "--modele", "annonce-comite", cwd=office, home=tmp_path)
    text = (office / "communiques" / "2026-06-02-essai.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "lieu: Clermont-Ferrand" in lines
    assert "date: 2026-06-02                # date du communiqué, AAAA-MM-JJ" in lines
    assert "  date: AAAA-MM-JJ              # date du comité, après celle du communiqué" in lines
    run("new", "sans-date", cwd=office / "communiques", home=tmp_path)
    text = (office / "communiques" / "sans-date.yaml").read_text(encoding="utf-8")
    assert f"date: {dt.date.today().isoformat()}                # AAAA-MM-JJ" in text.splitlines()
    result = run("new", "2026-02-30-essai", cwd=office, home=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "erreur : le nom commence par la date 2026-02-30, qui n'existe pas : corrigez-la "
        "(AAAA-MM-JJ) ou retirez-la\n",
    )


LOGO = Path(__file__).resolve().parent.parent / "examples" / "daect" / "assets" / "logos"


def test_init_new_build_gives_a_pdf_and_docx_and_writes_only_in_the_office(day_one: Path) -> None:
    from docx import Document
    from pypdf import PdfReader

    here = day_one / "mon-bureau"
    (here / "logo.png").write_bytes((LOGO / "daect.png").read_bytes())
    outside = tree(day_one) - {p for p in tree(day_one) if p.parts[0] == "mon-bureau"}
    nom = "Préfecture de la région Auvergne-Rhône-Alpes"
    options = ["--nom", nom, "--sigle", "PREF-ARA", "--ville", "Lyon", "--logo", "logo.png"]
    result = run("init", *options, cwd=here, home=day_one)
    assert result.returncode == 0, result.stderr
    assert (here / "assets" / "logos" / "pref-ara.png").read_bytes() == (
        LOGO / "daect.png"
    ).read_bytes()
    assert (here / "programmes").is_dir()
    assert len((here / "README.md").read_text(encoding="utf-8").splitlines()) == 5
    result = run("build", cwd=here, home=day_one)  # init's communiqué builds at once
    assert result.returncode == 0, result.stderr
    first = PdfReader(next((here / "build").glob("*-premier-communique.pdf")))
    words = " ".join(first.pages[0].extract_text().split())
    assert "Le bureau de presse de PREF-ARA publie ses communiqués" in words
    result = run("new", "2026-06-02-essai", cwd=here / "communiques", home=day_one)
    assert result.returncode == 0, result.stderr
    result = run("check", "--sans-mise-en-page", cwd=here, home=day_one)  # examples left
    assert result.returncode == 1
    assert "communiques/2026-06-02-essai.yaml:8:8: erreur: titre: « Titre du communiqué » est " in (
        result.stdout
    )
    essai = here / "communiques" / "2026-06-02-essai.yaml"
    text = essai.read_text(encoding="utf-8").replace("Titre du communiqué", "Essai réussi")
    for example in ("Le paragraphe d'introduction, en gras", "Le texte du communiqué, en Markdown"):
        text = text.replace(example, "Un texte")
    essai.write_text(text.replace("Une ligne vide sépare deux paragraphes.", "Fin."), "utf-8")
    result = run("build", cwd=here, home=day_one)
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(here / "build" / "2026-06-02-essai.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages).replace("\xa0", " ")
    assert nom in text and "Lyon, le 2 juin 2026" in text and "Essai réussi" in text
    docx = Document(str(here / "build" / "2026-06-02-essai.docx"))
    paragraphs = [p.text.replace("\xa0", " ") for p in docx.paragraphs]
    assert "Essai réussi" in paragraphs
    assert "Lyon, le 2 juin 2026" in paragraphs
    assert tree(day_one) - {p for p in tree(day_one) if p.parts[0] == "mon-bureau"} == outside


def test_init_refuses_to_overwrite_and_names_what_exists(tmp_path: Path) -> None:
    assert run("init", "bureau", cwd=tmp_path, home=tmp_path).returncode == 0
    readme = tmp_path / "bureau" / "README.md"
    readme.write_text("le mien\n", encoding="utf-8")
    result = run("init", "bureau", cwd=tmp_path, home=tmp_path)
    first = f"communiques/{dt.date.today().isoformat()}-premier-communique.yaml"
    assert (result.returncode, result.stderr) == (
        2,
        f"erreur : {tmp_path / 'bureau'} contient déjà communiques.toml, "
        f"organisations/mo.yaml, assets/mots.txt, README.md, {first} : rien n'a été écrit, "
        "choisissez un dossier vide\n",
    )
    assert readme.read_text(encoding="utf-8") == "le mien\n"


def test_init_checks_the_logo_by_its_content(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("pas une image", encoding="utf-8")
    result = run("init", "bureau", "--logo", "logo.png", cwd=tmp_path, home=tmp_path)
    assert (result.returncode, result.stderr) == (
        2,
        "erreur : --logo logo.png : ce n'est pas une image PNG, JPEG ou SVG\n",
    )
    assert not (tmp_path / "bureau").exists()
    svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    (tmp_path / "logo.png").write_text(svg, encoding="utf-8")  # named .png, holds SVG
    result = run(
        "init", "bureau", "--sigle", "MO", "--logo", "logo.png", cwd=tmp_path, home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bureau" / "assets" / "logos" / "mo.svg").read_text(encoding="utf-8") == svg
    assert "mo.svg : le PDF et le DOCX veulent un logo PNG ou JPEG" in result.stderr


def test_init_asks_on_a_terminal_with_defaults(tmp_path: Path) -> None:
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI on a terminal
        os.chdir(tmp_path)
        os.environ["HOME"] = str(tmp_path)
        os.execv(sys.executable, [sys.executable, "-m", "communiques", "init", "bureau"])
    answers = ["Préfecture de la région Bretagne", "", "Rennes", "", ""]
    output = b""
    for answer in answers:  # each question ends with ": " and waits for its line
        while not output.endswith(b": "):
            assert select.select([fd], [], [], 60)[0], f"pas de question : {output!r}"
            output += os.read(fd, 1024)
        os.write(fd, answer.encode() + b"\r")
        output = b""
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    organisation = (tmp_path / "bureau" / "organisations" / "prb.yaml").read_text(encoding="utf-8")
    assert 'nom: "Préfecture de la région Bretagne"' in organisation.splitlines()
    assert (
        (tmp_path / "bureau" / "communiques.toml")
        .read_text(encoding="utf-8")
        .count('lieu = "Rennes"')
    )


def test_init_in_an_office_made_before_the_marker_adds_only_the_marker(
    office: Path, tmp_path: Path
) -> None:
    (office / "communiques.toml").unlink()
    before = {p: p.read_bytes() for p in office.rglob("*") if p.is_file()}
    result = run("init", "--ville", "Marseille", cwd=office, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "n'a pas de fichier communiques.toml" not in result.stderr
    after = {p: p.read_bytes() for p in office.rglob("*") if p.is_file()}
    assert set(after) - set(before) == {office / "communiques.toml"}
    assert all(after[p] == before[p] for p in before)
    assert PressOffice.find(office).settings.lieu == "Marseille"


def test_a_broken_settings_file_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "communiques.toml").write_text('lieu = "Lyon"\nsortie = pdf\n', encoding="utf-8")
    with pytest.raises(DataErrors) as raised:
        assert PressOffice.find(tmp_path).settings is None  # raises first
    assert [str(d) for d in raised.value.errors] == [
        f"{tmp_path / 'communiques.toml'}:2:10: erreur: TOML invalide : une clé par ligne, "
        'le texte entre guillemets : `lieu = "Paris"`'
    ]


def test_the_tutelle_written_by_init_is_flagged_until_replaced(day_one: Path) -> None:
    """`init` writes « Ministère de tutelle » for the user to replace: build still works at once,
    and check and build warn at its line until it is replaced."""
    here = day_one / "bureau-tutelle"
    options = ["--nom", "Préfecture de l'Ain", "--sigle", "PREF-01", "--ville", "Bourg"]
    result = run("init", str(here), *options, cwd=day_one, home=day_one)
    assert result.returncode == 0, result.stderr
    warning = (
        "organisations/pref-01.yaml:5:6: avertissement: tutelles[0]: « Ministère de tutelle » est "
        "un texte d'exemple de communiques init → écrivez le vôtre à sa place"
    )
    checked = run("check", "--sans-mise-en-page", cwd=here, home=day_one)
    assert checked.returncode == 0 and warning in checked.stdout, checked.stdout
    built = run("build", "--format", "html", cwd=here, home=day_one)
    assert built.returncode == 0 and warning in built.stderr, built.stderr
    organisation = here / "organisations" / "pref-01.yaml"
    text = organisation.read_text(encoding="utf-8")
    organisation.write_text(text.replace("Ministère de tutelle", "Ministère de l'Intérieur"))
    checked = run("check", "--sans-mise-en-page", cwd=here, home=day_one)
    assert checked.returncode == 0 and "tutelle" not in checked.stdout, checked.stdout
