"""sources: YAML read with its marks, the limits on what a file may cost, the refusals; and
the ruamel internals its adapter relies on."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEED_COMMUNIQUE

from communiques.adapters import ruamel as adapter
from communiques.errors import DataErrors
from communiques.yamlfile import MAX_DEPTH, MAX_FILE_BYTES, dotted, load_yaml


def read(tmp_path: Path, text: str | bytes) -> list[str]:
    """The errors of a file holding `text`, without its path."""
    path = tmp_path / "essai.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(DataErrors) as raised:
        load_yaml(path)
    return [str(error).removeprefix(f"{path}:") for error in raised.value]


def test_marks_of_values_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("titre: Annonce\ncomite:\n  laureats:\n    - {nom: Lyon, type: commune}\n")
    document = load_yaml(path)
    assert document.data == {
        "titre": "Annonce",
        "comite": {"laureats": [{"nom": "Lyon", "type": "commune"}]},
    }
    assert document.mark(("titre",)) == (1, 8)
    assert document.mark(("comite", "laureats", 0, "type"), key=True) == (4, 19)
    assert document.mark(("comite", "laureats", 0, "type")) == (4, 25)
    assert document.mark(("comite", "laureats", 0, "absent")) == (4, 7)  # nearest enclosing
    assert dotted(("comite", "laureats", 0, "type")) == "comite.laureats[0].type"


def test_dates_stay_text_and_numbers_become_plain(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("date: 2021-04-19\nnombre: 3\nvrai: true\n")
    data = load_yaml(path).data
    assert data == {"date": "2021-04-19", "nombre": 3, "vrai": True}
    assert type(data["nombre"]) is int


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "2:4: erreur: YAML invalide : alias « *x » refusé : les références "
         "YAML (& et *) ne sont pas acceptées, recopiez la valeur"),
        ("a: !!python/object:os.system x\n", "1:4: erreur: YAML invalide : étiquette "
         "« !!python/object:os.system » refusée"),
        ("a: " + "9" * 5000 + "\n", "1:4: erreur: YAML invalide : nombre trop long"),
        ("a: 1\na: 2\n", "2:1: erreur: YAML invalide : clé « a » en double"),
        ("a:\n\tb: 1\n", "2:1: erreur: YAML invalide : tabulation : indentez avec des espaces"),
        ('a: "\\u202e"\n', "1:4: erreur: a: caractère interdit U+202E (forçage du sens "
         "d'écriture, qui inverse le texte affiché) : retirez-le"),
        (b"a: caf\xe9\n", "1:1: erreur: le fichier n'est pas en UTF-8 (octet 0xe9 à la ligne 1) : "
         "enregistrez-le en UTF-8"),
    ],
)  # fmt: skip
def test_refusals(tmp_path: Path, text: str | bytes, message: str) -> None:
    assert read(tmp_path, text) == [message]


def test_depth_and_size_limits(tmp_path: Path) -> None:
    [deep] = read(tmp_path, "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert deep.endswith(f"YAML invalide : plus de {MAX_DEPTH} niveaux d'imbrication")
    [large] = read(tmp_path, "a: " + "x" * MAX_FILE_BYTES + "\n")
    assert (
        large
        == "1:1: erreur: fichier trop volumineux (256 Ko) : 256 Ko au plus (un communiqué en fait quelques-uns)"
    )


def test_the_ruamel_internals_the_adapter_uses_are_there() -> None:
    missing = adapter.missing_internals()
    assert not missing, (
        f"ruamel.yaml a déplacé ce dont communiques/adapters/ruamel.py dépend : {missing}"
    )


def test_a_moved_internal_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from ruamel.yaml.composer import Composer

    monkeypatch.delattr(Composer, "compose_node")
    assert adapter.missing_internals() == ["ruamel.yaml.composer.Composer.compose_node"]


def test_threads_read_yaml_at_once_without_corrupting_each_other(tmp_path: Path) -> None:
    """The studio reads files in a warm-up thread while requests read others: once, a parser
    shared by threads raised IndexError in ruamel's reader (a 500 on the office page)."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    from communiques.yamlfile import load_yaml

    source = SEED_COMMUNIQUE.read_text(encoding="utf-8")
    paths = []
    for index in range(8):
        path = tmp_path / f"{index}.yaml"
        path.write_text(source.replace("Paris", f"Ville {index}"), encoding="utf-8")
        paths.append(path)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows at once
    try:
        with ThreadPoolExecutor(8) as pool:
            documents = list(pool.map(load_yaml, paths * 10))
    finally:
        sys.setswitchinterval(interval)
    assert [d.data["lieu"] for d in documents] == [f"Ville {i}" for i in range(8)] * 10
