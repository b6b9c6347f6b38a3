"""Output folders that cannot be written: one French sentence with the fix, exit 1 or 2, no
traceback, and nothing half-written (#12).

A read-only disk and a full one are real tmpfs mounts where the machine allows mounting
(root); elsewhere those two tests are skipped."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from synthetic import generate
from test_interruptions import check_output_folder

from communiques.cli import main


def mounted(folder: Path, *options: str) -> Iterator[Path]:
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", ",".join(options), "tmpfs", str(folder)]
    if subprocess.run(mount, capture_output=True).returncode != 0:
        pytest.skip("monter un tmpfs demande d'être root (CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    yield from mounted(tmp_path / "lecture-seule", "ro", "size=64k")


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A disk with room for about two communiqués."""
    yield from mounted(tmp_path / "plein", "size=200k")


def build(office: Path, out: Path | str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "--bureau", str(office), "--out", str(out),
                                       "--jobs", "1"])  # fmt: skip
    assert isinstance(result.exception, SystemExit | None), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("/dev/null/x", "erreur : /dev/null/x ne peut pas être un dossier (un élément du chemin "
         "est un fichier) : choisissez un autre dossier (--out DOSSIER)"),
        ("/proc/x", "erreur : impossible de créer le dossier /proc/x ici : choisissez un autre "
         "dossier (--out DOSSIER)"),
        ("/proc", "erreur : impossible d'écrire dans /proc : choisissez un autre dossier "
         "(--out DOSSIER)"),
    ],
)  # fmt: skip
def test_an_impossible_output_folder_is_one_sentence(office: Path, out: str, message: str) -> None:
    assert build(office, out) == (2, message + "\n")


def test_a_read_only_output_folder_is_one_sentence(office: Path, read_only: Path) -> None:
    code, output = build(office, read_only / "build")
    assert (code, output) == (
        2,
        f"erreur : {read_only / 'build'} est sur un disque en lecture seule : choisissez un "
        "autre dossier (--out DOSSIER)\n",
    )


def test_a_full_disk_stops_the_build_with_whole_files_only(tmp_path: Path, full_disk: Path) -> None:
    root = tmp_path / "bureau"
    generate(root, 8, seed=3)
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(full_disk),
                                       "--jobs", "1", "--format", "pdf"])  # fmt: skip
    assert result.exit_code == 1
    assert result.output.endswith(
        f"erreur : disque plein : {full_disk} n'a plus de place ; libérez-en puis relancez\n"
    ), result.output
    assert not list(full_disk.glob(".*.part"))
    assert len(check_output_folder(full_disk)) < 8  # what the manifest lists is whole


def test_new_with_a_300_character_name_is_one_sentence(office: Path) -> None:
    result = CliRunner().invoke(main, ["new", "--bureau", str(office), "a" * 300])
    assert (result.exit_code, result.output) == (
        2,
        "erreur : nom trop long (300 caractères) : 120 au plus, raccourcissez-le\n",
    )
    assert sorted(p.name for p in (office / "communiques").iterdir()) == ["2021-04-19-expe-ct.yaml"]


def test_two_offices_writing_the_same_name_into_one_folder_is_an_error_across_runs(
    office: Path, tmp_path: Path
) -> None:
    """The second office's build does not overwrite the first one's PDF, and names both."""
    import shutil

    other = tmp_path / "autre-bureau"
    shutil.copytree(office, other)
    out = tmp_path / "sortie"
    first = office / "communiques" / "2021-04-19-expe-ct.yaml"
    second = other / "communiques" / "2021-04-19-expe-ct.yaml"
    second.write_text(second.read_text().replace("lieu: Paris", "lieu: Lyon"))
    assert build(office, out)[0] == 0
    pdf = (out / "2021-04-19-expe-ct.pdf").read_bytes()

    code, output = build(other, out)
    assert code == 1
    assert (
        f"{second}:1:1: erreur: même nom de sortie « 2021-04-19-expe-ct » que {first.resolve()}, "
        f"déjà construit dans {out} : renommez l'un des fichiers ou construisez-les dans des "
        "dossiers distincts (--out)"
    ) in output
    assert (out / "2021-04-19-expe-ct.pdf").read_bytes() == pdf
    assert build(office, out)[0] == 0  # the first office still builds
    first.rename(first.with_name("2021-04-19-renomme.yaml"))  # gone: its name is free
    assert build(other, out)[0] == 0
