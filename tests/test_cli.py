"""The command line as a user runs it: a real process, real files, exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import EXAMPLE, ROOT, imported

BUILTIN_ASSETS = ROOT / "assets"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "communiques", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_build_in_a_press_office_folder_writes_pdf_and_docx(
    office: Path, seed_outputs: dict[str, bytes]
) -> None:
    result = run("build", cwd=office)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (office / "build").iterdir()) == [
        "2021-04-19-expe-ct.docx",
        "2021-04-19-expe-ct.pdf",
        "index.html",
        "manifest.json",
    ]
    assert re.search(
        r"1 construit\(s\), 0 inchangé\(s\), 0 en erreur, en \d+,\d s \(\d+,\d/s\)\n", result.stderr
    )
    # One communiqué: its PDF laid out by the helper process, the same bytes as in-process.
    built = office / "build" / "2021-04-19-expe-ct"
    assert built.with_suffix(".pdf").read_bytes() == seed_outputs["pdf"]
    assert built.with_suffix(".docx").read_bytes() == seed_outputs["docx"]


def test_build_html_only_into_another_folder(office: Path, tmp_path: Path) -> None:
    out = tmp_path / "sortie"
    result = run(
        "build", str(office / "communiques"), "--out", str(out), "--format", "html", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "2021-04-19-expe-ct.fragment.html",  # web edition (issue #18): page, CMS fragment
        "2021-04-19-expe-ct.html",
        "assets",  # and the stylesheet and logo they name
        "index.html",
        "manifest.json",
    ]


def test_data_errors_exit_1_with_path_line_column(office: Path) -> None:
    bad = office / "communiques" / "mauvais.yaml"
    bad.write_text(
        "lieu: Paris\ndate: 2021-04-19\ntitre: T\nemetteur: nulle-part\n", encoding="utf-8"
    )
    result = run("build", cwd=office)
    assert result.returncode == 1
    assert (
        "communiques/mauvais.yaml:4:11: erreur: emetteur: « nulle-part » introuvable"
        in result.stderr
    )
    assert not (office / "build" / "mauvais.pdf").exists()
    assert (office / "build" / "2021-04-19-expe-ct.pdf").exists()
    assert not [p for p in (office / "build").iterdir() if p.name.startswith(".")]


def test_check_writes_nothing(office: Path) -> None:
    result = run("check", cwd=office)
    assert result.returncode == 0, result.stderr
    assert "1 valide(s), 0 en erreur" in result.stderr
    assert not (office / "build").exists()


def test_usage_errors_exit_2(office: Path) -> None:
    assert run("build", "--format", "odt", cwd=office).returncode == 2
    assert run("build", "absent.yaml", cwd=office).returncode == 2
    assert run("commande-inconnue", cwd=office).returncode == 2


def test_the_shipped_schema_follows_the_model() -> None:
    """`communiques schema` prints a file written by `make schema`: it must not go stale."""
    from communiques.cli import SCHEMA_FILE
    from communiques.model import schema_text

    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "lancez make schema"


def test_schema_is_json_schema_with_french_keys() -> None:
    result = run("schema", cwd=ROOT)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["additionalProperties"] is False
    assert {"titre", "date", "emetteur", "comite", "embargo"} <= set(schema["properties"])
    assert set(schema["required"]) == {"lieu", "date", "emetteur", "titre"}
    laureat = schema["$defs"]["Laureat"]["properties"]["type"]  # declared by the programme
    assert (
        laureat["pattern"] == "^[a-z0-9][a-z0-9_-]*$"
        and "intercommunalite" in laureat["description"]
    )
    types = schema["$defs"]["Programme"]["properties"]["types_laureats"]["anyOf"][0]
    assert types["patternProperties"] == {"^[a-z0-9][a-z0-9_-]*$": {"$ref": "#/$defs/TypeLaureat"}}


def test_list_prints_the_archive_newest_first(office: Path) -> None:
    seed = office / "communiques" / "2021-04-19-expe-ct.yaml"
    older = seed.with_name("2020-01-06-voeux.yaml")
    older.write_text(
        "lieu: Paris\ndate: 2020-01-06\nemetteur: daect\ntitre: Vœux de la délégation\n",
        encoding="utf-8",
    )
    assert run("build", "--format", "pdf", cwd=office).returncode == 0
    result = run("list", cwd=office)
    assert result.returncode == 0, result.stderr
    assert [line.split("\t") for line in result.stdout.splitlines()] == [
        ["Date", "Titre", "Émetteur", "Pages", "Fichiers"],
        [
            "2021-04-19",
            "Annonce des lauréats au label EXPE-CT",
            "Délégation pour l'action extérieure des collectivités territoriales",
            "1",
            "2021-04-19-expe-ct.pdf",
        ],
        [
            "2020-01-06",
            "Vœux de la délégation",
            "Délégation pour l'action extérieure des collectivités territoriales",
            "1",
            "2020-01-06-voeux.pdf",
        ],
    ]


def test_list_on_a_terminal_is_a_table(office: Path) -> None:
    import pty

    assert run("build", "--format", "html", cwd=office).returncode == 0
    main_end, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    subprocess.run(
        [sys.executable, "-m", "communiques", "list"], cwd=office, stdout=terminal, env=env
    )
    os.close(terminal)
    shown = os.read(main_end, 65536).decode()
    os.close(main_end)
    assert "1 communiqué(s)" in shown and "│ 2021-04-19 │" in shown and "\t" not in shown


def test_an_unreachable_dask_scheduler_is_a_clear_error(office: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run(
        "build", "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}", cwd=office
    )
    assert result.returncode == 1
    assert f"erreur : planificateur Dask injoignable à tcp://127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["schema"],
        ["list"],
        ["check", "--sans-mise-en-page", "communiques/2021-04-19-expe-ct.yaml"],
    ],
)
def test_light_commands_do_not_load_the_renderers(office: Path, args: list[str]) -> None:
    """WeasyPrint, python-docx and qpdf are what makes a build start slowly: commands that do
    not write a document do not import them."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "communiques", *args],
        cwd=office, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert not {"weasyprint", "docx", "pikepdf"} & imported(result.stderr)


# One exit path: every command leaves through the group, with one form per kind of failure.


def test_a_data_error_stops_a_command_with_the_uniform_line(office: Path) -> None:
    bad = office / "communiques" / "mauvais.yaml"
    bad.write_text(
        "lieu: Paris\ndate: 2021-04-19\ntitre: T\nemetteur: nulle-part\n", encoding="utf-8"
    )
    result = run("email", "communiques/mauvais.yaml", cwd=office)
    assert result.returncode == 1
    line = (
        "communiques/mauvais.yaml:4:11: erreur: emetteur: « nulle-part » introuvable : "
        "organisations/nulle-part.yaml n'existe pas (fichiers : daect)"
    )
    assert result.stderr.splitlines() == [line]
    built = run("build", "communiques/mauvais.yaml", cwd=office)  # build prints it alike
    assert built.returncode == 1 and line in built.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_a_usage_error_of_a_command_exits_2_with_one_french_line(office: Path) -> None:
    result = run("new", "2021-04-19 Expé CT", cwd=office)
    assert result.returncode == 2
    target = office / "communiques" / "2021-04-19-expe-ct.yaml"
    assert result.stderr == f"erreur : {target} existe déjà : choisissez un autre nom\n"
    result = run("build", "--executeur", "dask", cwd=office)
    assert result.returncode == 2
    assert result.stderr == "erreur : --executeur dask demande --planificateur tcp://HÔTE:8786\n"


def test_a_bug_is_an_internal_error_exit_70_without_traceback(
    office: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from communiques.cli import main
    from communiques.commands import check

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boum")

    monkeypatch.chdir(office)
    monkeypatch.setattr(check, "check", broken)  # the one place a patch is right: a bug
    hint = "(signalez-le aux développeurs avec le fichier et ce message)"
    result = CliRunner().invoke(
        main, ["check", "--sans-mise-en-page"], env={"COMMUNIQUES_DEBUG": None}
    )
    assert result.exit_code == 70
    assert result.stderr == f"erreur interne : RuntimeError : boum {hint}\n"
    assert result.stdout == ""
    debug = CliRunner().invoke(
        main, ["check", "--sans-mise-en-page"], env={"COMMUNIQUES_DEBUG": "1"}
    )
    assert debug.exit_code == 70
    assert "Traceback" in debug.stderr and 'raise RuntimeError("boum")' in debug.stderr
    assert debug.stderr.endswith(f"erreur interne : RuntimeError : boum {hint}\n")


def test_a_bug_on_one_communique_names_it(office: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from communiques import check
    from communiques.cli import main

    def broken(source: Path, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.chdir(office)
    monkeypatch.setattr(check, "check_file", broken)
    result = CliRunner().invoke(
        main, ["check", "--sans-mise-en-page"], env={"COMMUNIQUES_DEBUG": None}
    )
    assert result.exit_code == 70
    assert result.stderr.startswith(
        "communiques/2021-04-19-expe-ct.yaml: erreur interne : ZeroDivisionError : division by zero"
    )
    assert "Traceback" not in result.output


def test_former_english_options_still_work_and_warn(office: Path) -> None:
    result = run(
        "email", "communiques/2021-04-19-expe-ct.yaml", "--to=a@exemple.fr", "--dry-run", cwd=office
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "--to est obsolète : utilisez --destinataire",
        "--dry-run est obsolète : utilisez --simulation",
    ]
    assert "→ a@exemple.fr" in result.stdout
    shown = run("email", "--help", cwd=office).stdout
    assert "--destinataire" in shown and "--simulation" in shown
    assert "--to " not in shown and "--dry-run" not in shown and "--skip-invalid" not in shown
    built = run("build", "--format", "html", "--prune", "-j", "1", cwd=office)
    assert built.returncode == 0, built.stderr
    assert "--prune est obsolète : utilisez --nettoyer" in built.stderr
    # After "--", everything is a path, even what looks like a former option.
    after = run("build", "--", "--prune", cwd=office)
    assert after.returncode == 2 and "introuvable : --prune" in after.stderr
    assert "obsolète" not in after.stderr


def test_prune_deletes_only_what_the_tool_wrote(office: Path) -> None:
    """Issue 12: files already in --out that no manifest lists are reported and kept;
    the outputs of a source that is gone are deleted, in a later run too."""
    out = office / "mesdocs"
    out.mkdir()
    foreign = {"rapport-annuel.pdf": b"%PDF rapport", "budget.docx": b"PK budget"}
    foreign["page-perso.html"] = b"<p>perso</p>"
    for name, data in foreign.items():
        (out / name).write_bytes(data)
    source = office / "communiques" / "2021-04-19-expe-ct.yaml"
    gone = source.with_name("2021-05-01-parti.yaml")
    shutil.copy(source, gone)
    first = run("build", "--out", "mesdocs", "--format", "pdf", "-j", "1", cwd=office)
    assert first.returncode == 0, first.stderr
    assert (out / "2021-05-01-parti.pdf").is_file()
    gone.unlink()
    pruned = run("build", "--out", "mesdocs", "--nettoyer", "-j", "1", cwd=office)
    assert pruned.returncode == 0, pruned.stderr
    assert not (out / "2021-05-01-parti.pdf").exists()
    said = pruned.stdout + pruned.stderr
    assert "mesdocs/2021-05-01-parti.pdf : supprimé" in said
    for name, data in foreign.items():
        assert (out / name).read_bytes() == data
        assert f"mesdocs/{name} : fichier que communiques n'a pas écrit, conservé" in said
    assert (out / "2021-04-19-expe-ct.pdf").is_file()


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        (None, "fichier introuvable : file://"),
        ("@import url(http://exemple.invalid/x.css);\n", "ressource externe refusée : http://"),
    ],
    ids=["font-missing", "import-remote"],
)
def test_a_refused_stylesheet_resource_is_a_data_error_and_the_batch_goes_on(
    office: Path, tmp_path: Path, rule: str | None, said: str
) -> None:
    """Issue 12: the office's stylesheet copied without its fonts (or with a remote @import),
    ten files, -j 2: each communiqué of that office is an error on `modele`, the other
    office's are built and in the manifest; no traceback."""
    css = (BUILTIN_ASSETS / "css" / "communique.css").read_text(encoding="utf-8")
    (office / "assets" / "css").mkdir(parents=True, exist_ok=True)
    (office / "assets" / "css" / "communique.css").write_text((rule or "") + css, "utf-8")
    if rule:  # the fonts are there: only the @import is refused
        shutil.copytree(BUILTIN_ASSETS / "fonts", office / "assets" / "fonts")
    healthy = tmp_path / "autre"
    shutil.copytree(EXAMPLE, healthy, ignore=shutil.ignore_patterns("build"))
    source = EXAMPLE / "communiques" / "2021-04-19-expe-ct.yaml"
    for folder in (office, healthy):
        for day in range(1, 6):
            shutil.copy(source, folder / "communiques" / f"2021-05-{day:02}-c{folder.name}.yaml")
        (folder / "communiques" / source.name).unlink()
    out = tmp_path / "sortie"
    built = run(
        "build", str(office / "communiques"), str(healthy / "communiques"),
        "--out", str(out), "--format", "pdf", "-j", "2", cwd=tmp_path,
    )  # fmt: skip
    assert built.returncode == 1, built.stderr
    assert "Traceback" not in built.stderr and "pickle" not in built.stderr
    errors = [line for line in built.stderr.splitlines() if ": erreur: modele: " in line]
    assert len(errors) == 5 and all(said in line for line in errors), built.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["communiques"]) == [f"2021-05-{d:02}-cautre" for d in range(1, 6)]


def test_a_run_leaves_nothing_in_the_temporary_folder(
    office: Path, request: pytest.FixtureRequest
) -> None:
    """Issue 12: WeasyPrint's `weasyprint-*` font copies and multiprocessing's `pymp-*`
    folders are removed at the end of build (with workers), check and email, even on error."""
    # Short: a forkserver's socket path inside it must stay under 108 characters.
    private = Path(tempfile.mkdtemp(prefix="t12-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(private))
    (private / "a-moi.txt").write_text("déjà là", encoding="utf-8")
    before = sorted(p.name for p in private.iterdir())
    source = "communiques/2021-04-19-expe-ct.yaml"
    shutil.copy(office / source, office / "communiques" / "2021-05-01-autre.yaml")
    (office / "communiques" / "mauvais.yaml").write_text("titre: [\n", encoding="utf-8")
    environment = {**os.environ, "TMPDIR": str(private), "NO_COLOR": "1"}
    for args, code in [
        (("build", "--out", "sortie", "-j", "2", "--force"), 1),
        (("check", source), 0),
        (("email", source, "--destinataire=a@exemple.fr", "--out", "courriels"), 0),
        (("check", "communiques/mauvais.yaml"), 1),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "communiques", *args],
            cwd=office, capture_output=True, text=True, env=environment, timeout=120,
        )  # fmt: skip
        assert done.returncode == code, (args, done.stderr)
        assert sorted(p.name for p in private.iterdir()) == before, args
