"""The English edition: template strings from the catalog, English dates, numbers and phone
numbers, no French typography, and one data file published in both languages."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import docx
import pytest
from babel.messages.catalog import Message
from conftest import ROOT, SEED_COMMUNIQUE, docx_text, normalise, pdf_text
from pypdf import PdfReader

from communiques.build import Theme, render
from communiques.dictionary import Dictionary, missing
from communiques.errors import DataErrors
from communiques.l10n import NBSP, Localiser, english
from communiques.model import Communique, editions, json_schema, parse
from communiques.resolve import for_language, load
from communiques.sources import PressOffice
from communiques.yamlfile import load_yaml

LOCALE = ROOT / "communiques" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

# What the French templates say, which must never reach an English edition.
FRENCH_TEMPLATE_PHRASES = [
    "COMMUNIQUÉ DE PRESSE", "communiqué de presse", "Paris, le", "Contact :", "Contact:", "Tél",
    "a lancé", "dénommé", "Ce programme permet", "Lors du comité", "ont reçu", "a reçu",
    "Consulter", "la liste des", "Le détail de la procédure", "sur France Diplomatie",
    "page 1 sur", "avril", "mars", "juillet", "Sous embargo",
]  # fmt: skip


@pytest.fixture(scope="module")
def example_in_english() -> dict[str, bytes]:
    """The example communiqué (French data) rendered as an English edition."""
    office = PressOffice.find(SEED_COMMUNIQUE)
    resolved = for_language(load(SEED_COMMUNIQUE, office), "en")
    return render(resolved, Theme.of(office), ("pdf", "docx", "html"))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_example_in_english_has_english_template_strings(
    example_in_english: dict[str, bytes], fmt: str
) -> None:
    data = example_in_english[fmt]
    text = normalise(pdf_text(data) if fmt == "pdf" else docx_text(data))
    for expected in [
        "Paris, 19 April 2021",
        "PRESS RELEASE",
        "Contacts",
        "Tel: +33 1 43 17 62 64",
        "Tel: +33 1 43 17 62 61",
        "launched the programme for the promotion of the territorial expertise of local "
        "authorities, named EXPE-CT, in July 2020.",
        "This programme aims to promote abroad the skills and know-how",
        "At the labelling committee of 24 March 2021, 11 local authorities and associations "
        "of local elected officials received the EXPE-CT label.",
        "→ See the list of the 11 laureates of the EXPE-CT label",
        "Details of the labelling procedure are available on France Diplomacy.",
    ]:
        assert expected in text, expected
    if fmt == "pdf":
        assert "page 1 of 1" in text
    left = [phrase for phrase in FRENCH_TEMPLATE_PHRASES if phrase in text]
    assert left == [], f"French template strings in the English {fmt}: {left}"
    # The office's texts are English too (its organisation and programme have their `en:`);
    # the communiqué's own title and subtitle are French only, as it is published in French.
    own = [load(SEED_COMMUNIQUE).communique.titre, load(SEED_COMMUNIQUE).communique.sous_titre]
    assert_english_only(functools.reduce(lambda t, s: t.replace(s or "", " "), own, text))


def test_english_output_has_no_french_spacing(example_in_english: dict[str, bytes]) -> None:
    html = example_in_english["html"].decode()
    assert '<html lang="en-GB">' in html
    assert "Tel:" in html and f"Tel{NBSP}:" not in html and "Contacts</h2>" in html
    assert "01\u00a043" not in html  # international format only


def test_english_metadata_language(example_in_english: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(example_in_english["pdf"]))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata["/Keywords"].startswith("press release")
    document = docx.Document(io.BytesIO(example_in_english["docx"]))
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.keywords.startswith("press release")


def test_french_edition_is_unchanged_by_the_catalogs(seed_outputs: dict[str, bytes]) -> None:
    html = seed_outputs["html"].decode()
    assert '<html lang="fr-FR">' in html
    text = normalise(pdf_text(seed_outputs["pdf"]))
    assert "Paris, le 19 avril 2021" in text and "COMMUNIQUÉ DE PRESSE" in text
    assert "Tél.: 01 43 17 62 64" in text and "page 1 sur 1" in text


# --- English formats ----------------------------------------------------------------------------

en = Localiser("en")


@pytest.mark.parametrize(
    ("day", "expected"),
    [(dt.date(2021, 4, 19), "19 April 2021"), (dt.date(2021, 4, 1), "1 April 2021")],
)
def test_english_dates_have_no_ordinal(day: dt.date, expected: str) -> None:
    assert en.date(day).replace(NBSP, " ") == expected


def test_english_numbers_times_months_plurals() -> None:
    assert en.number(1250) == "1,250"
    assert en.time(dt.time(10, 5)) == "10:05"
    assert en.month(dt.date(2020, 7, 1)) == "July 2020"
    assert en.ngettext("laureate", "laureates", 0) == "laureates"  # English: 0 is plural
    assert en.ngettext("laureate", "laureates", 1) == "laureate"


@pytest.mark.parametrize(
    ("e164", "shown"),
    [("+33143176264", "+33 1 43 17 62 64"), ("+442079460958", "+44 20 7946 0958")],
)
def test_english_phone_numbers_are_international(e164: str, shown: str) -> None:
    assert en.phone(e164) == shown.replace(" ", NBSP)


def test_english_typography_adds_no_space_before_punctuation() -> None:
    assert english("Why? Contact: now; yes!") == "Why? Contact: now; yes!"
    assert english('the region\'s "label"...') == "the region’s “label”…"
    assert english("https://exemple.fr/l'action") == "https://exemple.fr/l'action"


# --- the catalog --------------------------------------------------------------------------------


def test_every_template_string_has_an_english_translation() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    with PO.open("rb") as handle:
        catalog = read_po(handle)
    method_map = [("templates/*.html.j2", "jinja2")]
    options = {"templates/*.html.j2": {"extensions": "jinja2.ext.i18n"}}
    extracted = list(extract_from_dir(str(ROOT), method_map, options_map=options))
    assert len(extracted) >= 20
    for _, _, message, _, _ in extracted:
        key = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(key)
        assert entry is not None, f"absent de messages.po : {message!r} (make catalogs)"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings) and not entry.fuzzy, f"non traduit : {message!r}"


def test_compiled_catalog_is_up_to_date_with_the_po() -> None:
    """The .mo is committed (a fresh clone renders English without a compile step): it must
    say what the .po says. `make catalogs` recompiles it."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    def entries(catalog: Iterable[Message]) -> dict[object, object]:
        as_tuple = lambda v: tuple(v) if isinstance(v, list | tuple) else v  # noqa: E731
        return {as_tuple(m.id): as_tuple(m.string) for m in catalog if m.id and not m.fuzzy}

    with PO.open("rb") as handle:
        po = entries(read_po(handle))
    with MO.open("rb") as handle:
        mo = entries(read_mo(handle))
    assert mo == po


# --- one file, two languages ---------------------------------------------------------------------

ORGANISATION = """\
nom:
  fr: Délégation pour l'action extérieure des collectivités territoriales
  en: Delegation for the External Action of Local Authorities
sigle: DAECT
article: la
tutelles:
  fr: [Ministère de l'Europe et des Affaires étrangères]
  en: [Ministry for Europe and Foreign Affairs]
adresse: 57 boulevard des Invalides, 75007 Paris
site: https://www.diplomatie.gouv.fr/
logo: logos/daect.png
logo_alt: DAECT
contacts:
  - nom: {fr: Secrétariat, en: Secretariat}
    telephone: 01 43 17 62 64
    email: secretariat.dgm-aect@diplomatie.gouv.fr
"""
PROGRAMME = """\
nom: EXPE-CT
intitule:
  fr: programme de valorisation de l'expertise des collectivités territoriales
  en: programme for the promotion of the expertise of local authorities
lancement: 2020-07
objectifs:
  - fr: promouvoir à l'international les savoir-faire des collectivités françaises
    en: promote the know-how of French local authorities abroad
  - fr: répondre aux demandes de coopération de collectivités étrangères
    en: answer requests for cooperation from foreign local authorities
url_procedure: {libelle: France Diplomatie, url: "https://www.diplomatie.gouv.fr/"}
url_laureats: https://www.diplomatie.gouv.fr/
"""
COMMUNIQUE = """\
modele: annonce-laureats
lieu: Paris
date: 2021-04-19
emetteur: daect
programme: expe-ct
titre:
  fr: Annonce des lauréats au label EXPE-CT
  en: EXPE-CT label laureates announced
comite:
  date: 2021-03-24
  laureats:
    - {nom: Brest, type: commune}
corps:
  fr: Les lauréats sont invités à la remise du label.
  en: The laureates are invited to the award ceremony.
embargo: 2021-04-19T10:00:00+02:00
"""


@pytest.fixture
def bilingual(office: Path) -> Path:
    """The example office with its organisation, programme and a communiqué in fr and en."""
    (office / "organisations" / "daect.yaml").write_text(ORGANISATION, encoding="utf-8")
    (office / "programmes" / "expe-ct.yaml").write_text(PROGRAMME, encoding="utf-8")
    for old in (office / "communiques").iterdir():
        old.unlink()
    path = office / "communiques" / "2021-04-19-laureats.yaml"
    path.write_text(COMMUNIQUE, encoding="utf-8")
    return path


def test_translations_make_two_editions(bilingual: Path) -> None:
    resolved = load(bilingual)
    assert resolved.languages == ("fr", "en")
    assert resolved.communique.titre == "Annonce des lauréats au label EXPE-CT"
    english_edition = for_language(resolved, "en")
    assert english_edition.communique.titre == "EXPE-CT label laureates announced"
    assert english_edition.communique.langue == "en"
    assert english_edition.emetteur.nom == "Delegation for the External Action of Local Authorities"
    assert english_edition.contacts[0].nom == "Secretariat"
    assert english_edition.programme is not None
    assert english_edition.programme.objectifs[1].startswith("answer requests")


def test_for_language_reads_no_file(bilingual: Path) -> None:
    """Pure: the parsed YAML travels with the communiqué (e.g. to a worker process)."""
    resolved = load(bilingual)
    shutil.rmtree(bilingual.parent.parent / "organisations")
    shutil.rmtree(bilingual.parent.parent / "programmes")
    bilingual.unlink()
    assert for_language(resolved, "en").emetteur.sigle == "DAECT"


def test_build_writes_one_file_per_language(bilingual: Path) -> None:
    from click.testing import CliRunner

    from communiques.cli import main

    out = bilingual.parent.parent / "build"
    result = CliRunner().invoke(main, ["build", str(bilingual), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir() if p.suffix in (".pdf", ".docx"))
    assert names == [
        "2021-04-19-laureats.en.docx",
        "2021-04-19-laureats.en.pdf",
        "2021-04-19-laureats.fr.docx",
        "2021-04-19-laureats.fr.pdf",
    ]
    french = normalise(pdf_text((out / "2021-04-19-laureats.fr.pdf").read_bytes()))
    english_text = normalise(pdf_text((out / "2021-04-19-laureats.en.pdf").read_bytes()))
    assert "Paris, le 19 avril 2021" in french and "Annonce des lauréats au label EXPE-CT" in french
    assert "Lors du comité de labellisation du 24 mars 2021, Brest a reçu" in french
    assert "Sous embargo jusqu'au 19 avril 2021 à 10 h 00" in french
    for expected in [
        "Paris, 19 April 2021",
        "PRESS RELEASE",
        "Embargoed until 19 April 2021, 10:00",
        "EXPE-CT label laureates announced",
        "MINISTRY FOR EUROPE AND FOREIGN AFFAIRS",
        "The Delegation for the External Action of Local Authorities launched the programme "
        "for the promotion of the expertise of local authorities, named EXPE-CT, in July 2020.",
        "This programme aims to promote the know-how of French local authorities abroad, to "
        "answer requests for cooperation from foreign local authorities.",
        "At the labelling committee of 24 March 2021, Brest received the EXPE-CT label.",
        "→ See the laureate of the EXPE-CT label",
        "The laureates are invited to the award ceremony.",
        "Contact Secretariat Tel: +33 1 43 17 62 64",
    ]:
        assert expected in english_text, expected
    assert_english_only(english_text)


def assert_english_only(text: str) -> None:
    """Every word of an English edition is English (Hunspell's en-GB), but for names and
    the address."""
    english = Dictionary.for_language("en")
    if english is None:
        pytest.skip(missing("en") or "")
    names = {"expe", "ct", "daect", "invalides", "boulevard", "des", "gouv", "diplomatie", "www"}
    names |= {"mevel", "reingold"}  # a contact of the example
    text = re.sub(r"\S+@\S+|\S+\.\S+/\S*", " ", text)  # e-mail and web addresses
    words = set(re.findall(r"[^\W\d_]+", text))
    unknown = {w for w in words if w.lower() not in names and not english.known(w)}
    assert unknown == set(), f"not English: {sorted(unknown)}"


def test_check_names_each_field_an_english_edition_prints_in_french(office: Path) -> None:
    """An office without English texts: the English edition builds, and check names each
    French text it would print (names of people and laureates, places, the address aside)."""
    from click.testing import CliRunner

    from communiques.cli import main

    path = office / "communiques" / "anglais.yaml"
    path.write_text(
        "modele: annonce-laureats\nlangue: en\nlieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"
        "programme: expe-ct\ntitre: EXPE-CT label laureates announced\n"
        "comite:\n  date: 2021-03-24\n  laureats:\n    - {nom: Ville de Lyon, type: commune}\n",
        encoding="utf-8",
    )
    (office / "organisations" / "daect.yaml").write_text(ORGANISATION_FR, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--sans-mise-en-page", str(path)])
    assert result.exit_code == 0, result.output
    fields = [line.split(": ")[2] for line in result.stdout.splitlines()]
    assert fields == ["nom", "tutelles[0]", "contacts[0].nom", "contacts[1].fonction"]
    assert result.stdout.splitlines()[0] == (
        f"{office / 'organisations' / 'daect.yaml'}:1:6: avertissement: nom: texte en français "
        "dans l'édition en anglais (en) → donnez sa traduction : {fr: …, en: …}"
    )
    out = office / "build"
    built = CliRunner().invoke(main, ["build", str(path), "--out", str(out), "-j", "1"])
    assert built.exit_code == 0, built.output
    assert "Délégation pour l'action extérieure" in normalise(
        pdf_text((out / "anglais.pdf").read_bytes())
    )


ORGANISATION_FR = """\
nom: Délégation pour l'action extérieure des collectivités territoriales
sigle: DAECT
tutelles: [Ministère de l'Europe et des Affaires étrangères]
adresse: 57 boulevard des Invalides, 75007 Paris
site: https://www.diplomatie.gouv.fr/
logo: logos/daect.png
contacts:
  - nom: Secrétariat
    telephone: 01 43 17 62 64
    email: secretariat.dgm-aect@diplomatie.gouv.fr
  - nom: Anne-Marie MEVEL REINGOLD
    fonction: chargée de mission
    email: anne-marie.reingold@diplomatie.gouv.fr
"""


def test_one_language_key_errors_at_its_line(office: Path) -> None:
    path = office / "communiques" / "essai.yaml"
    path.write_text(
        "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"
        "titre:\n  fr: Annonce\n  de: Ankündigung\n"
        "sous_titre: {fr: Seulement en français, en: Only in English}\n"
        "corps: {fr: Corps}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as raised:
        load(path)
    messages = [str(e).replace(f"{office}/", "") for e in raised.value]
    assert messages == [  # sous_titre has an English text: the communiqué is bilingual
        "communiques/essai.yaml:5:3: erreur: titre: traduction manquante en anglais (en)",
        "communiques/essai.yaml:6:3: erreur: titre.de: langue inconnue « de » (langues possibles : fr, en)",
        "communiques/essai.yaml:8:8: erreur: corps: traduction manquante en anglais (en)",
    ]


def test_langue_list_and_unknown_language(office: Path) -> None:
    path = office / "communiques" / "essai.yaml"
    path.write_text(
        "langue: [fr, es]\nlieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: T\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as raised:
        load(path)
    assert [f"{e.line}:{e.column}: {e.message}" for e in raised.value] == [
        "1:14: langue inconnue « es » (langues possibles : fr, en)"
    ]
    path.write_text(
        "langue: en\nlieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"
        "titre: {fr: Titre, en: Title}\n",
        encoding="utf-8",
    )
    resolved = load(path)
    assert resolved.languages == ("en",)
    assert resolved.communique.titre == "Title"


def test_error_in_the_english_text_points_into_it(office: Path) -> None:
    path = office / "communiques" / "essai.yaml"
    path.write_text(
        "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\ntitre: T\n"
        "liens:\n  fr: [{libelle: Site, url: 'https://exemple.fr'}]\n"
        "  en: [{libelle: Site, url: 'ftp://example.com'}]\n",
        encoding="utf-8",
    )
    document = load_yaml(path)
    assert editions(document, Communique) == ("fr", "en")
    with pytest.raises(DataErrors) as raised:
        parse(document, Communique, language="en")
    (error,) = raised.value
    assert (error.line, error.column, error.field) == (7, 29, "liens[0].url")


def test_schema_accepts_texts_in_both_languages() -> None:
    schema = json_schema()
    titre = schema["properties"]["titre"]
    translated = next(alt for alt in titre["anyOf"] if alt.get("type") == "object")
    assert set(translated["properties"]) == {"fr", "en"}
    assert translated["additionalProperties"] is False
    assert "anyOf" in schema["properties"]["langue"]
    assert "anyOf" not in schema["properties"]["date"]
    assert "anyOf" not in schema["properties"]["modele"]


def test_the_english_edition_is_mailed_in_english(
    bilingual: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`communiques email --langue en`: subject, body parts and attachment of the English
    edition, named like its build output; French stays the default edition."""
    import email
    import email.policy

    from click.testing import CliRunner

    from communiques.cli import main

    monkeypatch.chdir(bilingual.parent.parent)
    source = str(bilingual.relative_to(bilingual.parent.parent))
    for language in ("en", "fr"):
        args = ["email", source, "--to", "redaction@exemple.fr", "--out", f"mails-{language}"]
        result = CliRunner().invoke(
            main, [*args, "--langue", language] if language == "en" else args
        )
        assert result.exit_code == 0, result.output
    [english_draft] = Path("mails-en").iterdir()
    [french_draft] = Path("mails-fr").iterdir()
    assert english_draft.name == "2021-04-19-laureats.en--redaction-exemple-fr.eml"
    message = email.message_from_bytes(english_draft.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Press release: EXPE-CT label laureates announced"
    assert message["Content-Language"] == "en"
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "2021-04-19-laureats.en.pdf"
    assert "EXPE-CT label laureates announced" in normalise(pdf_text(attachment.get_content()))
    for subtype in ("plain", "html"):
        body = message.get_body(preferencelist=(subtype,))
        assert body is not None
        text = normalise(re.sub(r"<[^>]+>", " ", body.get_content()))
        for expected in ("PRESS RELEASE", "Paris, 19 April 2021", "Press contact", "Tel: +33 1"):
            assert expected in text, (subtype, expected)
        assert "invited to the award ceremony" in text
        for french in [*FRENCH_TEMPLATE_PHRASES, "Contacts presse", "au format PDF", " Ko"]:
            assert french not in text, (subtype, french)
    french_message = email.message_from_bytes(
        french_draft.read_bytes(), policy=email.policy.default
    )
    assert french_message["Subject"].startswith("Communiqué de presse")
    assert next(french_message.iter_attachments()).get_filename() == "2021-04-19-laureats.fr.pdf"


def test_an_english_subject_under_embargo(bilingual: Path) -> None:
    from communiques.mail.message import subject

    communique = for_language(load(bilingual), "en").communique
    before = dt.datetime(2021, 4, 19, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert subject(communique, before) == (
        "[EMBARGO until 19\u00a0April 2021, 10:00] Press release: EXPE-CT label laureates announced"
    )


def test_each_edition_has_its_own_send_log(
    bilingual: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Serving the French edition must not count as serving the English one."""
    from click.testing import CliRunner

    from communiques.cli import main

    monkeypatch.chdir(bilingual.parent.parent)
    args = ["email", str(bilingual), "--to", "a@exemple.fr", "--dry-run"]
    english = CliRunner().invoke(main, [*args, "--langue", "en"])
    french = CliRunner().invoke(main, args)
    assert "Journal : build/envois/2021-04-19-laureats.en.jsonl" in english.output
    assert "Journal : build/envois/2021-04-19-laureats.fr.jsonl" in french.output
