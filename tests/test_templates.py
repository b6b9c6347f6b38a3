"""Templates run sandboxed and strict; data is never evaluated as a template."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import docx_text, normalise, pdf_text, render_file

from communiques.errors import DataErrors

MINIMAL = "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"


def write(office: Path, text: str) -> Path:
    path = office / "communiques" / "essai.yaml"
    path.write_text(MINIMAL + text, encoding="utf-8")
    return path


def test_template_syntax_in_data_is_printed_not_run(office: Path) -> None:
    path = write(
        office,
        'titre: "{{ 7 * 7 }} et {% if true %}oui{% endif %}"\ncorps: "<b>gras</b> {{ config }}"\n',
    )
    outputs = render_file(path, ("pdf", "docx", "html"))
    html = outputs["html"].decode()
    assert "{{ 7 * 7 }} et {% if true %}oui{% endif %}" in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html and "<b>gras</b>" not in html
    for text in (normalise(pdf_text(outputs["pdf"])), normalise(docx_text(outputs["docx"]))):
        assert "{{ 7 * 7 }} et {% if true %}oui{% endif %}" in text
        assert "<b>gras</b> {{ config }}" in text
        assert "49" not in text


def test_an_undefined_variable_names_the_template_and_line(office: Path) -> None:
    (office / "templates").mkdir(exist_ok=True)
    (office / "templates" / "maison.html.j2").write_text(
        '{% extends "_base.html.j2" %}\n{% block corps %}\n<p>{{ communique.inexistant }}</p>\n{% endblock %}\n',
        encoding="utf-8",
    )
    path = write(office, "modele: maison\ntitre: T\n")
    with pytest.raises(DataErrors) as raised:
        render_file(path, ("html",))
    [error] = raised.value.errors
    assert error.path == office / "templates" / "maison.html.j2"
    assert error.line == 3
    assert "inexistant" in error.message and error.message.startswith("erreur dans le gabarit")


def test_the_sandbox_refuses_unsafe_attributes(office: Path) -> None:
    (office / "templates").mkdir(exist_ok=True)
    (office / "templates" / "intrus.html.j2").write_text(
        "{{ communique.__class__.__init__.__globals__ }}\n", encoding="utf-8"
    )
    path = write(office, "modele: intrus\ntitre: T\n")
    with pytest.raises(DataErrors) as raised:
        render_file(path, ("html",))
    [error] = raised.value.errors
    assert (error.path.name, error.line) == ("intrus.html.j2", 1)
    assert error.message.startswith("refusé par le bac à sable : access to attribute '__init__'")


REFUSED = "hors des dossiers templates/ du bureau et du paquet ; nommez-le depuis templates/, sans ../ ni chemin absolu"


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ('{% include "../secret.html" %}', f"gabarit refusé « ../secret.html » : {REFUSED}"),
        ('{% include "/etc/hostname" %}', f"gabarit refusé « /etc/hostname » : {REFUSED}"),
        (
            '{% include "absent.html.j2" %}',
            "gabarit introuvable « absent.html.j2 » : ni dans templates/ du bureau, ni parmi "
            "ceux du paquet ; vérifiez son nom",
        ),
        (
            '{% include "maison.html.j2" %}',
            "gabarit récursif : il s'inclut ou s'appelle lui-même sans fin ; retirez "
            "l'inclusion ou la macro qui revient à lui",
        ),
        (
            "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
            "gabarit récursif : il s'inclut ou s'appelle lui-même sans fin ; retirez "
            "l'inclusion ou la macro qui revient à lui",
        ),
        (
            "{% for i in range(10000000) %}x{% endfor %}",
            "boucle trop longue : range() va au plus jusqu'à 100 000 dans un gabarit",
        ),
    ],
    ids=["parent", "absolu", "absent", "inclusion-recursive", "macro-recursive", "range"],
)
def test_an_office_template_s_error_says_what_and_where_in_french(
    office: Path, statement: str, message: str
) -> None:
    """The issue's reproducers: « erreur dans le gabarit », Jinja's English message, or an
    « erreur interne » before; now the office's file, the statement's line, and why."""
    (office / "secret.html").write_text("SECRET", encoding="utf-8")
    (office / "templates" / "maison.html.j2").write_text(
        f"<p>Début</p>\n\n{statement}\n", encoding="utf-8"
    )
    path = write(office, "modele: maison\ntitre: T\n")
    with pytest.raises(DataErrors) as raised:
        render_file(path, ("html",))
    assert [str(e).removeprefix(f"{office}/") for e in raised.value.errors] == [
        f"templates/maison.html.j2:3:1: erreur: modèle: {message}"
    ]


def test_office_templates_override_the_built_in_ones(office: Path) -> None:
    (office / "templates").mkdir(exist_ok=True)
    (office / "templates" / "communique.html.j2").write_text(
        '{% extends "_base.html.j2" %}\n{% block corps %}<p>Gabarit du bureau de presse.</p>{% endblock %}\n',
        encoding="utf-8",
    )
    path = write(office, "titre: T\n")
    outputs = render_file(path, ("html",))
    assert "Gabarit du bureau de presse." in outputs["html"].decode()
