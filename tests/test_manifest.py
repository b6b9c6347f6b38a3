"""build/manifest.json: French keys written, version 0.1's English keys still read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SEED_COMMUNIQUE

from communiques.batch import Options, build
from communiques.manifest import MANIFEST, Entry, Manifest, Output

ENTRY = Entry(
    source="/bureau/communiques/a.yaml",
    key="k" * 64,
    inputs=("/bureau/communiques/a.yaml", "/bureau/organisations/daect.yaml"),
    outputs={"pdf": Output("a.pdf", "s" * 64, 1234, 1), "docx": Output("a.docx", "d" * 64, 99)},
    titre="Annonce",
    date="2021-04-19",
    emetteur="Délégation",
    langue="fr",
)
LEGACY = {
    "generateur": "communiques 0.1.0",
    "entries": {
        "a": {
            "source": ENTRY.source,
            "key": ENTRY.key,
            "inputs": list(ENTRY.inputs),
            "outputs": {
                "pdf": {"file": "a.pdf", "sha256": "s" * 64, "size": 1234, "pages": 1},
                "docx": {"file": "a.docx", "sha256": "d" * 64, "size": 99, "pages": None},
            },
            "titre": "Annonce",
            "date": "2021-04-19",
            "emetteur": "Délégation",
            "langue": "fr",
        }
    },
}


def test_written_with_french_keys_and_read_back(tmp_path: Path) -> None:
    Manifest({"a": ENTRY}).save(tmp_path)
    raw = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert set(raw) == {"generateur", "communiques"}
    entry = raw["communiques"]["a"]
    assert set(entry) == {
        "source", "cle", "entrees", "sorties", "titre", "date", "emetteur", "langue"
    }  # fmt: skip
    assert entry["sorties"]["pdf"] == {
        "fichier": "a.pdf", "sha256": "s" * 64, "taille": 1234, "pages": 1
    }  # fmt: skip
    assert Manifest.load(tmp_path).entries == {"a": ENTRY}


def test_a_manifest_of_version_0_1_is_read(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text(json.dumps(LEGACY), encoding="utf-8")
    assert Manifest.load(tmp_path).entries == {"a": ENTRY}


def test_an_unreadable_manifest_means_build_everything(tmp_path: Path) -> None:
    for text in ("{", "[]", '{"communiques": {"a": {"source": "x"}}}', '{"entries": 3}'):
        (tmp_path / MANIFEST).write_text(text, encoding="utf-8")
        assert Manifest.load(tmp_path).entries == {}, text


def test_an_archive_built_by_version_0_1_is_not_rebuilt_and_gets_french_keys(
    tmp_path: Path,
) -> None:
    """Upgrading costs no rebuild: the old manifest still vouches for its files."""
    office = tmp_path / "bureau"
    shutil.copytree(SEED_COMMUNIQUE.parent.parent, office)
    out = tmp_path / "build"
    sources = sorted((office / "communiques").glob("*.yaml"))
    assert build(sources, Options(out, formats=("html",), jobs=1)).built
    french = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    legacy = {
        "generateur": french["generateur"],
        "entries": {
            name: {
                "source": e["source"],
                "key": e["cle"],
                "inputs": e["entrees"],
                "outputs": {
                    fmt: {
                        "file": o["fichier"],
                        "sha256": o["sha256"],
                        "size": o["taille"],
                        "pages": o["pages"],
                    }
                    for fmt, o in e["sorties"].items()
                },
                **{k: e[k] for k in ("titre", "date", "emetteur", "langue")},
            }
            for name, e in french["communiques"].items()
        },
    }
    (out / MANIFEST).write_text(json.dumps(legacy), encoding="utf-8")

    report = build(sources, Options(out, formats=("html",), jobs=1))
    assert not report.built and len(report.skipped) == len(sources)
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8")) == french
