"""The `check` registry and one rule of each family on a tiny input, through `proofread`
(pure: it reads what `load` returned, never the file again)."""

from __future__ import annotations

from pathlib import Path

from communiques.check import RULES, proofread
from communiques.check.registry import FAMILIES, Proofreading, run
from communiques.check.spelling import Speller
from communiques.errors import ERROR, WARNING, DataErrors, Diagnostic
from communiques.resolve import load

HEAD = "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"


def test_every_rule_is_registered_once_with_a_family_and_a_level() -> None:
    assert set(RULES) == {
        "data_errors", "reading_warnings", "spelling", "template_spelling", "typography", "remarks", "links",
        "email_domains", "title_length", "body_length",
    }  # fmt: skip
    assert {rule.family for rule in RULES.values()} == set(FAMILIES)
    assert all(rule.level in (ERROR, WARNING) and rule.name == key for key, rule in RULES.items())
    assert [n for n, r in RULES.items() if r.stage != "texte"] == [
        "data_errors",
        "reading_warnings",
        "body_length",
    ]


def test_proofread_reads_what_load_returned_not_the_file(office: Path) -> None:
    """The file is changed after `load`: the findings still point into the text loaded."""
    path = office / "communiques" / "essai.yaml"
    path.write_text(HEAD + "titre: Titre\ncorps: |\n  Un texte.\n\n  Une  fote.\n", "utf-8")
    resolved = load(path)
    path.write_text("autre: chose\n", encoding="utf-8")
    found = [(f.rule, f.line, f.column, f.message) for f in proofread(resolved) if f.path == path]
    assert found == [
        ("typographie", 8, 6, "deux espaces de suite"),
        ("orthographe", 8, 8, "mot inconnu « fote »"),
    ]


def test_one_rule_of_each_family(office: Path) -> None:
    path = office / "communiques" / "essai.yaml"
    title = "Annonce " + "très " * 20 + "longue"
    path.write_text(
        HEAD + f"titre: {title}\nliens:\n  - {{libelle: Site, url: 'http://exemple.fr'}}\n",
        encoding="utf-8",
    )
    resolved = load(path)
    families = {(f.rule, f.level, f.field) for f in proofread(resolved) if f.path == path}
    assert families == {("longueur", WARNING, "titre"), ("coherence", WARNING, "liens[0].url")}
    bodies = Proofreading(resolved, (), Speller(frozenset()), bodies=((resolved, 1.4),))
    (long_body,) = run(bodies, "mise en page")
    assert (long_body.rule, long_body.level) == ("longueur", WARNING)
    assert "1.4 pages" in long_body.message


def test_data_errors_keep_the_rule_that_found_them() -> None:
    errors = DataErrors(
        [
            Diagnostic(Path("a.yaml"), 2, 1, "date", "date invalide"),
            Diagnostic(Path("a.yaml"), 5, 1, "embargo", "avant", rule="coherence"),
        ]
    )
    assert [(f.rule, f.level) for f in run(errors, "chargement")] == [
        ("donnees", ERROR),
        ("coherence", ERROR),
    ]


def test_the_speller_suggests_the_closest_frequent_word() -> None:
    speller = Speller(frozenset({"zorglub"}))
    assert list(speller.unknown("Une fote de Zorglub", "fr")) == [(4, "fote", "fête")]
