"""An embargo is printed in the office's time zone (communiques.toml `fuseau`, Europe/Paris by
default) whatever offset it was written with, in the PDF, the DOCX and the e-mail; `check`
warns when the written offset is not the office's and gives the same instant in its time."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path

import pytest
from conftest import docx_text, normalise, pdf_text, render_file

from communiques.build import Theme
from communiques.check import check_file
from communiques.errors import DataErrors
from communiques.mail.message import Composer, Options, as_bytes
from communiques.office import read_settings
from communiques.resolve import editions, load
from communiques.sources import PressOffice

FAR_EAST = "2026-03-02T05:37:00-11:00"  # 16:37 UTC: 17:37 in Paris (winter), 13:37 in Cayenne
BEFORE = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 8


def communique(office: Path, embargo: str, extra: str = "") -> Path:
    path = office / "communiques" / "embargo.yaml"
    path.write_text(
        f"titre: Essai\nlieu: Paris\ndate: 2026-03-02\nemetteur: daect\n{extra}"
        f"embargo: {embargo}\n",
        encoding="utf-8",
    )
    return path


def set_zone(office: Path, zone: str) -> None:
    marker = office / "communiques.toml"
    marker.write_text(marker.read_text(encoding="utf-8") + f'fuseau = "{zone}"\n', "utf-8")


@pytest.mark.parametrize(
    ("zone", "printed"),
    [(None, "2 mars 2026 à 17 h 37"), ("America/Cayenne", "2 mars 2026 à 13 h 37")],
    ids=["paris-by-default", "office-setting"],
)
def test_the_embargo_is_printed_in_the_office_time(
    office: Path, zone: str | None, printed: str
) -> None:
    if zone:
        set_zone(office, zone)
    outputs = render_file(communique(office, FAR_EAST), ("pdf", "docx"))
    expected = f"Sous embargo jusqu'au {printed}"
    assert expected in normalise(pdf_text(outputs["pdf"]))
    assert expected in normalise(docx_text(outputs["docx"]))


def test_every_edition_carries_the_office_zone(office: Path) -> None:
    path = communique(office, FAR_EAST, "langue: [fr, en]\n").read_text(encoding="utf-8")
    path_ = office / "communiques" / "embargo.yaml"
    path_.write_text(path.replace("titre: Essai", "titre: {fr: Essai, en: Trial}"), "utf-8")
    resolved = load(path_)
    assert resolved.fuseau == "Europe/Paris"
    for edition in editions(resolved):
        embargo = edition.communique.embargo
        assert embargo is not None
        assert (embargo.hour, embargo.minute, embargo.utcoffset()) == (
            17, 37, dt.timedelta(hours=1),
        )  # fmt: skip


def test_the_email_says_the_same_time(office: Path) -> None:
    path = communique(office, FAR_EAST)
    office_ = PressOffice.find(path)
    message = email.message_from_bytes(
        as_bytes(Composer(load(path, office_), Theme.of(office_), PDF, Options())(None, BEFORE)),
        policy=email.policy.default,
    )
    assert normalise(str(message["Subject"])).startswith("[EMBARGO jusqu'au 2 mars 2026 à 17 h 37]")
    plain = message.get_body(("plain",))
    assert plain is not None
    assert normalise(plain.get_content().splitlines()[0]) == (
        "Sous embargo jusqu'au 2 mars 2026 à 17 h 37: ne pas publier avant."
    )


def test_check_warns_of_an_offset_that_is_not_the_office_one(office: Path) -> None:
    path = communique(office, FAR_EAST)
    (finding,) = [f for f in check_file(path) if f.field == "embargo"]
    assert (finding.line, finding.column, finding.level) == (5, 10, "warning")
    assert finding.message == (
        "l'embargo est écrit avec le décalage -11:00, pas celui du bureau (Europe/Paris, "
        "+01:00 à cette date) : il sera imprimé à l'heure du bureau, le 02/03/2026 à 17 h 37"
    )
    assert finding.suggestion == (
        "écrivez le même instant à l'heure du bureau : embargo: 2026-03-02T17:37:00+01:00"
    )
    # The same instant written in the office's offset is silent; so is summer time in summer.
    communique(office, "2026-03-02T17:37:00+01:00")
    assert [f for f in check_file(path) if f.field == "embargo"] == []
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("2026-03-02T17:37:00+01:00", "2026-07-02T10:00:00+02:00")
        .replace("date: 2026-03-02", "date: 2026-07-02"),
        encoding="utf-8",
    )
    assert [f for f in check_file(path) if f.field == "embargo"] == []


@pytest.mark.parametrize("zone", ["Europe/Pariss", "../../etc/passwd", ""])
def test_an_unknown_zone_is_an_error_at_its_line(office: Path, zone: str) -> None:
    set_zone(office, zone)
    marker = office / "communiques.toml"
    line = marker.read_text(encoding="utf-8").splitlines().index(f'fuseau = "{zone}"') + 1
    with pytest.raises(DataErrors) as raised:
        read_settings(office)
    [error] = raised.value.errors
    assert (error.path, error.line, error.field) == (marker, line, "fuseau")
    assert "fuseau horaire" in error.message and "Europe/Paris" in error.message


def test_changing_the_zone_rebuilds_an_embargoed_communique(office: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from communiques.cli import main

    path = communique(office, FAR_EAST)
    out = tmp_path / "sortie"
    args = ["build", str(path), "--out", str(out), "--format", "pdf"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert "17 h 37" in normalise(pdf_text((out / "embargo.pdf").read_bytes()))
    set_zone(office, "America/Cayenne")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "13 h 37" in normalise(pdf_text((out / "embargo.pdf").read_bytes()))
