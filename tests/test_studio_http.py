"""The studio over HTTP, through Starlette's test client: every route, and every refusal
(token, Host, Origin, paths leaving the office, uploads), on a copy of the example office."""

from __future__ import annotations

import email
import email.policy
import io
import signal
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="le studio est un extra : pip install '.[studio]'")

from conftest import docx_text, pdf_text, studio_process
from PIL import Image
from starlette.testclient import TestClient

from communiques.build import Theme, render
from communiques.resolve import load
from communiques.sources import PressOffice
from communiques.studio.app import create_app
from communiques.studio.security import COOKIE, Guard

NAME = "2021-04-19-expe-ct.yaml"
TOKEN = "jeton-de-test-0123456789"
ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture
def client(office: Path) -> TestClient:
    app = create_app(PressOffice(office), Guard(TOKEN, frozenset({"testserver"})))
    client = TestClient(app, follow_redirects=False)
    client.cookies.set(COOKIE, TOKEN)
    return client


@pytest.fixture
def stranger(office: Path) -> TestClient:
    app = create_app(PressOffice(office), Guard(TOKEN, frozenset({"testserver"})))
    return TestClient(app, follow_redirects=False)


# --- the guard ---------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/"),
    ("GET", f"/editer/{NAME}"),
    ("GET", f"/api/version/{NAME}"),
    ("GET", f"/telecharger/{NAME}?format=pdf"),
    ("GET", "/api/construire"),
    ("GET", "/api/evenements"),
    ("GET", "/static/studio.js"),
    ("POST", f"/api/apercu/{NAME}"),
    ("POST", f"/api/enregistrer/{NAME}"),
    ("POST", "/api/nouveau"),
    ("POST", "/api/logo"),
    ("POST", "/api/construire"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_every_route_needs_the_token(stranger: TestClient, method: str, route: str) -> None:
    response = stranger.request(method, route, headers=ORIGIN)
    assert response.status_code == 403
    assert "jeton" in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_a_wrong_token_is_refused(stranger: TestClient) -> None:
    response = stranger.get("/?jeton=pas-le-bon")
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


def test_the_token_is_exchanged_for_a_strict_httponly_cookie(stranger: TestClient) -> None:
    response = stranger.get(f"/editer/{NAME}?jeton={TOKEN}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/editer/{NAME}"  # the token leaves the address
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert stranger.get(f"/editer/{NAME}").status_code == 200  # the cookie now opens it


@pytest.mark.parametrize("host", ["evil.example:80", "127.0.0.1.nip.io", "localhost:1"])
def test_a_foreign_host_is_refused_even_with_the_token(client: TestClient, host: str) -> None:
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "adresse refusée" in response.text
    assert client.get(f"/?jeton={TOKEN}", headers={"Host": host}).status_code == 400


@pytest.mark.parametrize("origin", [{"Origin": "http://evil.example"}, {"Origin": "null"}, {}])
def test_a_write_from_a_foreign_origin_is_refused(
    client: TestClient, office: Path, origin: dict[str, str]
) -> None:
    before = (office / "communiques" / NAME).read_bytes()
    version = client.get(f"/api/version/{NAME}").json()["version"]
    response = client.post(
        f"/api/enregistrer/{NAME}",
        json={"version": version, "donnees": {"titre": "Piraté"}},
        headers=origin,
    )
    assert response.status_code == 403
    assert "autre page" in response.text
    assert (office / "communiques" / NAME).read_bytes() == before
    assert (
        client.post(
            "/api/nouveau", json={"modele": "communique", "nom": "x"}, headers=origin
        ).status_code
        == 403
    )
    assert not (office / "communiques" / "x.yaml").exists()


@pytest.mark.parametrize(
    "route", ["/", f"/editer/{NAME}", "/static/studio.css", f"/api/version/{NAME}"]
)
def test_every_answer_forbids_remote_content(client: TestClient, route: str) -> None:
    response = client.get(route)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp and "*" not in csp  # nothing remote, no wildcard
    assert response.headers["x-content-type-options"] == "nosniff"


def test_pages_load_nothing_remote(client: TestClient) -> None:
    for route in ("/", f"/editer/{NAME}"):
        html = client.get(route).text
        import re

        loaded = re.findall(r'(?:src|href)="([^"]*)"', html)
        assert loaded and all(
            url.startswith(("/", "#")) and not url.startswith("//") for url in loaded
        )
        assert '<script src="/static/studio.js"' in html


@pytest.mark.parametrize(
    "name",
    [
        "../organisations/daect.yaml",
        "..%2Forganisations%2Fdaect.yaml",
        "/etc/passwd",
        "x/../../programmes/expe-ct.yaml",
        "a.txt",
    ],
)
def test_paths_leaving_the_office_are_refused(client: TestClient, name: str) -> None:
    for response in (
        client.get(f"/editer/{name}"),
        client.get(f"/api/version/{name}"),
        client.get(f"/telecharger/{name}?format=pdf"),
        client.post(
            f"/api/enregistrer/{name}", json={"version": "", "donnees": {}}, headers=ORIGIN
        ),
    ):
        assert response.status_code in (403, 404), (name, response.status_code)
        assert "passwd" not in response.text or response.status_code != 200


def test_a_symlink_out_of_the_office_is_refused(
    client: TestClient, office: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("titre: secret\n", encoding="utf-8")
    (office / "communiques" / "lien.yaml").symlink_to(outside)
    for response in (
        client.get("/editer/lien.yaml"),
        client.post(
            "/api/enregistrer/lien.yaml", json={"version": "", "texte": "x: 1\n"}, headers=ORIGIN
        ),
        client.post("/api/apercu/lien.yaml", json={}, headers=ORIGIN),
    ):
        assert response.status_code == 403
        assert "hors du bureau" in response.text
    assert outside.read_text(encoding="utf-8") == "titre: secret\n"


# --- the office's page and the editor ------------------------------------------------------------


def test_the_office_page_names_its_organisations_and_reads_none_outside(
    client: TestClient, office: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "ailleurs.yaml"
    outside.write_text("nom: Organisation hors du bureau\nsigle: HORS\n", encoding="utf-8")
    (office / "organisations" / "lien.yaml").symlink_to(outside)
    (office / "organisations" / "cassee.yaml").write_text("nom: [\n", encoding="utf-8")
    html = client.get("/").text
    heading = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert heading == (
        "Communiqués de presse : Délégation pour l&#39;action extérieure des collectivités"
        " territoriales (DAECT)"
    )
    assert "HORS" not in html


def test_the_office_page_lists_each_communique_with_its_state(client: TestClient) -> None:
    html = client.get("/").text
    assert "Annonce des lauréats au label EXPE-CT" in html
    assert "2021-04-19" in html and "annonce-laureats" in html
    assert "jamais construit" in html
    assert "0 erreur, 0 avertissement" in html
    for modele in ("communique", "annonce-laureats", "annonce-comite"):
        assert f'<option value="{modele}"' in html


def test_the_editor_has_a_visible_label_for_every_field(client: TestClient) -> None:
    import re

    html = client.get(f"/editer/{NAME}").text
    ids = re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html)
    assert "champ-titre" in ids and "champ-comite-date" in ids
    for identifier in ids:
        assert f'for="{identifier}"' in html, identifier
    assert 'value="Annonce des lauréats au label EXPE-CT"' in html
    assert html.count('data-col="nom"') == 11 + 2  # the laureates, and the empty rows' templates
    assert 'type="date" id="champ-date"' in html and 'aria-required="true"' in html


def test_the_editor_offers_the_programme_s_laureate_types(client: TestClient, office: Path) -> None:
    """The type of a laureate is chosen among those the programme declares, by their names;
    a type it does not declare stays as written, so saving never changes it (check says so)."""
    programme = office / "programmes" / "expe-ct.yaml"
    programme.write_text(
        programme.read_text(encoding="utf-8")
        + "types_laureats:\n  entreprise: {singulier: entreprise, pluriel: entreprises}\n"
        "  ecole: {singulier: école, pluriel: écoles}\n",
        encoding="utf-8",
    )
    html = client.get(f"/editer/{NAME}").text
    assert '<option value="entreprise">entreprise</option>' in html
    assert '<option value="ecole">école</option>' in html
    assert '<option value="region" selected>region</option>' in html  # the example's, kept
    assert ">département</option>" not in html  # the defaults are not offered


def test_new_communique_from_a_modele(client: TestClient, office: Path) -> None:
    response = client.post(
        "/api/nouveau", json={"modele": "annonce-comite", "nom": "Comité de mai"}, headers=ORIGIN
    )
    assert response.status_code == 201
    assert response.json()["adresse"] == "/editer/comite-de-mai.yaml"
    text = (office / "communiques" / "comite-de-mai.yaml").read_text(encoding="utf-8")
    assert "modele: annonce-comite" in text and "emetteur: daect" in text
    again = client.post(
        "/api/nouveau", json={"modele": "annonce-comite", "nom": "Comité de mai"}, headers=ORIGIN
    )
    assert again.status_code == 403 and "existe déjà" in again.json()["erreur"]
    unknown = client.post("/api/nouveau", json={"modele": "../../etc", "nom": "y"}, headers=ORIGIN)
    assert unknown.status_code == 403 and "modèle inconnu" in unknown.json()["erreur"]


def test_new_communique_from_the_office_own_modele(client: TestClient, office: Path) -> None:
    """The example office declares its own modèle (templates/appel-a-projets.modele.yaml)."""
    response = client.post(
        "/api/nouveau", json={"modele": "appel-a-projets", "nom": "note"}, headers=ORIGIN
    )
    assert response.status_code == 201
    text = (office / "communiques" / "note.yaml").read_text(encoding="utf-8")
    assert "modele: appel-a-projets" in text and "donnees:" in text


# --- preview ---------------------------------------------------------------------------------------


def test_preview_shows_the_pages_and_the_finding_at_its_field(client: TestClient) -> None:
    response = client.post(
        f"/api/apercu/{NAME}", json={"donnees": {"titre": "Annnonce des lauréats"}}, headers=ORIGIN
    )
    data = response.json()
    assert not data["echec"] and len(data["pages"]) == 1
    import base64

    page = Image.open(io.BytesIO(base64.b64decode(data["pages"][0])))
    assert page.size == (794, 1123)  # A4 at 96 pixels per inch
    spelling = [c for c in data["constats"] if c["regle"] == "orthographe"]
    assert spelling[0]["champ"] == "titre" and "Annnonce" in spelling[0]["message"]
    assert spelling[0]["ici"] and spelling[0]["ligne"] == 8
    assert set(data["durees"]) == {"validation", "relecture", "mise_en_page", "rasterisation"}


def test_preview_of_a_data_error_names_the_field_and_keeps_no_pages(client: TestClient) -> None:
    data = client.post(
        f"/api/apercu/{NAME}", json={"donnees": {"date": "2021-13-45"}}, headers=ORIGIN
    ).json()
    assert data["echec"] and data["pages"] == []
    assert data["constats"][0]["champ"] == "date" and data["constats"][0]["niveau"] == "erreur"


def test_preview_never_writes_the_file(client: TestClient, office: Path) -> None:
    before = (office / "communiques" / NAME).read_bytes()
    client.post(f"/api/apercu/{NAME}", json={"donnees": {"titre": "Autre"}}, headers=ORIGIN)
    assert (office / "communiques" / NAME).read_bytes() == before
    assert sorted(p.name for p in (office / "communiques").iterdir()) == [NAME]


# --- saving ------------------------------------------------------------------------------------------


def test_save_keeps_comments_order_and_layout(client: TestClient, office: Path) -> None:
    path = office / "communiques" / NAME
    before = path.read_text(encoding="utf-8")
    version = client.get(f"/api/version/{NAME}").json()["version"]
    laureats = [
        {"nom": "Ville de Lyon", "type": "commune"},
        {"nom": "Région Bretagne", "type": "region"},
        {"nom": "Ville de Brest", "type": "commune"},
    ]
    response = client.post(
        f"/api/enregistrer/{NAME}",
        json={
            "version": version,
            "donnees": {"titre": "Annonce : les lauréats # 2021", "comite": {"laureats": laureats}},
        },
        headers=ORIGIN,
    )
    assert response.status_code == 200
    after = path.read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0]  # the leading comment
    assert "# Liste ILLUSTRATIVE" in after
    assert "titre: 'Annonce : les lauréats # 2021'" in after  # quoted: YAML's traps avoided
    assert "    - {nom: Région Bretagne, type: region}" in after  # the rows keep their style
    assert load(path).communique.titre == "Annonce : les lauréats # 2021"
    assert [x.nom for x in load(path).communique.comite.laureats] == [x["nom"] for x in laureats]  # type: ignore[union-attr]
    assert [line.split(":")[0] for line in after.splitlines() if line and line[0].isalpha()] == [
        line.split(":")[0] for line in before.splitlines() if line and line[0].isalpha()
    ]
    assert not list((office / "communiques").glob(".*.part"))


def test_an_unchanged_save_rewrites_the_same_bytes(client: TestClient, office: Path) -> None:
    path = office / "communiques" / NAME
    before = path.read_bytes()
    version = client.get(f"/api/version/{NAME}").json()["version"]
    data = {"titre": "Annonce des lauréats au label EXPE-CT", "date": "2021-04-19", "lieu": "Paris"}
    assert (
        client.post(
            f"/api/enregistrer/{NAME}", json={"version": version, "donnees": data}, headers=ORIGIN
        ).status_code
        == 200
    )
    assert path.read_bytes() == before


def test_a_file_changed_on_disk_is_never_overwritten_silently(
    client: TestClient, office: Path
) -> None:
    path = office / "communiques" / NAME
    opened = client.get(f"/api/version/{NAME}").json()["version"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("lieu: Paris", "lieu: Lyon"), encoding="utf-8"
    )
    on_disk = path.read_text(encoding="utf-8")
    response = client.post(
        f"/api/enregistrer/{NAME}",
        json={"version": opened, "donnees": {"titre": "Mon titre"}},
        headers=ORIGIN,
    )
    assert response.status_code == 409
    conflict = response.json()
    assert conflict["disque"] == on_disk and "titre: Mon titre" in conflict["votre_texte"]
    assert path.read_text(encoding="utf-8") == on_disk
    # Keeping one's own version, knowingly: saved over the version just shown.
    kept = client.post(
        f"/api/enregistrer/{NAME}",
        json={"version": conflict["version"], "donnees": {"titre": "Mon titre"}},
        headers=ORIGIN,
    )
    assert kept.status_code == 200
    assert "titre: Mon titre" in path.read_text(
        encoding="utf-8"
    ) and "lieu: Lyon" in path.read_text(encoding="utf-8")


# --- downloads, logo, build ------------------------------------------------------------------------


def test_downloads_are_what_build_writes(client: TestClient, office: Path) -> None:
    path = office / "communiques" / NAME
    expected = render(load(path), Theme.of(PressOffice(office)), ("pdf", "docx"))
    pdf = client.get(f"/telecharger/{NAME}?format=pdf")
    assert pdf.headers["content-disposition"] == 'attachment; filename="2021-04-19-expe-ct.pdf"'
    assert pdf.content == expected["pdf"]
    docx = client.get(f"/telecharger/{NAME}?format=docx")
    assert docx_text(docx.content) == docx_text(expected["docx"])
    eml = client.get(f"/telecharger/{NAME}?format=eml")
    message = email.message_from_bytes(eml.content, policy=email.policy.default)
    assert (
        message["Subject"].replace("\u00a0", " ")
        == "Communiqué de presse : Annonce des lauréats au label EXPE-CT"
    )
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "2021-04-19-expe-ct.pdf"
    assert "EXPE-CT" in pdf_text(attachment.get_content())
    assert client.get(f"/telecharger/{NAME}?format=exe").status_code == 400


def test_a_logo_is_checked_by_content_and_size(client: TestClient, office: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, "PNG")
    ok = client.post(
        "/api/logo", content=buffer.getvalue(), headers={**ORIGIN, "X-Nom-Fichier": "Mon logo.png"}
    )
    assert ok.status_code == 201 and ok.json()["logo"] == "logos/mon-logo.png"
    assert (office / "assets" / "logos" / "mon-logo.png").read_bytes() == buffer.getvalue()
    fake = client.post(
        "/api/logo",
        content=b"<svg onload=alert(1)>",
        headers={**ORIGIN, "X-Nom-Fichier": "faux.png"},
    )
    assert fake.status_code == 403 and "PNG ou JPEG" in fake.json()["erreur"]
    big = client.post(
        "/api/logo",
        content=b"\x89PNG\r\n\x1a\n" + b"0" * 600_000,
        headers={**ORIGIN, "X-Nom-Fichier": "gros.png"},
    )
    assert big.status_code == 413
    escape = client.post(
        "/api/logo",
        content=buffer.getvalue(),
        headers={**ORIGIN, "X-Nom-Fichier": "../../evil.png"},
    )
    assert escape.json()["logo"] == "logos/evil.png"
    assert not (office.parent / "evil.png").exists()


def test_build_all_reports_progress_and_writes_the_outputs(
    client: TestClient, office: Path
) -> None:
    assert client.post("/api/construire", headers=ORIGIN).json()["en_cours"]
    for _ in range(300):
        state = client.get("/api/construire").json()
        if not state["en_cours"]:
            break
        time.sleep(0.1)
    assert state == {"en_cours": False, "fait": 1, "total": 1, "erreurs": 0}
    assert (office / "build" / "2021-04-19-expe-ct.pdf").is_file()
    assert "à jour" in client.get("/").text


# --- the command -------------------------------------------------------------------------------------


def test_the_command_prints_the_address_first_and_stops_on_ctrl_c(office: Path) -> None:
    process = studio_process(office)
    try:
        address = process.stdout.readline().strip()  # type: ignore[union-attr]
        assert address.startswith("http://127.0.0.1:") and "/?jeton=" in address
        base = address.split("/?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "/", timeout=10)
        assert refused.value.code == 403
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        assert "EXPE-CT" in opener.open(address, timeout=10).read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Studio arrêté." in out


def test_listening_elsewhere_warns(office: Path) -> None:
    process = studio_process(office, "--hote", "0.0.0.0")
    try:
        process.stdout.readline()  # type: ignore[union-attr]
        warning = process.stderr.readline()  # type: ignore[union-attr]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    assert "visible d'autres machines" in warning and "jeton reste exigé" in warning
