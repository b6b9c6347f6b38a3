"""Whole archives: incremental, reproducible, isolated failures, manifest, index, Dask."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE
from synthetic import generate

from communiques.batch import Options, build
from communiques.manifest import Manifest, file_hash


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """A small synthetic press office plus the example communiqué."""
    root = tmp_path / "archive"
    generate(root, 6, seed=7)
    shutil.copy(EXAMPLE / "communiques" / "2021-04-19-expe-ct.yaml", root / "communiques")
    return root


def sources(root: Path) -> list[Path]:
    return sorted((root / "communiques").glob("*.yaml"))


def built_names(report_paths: dict[Path, list[Path]]) -> set[str]:
    return {source.name for source in report_paths}


def test_incremental_rebuild_redoes_exactly_what_changed(archive: Path) -> None:
    out = archive / "build"
    first = build(sources(archive), Options(out, jobs=2))
    assert not first.errors and len(first.built) == 7

    again = build(sources(archive), Options(out, jobs=2))
    assert again.built == {} and len(again.skipped) == 7

    edited = sources(archive)[2]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("lieu: ", "lieu: Saint-"), encoding="utf-8"
    )
    assert built_names(build(sources(archive), Options(out, jobs=2)).built) == {edited.name}

    organisation = archive / "organisations" / "amf.yaml"
    organisation.write_text(
        organisation.read_text(encoding="utf-8").replace("01 44 18 14 14", "01 44 18 14 15")
    )
    referencing = {
        p.name for p in sources(archive) if "emetteur: amf" in p.read_text(encoding="utf-8")
    }
    assert referencing and len(referencing) < 7
    assert built_names(build(sources(archive), Options(out, jobs=2)).built) == referencing
    pdf = next(out / f"{Path(name).stem}.pdf" for name in sorted(referencing))
    from conftest import pdf_text

    assert "01 44 18 14 15" in pdf_text(pdf.read_bytes()).replace("\u00a0", " ")

    assert len(build(sources(archive), Options(out, jobs=1, force=True)).built) == 7


def test_a_changed_template_or_format_rebuilds(archive: Path) -> None:
    out = archive / "build"
    build(sources(archive), Options(out, jobs=1))
    (archive / "templates").mkdir()
    base = Path(__file__).resolve().parent.parent / "templates" / "_base.html.j2"
    (archive / "templates" / "_base.html.j2").write_text(
        base.read_text(encoding="utf-8").replace("COMMUNIQUÉ DE PRESSE", "COMMUNIQUÉ"),
        encoding="utf-8",
    )
    assert len(build(sources(archive), Options(out, jobs=1)).built) == 7
    assert len(build(sources(archive), Options(out, jobs=1, formats=("pdf",))).built) == 7


def test_a_damaged_output_is_rebuilt(archive: Path) -> None:
    out = archive / "build"
    build(sources(archive), Options(out, jobs=1))
    damaged = out / "2021-04-19-expe-ct.pdf"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    report = build(sources(archive), Options(out, jobs=1))
    assert built_names(report.built) == {"2021-04-19-expe-ct.yaml"}


def test_same_inputs_give_the_same_bytes_in_another_folder_and_later(tmp_path: Path) -> None:
    first, second = tmp_path / "un" / "bureau", tmp_path / "deux" / "ailleurs"
    for root in (first, second):
        generate(root, 3, seed=11)
    build(sources(first), Options(first / "build", jobs=1))
    time.sleep(1.1)  # PDF and DOCX dates must not come from the clock
    build(sources(second), Options(second / "build", jobs=2))
    outputs = sorted(p.name for p in (first / "build").glob("*.*") if p.suffix in (".pdf", ".docx"))
    assert len(outputs) == 6
    for name in outputs:
        assert (first / "build" / name).read_bytes() == (second / "build" / name).read_bytes(), name


def test_one_bad_file_never_stops_the_batch(archive: Path) -> None:
    paths = sources(archive)
    broken = paths[3]
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("date: ", "date: le ", 1), encoding="utf-8"
    )
    report = build(paths, Options(archive / "build", jobs=2))
    assert list(report.errors) == [broken]
    [error] = report.errors[broken]
    assert (error.path, error.line, error.field) == (broken, 3, "date")
    assert len(report.built) == 6
    assert not (archive / "build" / f"{broken.stem}.pdf").exists()


def test_two_sources_with_the_same_output_name_is_an_error(archive: Path) -> None:
    paths = sources(archive)
    twin = archive / "communiques" / "autre" / paths[0].name.upper()
    twin.parent.mkdir()
    shutil.copy(paths[0], twin)
    report = build([*paths, twin], Options(archive / "build", jobs=1))
    assert list(report.errors) == [twin]
    assert "même nom de sortie" in report.errors[twin][0].message


def test_manifest_index_and_stale_files(archive: Path) -> None:
    out = archive / "build"
    build(sources(archive), Options(out, jobs=2))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["communiques"]["2021-04-19-expe-ct"]
    assert entry["titre"] == "Annonce des lauréats au label EXPE-CT"
    assert entry["date"] == "2021-04-19"
    assert entry["source"] == str((archive / "communiques" / "2021-04-19-expe-ct.yaml").resolve())
    pdf = entry["sorties"]["pdf"]
    assert pdf["pages"] == 1
    assert pdf["taille"] == (out / pdf["fichier"]).stat().st_size
    assert pdf["sha256"] == file_hash(out / pdf["fichier"])
    assert any(str(archive / "organisations" / "daect.yaml") in p for p in entry["entrees"])

    index = (out / "index.html").read_text(encoding="utf-8")
    years = sorted({e["date"][:4] for e in manifest["communiques"].values()}, reverse=True)
    assert len(years) >= 3
    positions = [index.index(f"<h2>{year}</h2>") for year in years]
    assert positions == sorted(positions), "years newest first"
    assert (
        "Annonce des lauréats au label EXPE-CT" in index
        and 'href="2021-04-19-expe-ct.pdf"' in index
    )

    removed = sources(archive)[0]
    removed.unlink()
    report = build(sources(archive), Options(out, jobs=1))
    assert [p.name for p in report.stale] == [f"{removed.stem}.docx", f"{removed.stem}.pdf"]
    assert (out / f"{removed.stem}.pdf").exists()
    report = build(sources(archive), Options(out, jobs=1, prune=True))
    assert not (out / f"{removed.stem}.pdf").exists()
    assert removed.stem not in Manifest.load(out).entries


def test_dask_executor_on_a_local_cluster_gives_the_same_bytes(archive: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = build(sources(archive), Options(archive / "local", jobs=1))
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = build(
            sources(archive),
            Options(archive / "dask", executor="dask", scheduler=cluster.scheduler_address),
        )
    assert not remote.errors and len(remote.built) == len(local.built) == 7
    for path in sorted((archive / "local").glob("*.pdf")):
        assert (archive / "dask" / path.name).read_bytes() == path.read_bytes()


def test_a_worker_reads_an_organisation_once_and_again_when_it_changes(office: Path) -> None:
    """Organisation files are parsed once per process for all the communiqués citing them;
    an edit is read, even one that keeps the size."""
    from communiques.resolve import load

    source = office / "communiques" / "2021-04-19-expe-ct.yaml"
    organisation = office / "organisations" / "daect.yaml"
    assert load(source).emetteur.sigle == "DAECT"
    assert load(source).emetteur is not load(source).emetteur  # models are made anew
    organisation.write_text(organisation.read_text().replace("sigle: DAECT", "sigle: DAECT2"))
    assert load(source).emetteur.sigle == "DAECT2"
    time.sleep(0.05)  # past the file system's clock tick
    organisation.write_text(organisation.read_text().replace("sigle: DAECT2", "sigle: DAEKT"))
    assert load(source).emetteur.sigle == "DAEKT"  # same size: the modification time tells


def test_a_worker_freezes_what_it_keeps_after_its_first_communique(office: Path) -> None:
    """In a fresh process, as in a pool worker: the first communiqué leaves the worker's
    lasting objects frozen out of the garbage collector's scans, once; the bytes are those
    render_task gives."""
    code = f"""
import gc
from pathlib import Path
from communiques.batch import Task, _in_worker, render_task
from communiques.build import Theme
from communiques.sources import PressOffice

source = Path({str(office / "communiques" / "2021-04-19-expe-ct.yaml")!r})
task = Task("essai", source, Theme.of(PressOffice.find(source)), ("pdf", "docx"), ())
freezes = []
freeze = gc.freeze
gc.freeze = lambda: (freezes.append(1), freeze())
assert gc.get_freeze_count() == 0
first = _in_worker(task)
assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()
second = _in_worker(task)
assert len(freezes) == 1  # once, not after every communiqué
assert first.outputs == second.outputs == render_task(task).outputs
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


BUG_IN_WORKERS = '''
"""Imported by the forkserver before it forks the workers (set_forkserver_preload): in every
worker, rendering the communiqué titled "Panne" fails as a bug would."""
import communiques.render.html as html

_render_html = html.render_html


def render_html(resolved, template_dirs):
    if resolved.communique.titre == "Panne":
        raise RuntimeError("panne simulée")
    return _render_html(resolved, template_dirs)


html.render_html = render_html
'''
BUILD_WITH_BUG = """
import multiprocessing, sys
multiprocessing.set_forkserver_preload(["panne_simulee"])
from communiques.cli import run
sys.argv = ["communiques", "build", *sys.argv[1:]]
run()
"""


def test_a_bug_in_a_worker_is_an_internal_error_on_its_communique_only(
    office: Path, tmp_path: Path
) -> None:
    """Three communiqués, two workers, one raises an unexpected exception in the worker: it
    is reported as an internal error naming the communiqué (not a data error at 1:1), the
    other two are built and kept in the manifest, and the build exits 1."""
    seed = office / "communiques" / "2021-04-19-expe-ct.yaml"
    text = seed.read_text(encoding="utf-8")
    for name, title in (("b-panne", "Panne"), ("c-autre", "Autre annonce")):
        (office / "communiques" / f"{name}.yaml").write_text(
            text.replace("titre: Annonce des lauréats au label EXPE-CT", f"titre: {title}"),
            encoding="utf-8",
        )
    (tmp_path / "panne_simulee.py").write_text(BUG_IN_WORKERS, encoding="utf-8")
    out = tmp_path / "sortie"
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", BUILD_WITH_BUG, str(office), "--out", str(out), "--jobs", "2",
         "--format", "html"],
        capture_output=True, text=True, env=env, cwd=office, timeout=300,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": erreur" in line]
    assert errors == [
        "communiques/b-panne.yaml: erreur: erreur interne : RuntimeError: panne simulée "
        "(signalez-le aux développeurs avec le fichier et ce message)"
    ], result.stderr
    assert sorted(p.name for p in out.glob("*.html") if p.name != "index.html") == [
        "2021-04-19-expe-ct.fragment.html",
        "2021-04-19-expe-ct.html",
        "c-autre.fragment.html",
        "c-autre.html",
    ]
    assert sorted(Manifest.load(out).entries) == ["2021-04-19-expe-ct", "c-autre"]
