"""`--hote-autorise`: each resource fetched once per communiqué (PDF and DOCX share it), within
a time budget a trickling server cannot stretch and a size budget, each refusal on `modele`."""

from __future__ import annotations

import base64
import contextlib
import http.server
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import pdf_text, render_file

from communiques.cli import main
from communiques.errors import DataErrors
from communiques.render.remote import REMOTE_MAX

MINIMAL = "lieu: Paris\ndate: 2021-04-19\nemetteur: daect\n"
PIXEL = base64.b64decode(  # a 1×1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
TRICKLE = 30
"""Seconds the slow server keeps sending, one byte a second: longer than the budget (10 s),
so that without it the build would wait for all of them."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """On 127.0.0.1: /pixel.png; /lent.png, whose answer comes one byte a second; /gros.png,
    one byte more than the size budget."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            if self.path == "/lent.png":
                answer = b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n" + PIXEL
                try:
                    for byte in answer[:TRICKLE]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(1)
                except OSError:  # the client gave up, as it should
                    return
                return
            body = PIXEL if self.path == "/pixel.png" else b"\0" * (REMOTE_MAX + 1)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def with_image(office: Path, url: str) -> Path:
    """A communiqué whose office template shows the image at `url`."""
    (office / "templates" / "maison.html.j2").write_text(
        '{% extends "_base.html.j2" %}\n{% block corps %}<img src="'
        + url
        + '" alt="Image distante">{% endblock %}\n',
        encoding="utf-8",
    )
    path = office / "communiques" / "essai.yaml"
    path.write_text("modele: maison\ntitre: T\n" + MINIMAL, encoding="utf-8")
    return path


def refusals(path: Path, formats: tuple[str, ...]) -> list[str]:
    with pytest.raises(DataErrors) as raised:
        render_file(path, formats, ("127.0.0.1",))
    return [str(error).removeprefix(f"{error.path}:") for error in raised.value]


def test_a_resource_is_fetched_once_for_the_pdf_and_the_docx(
    office: Path, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, requests = server
    path = with_image(office, f"{base}/pixel.png")
    out = tmp_path / "sortie"
    result = CliRunner().invoke(
        main, ["build", str(path), "--out", str(out), "--hote-autorise", "127.0.0.1"]
    )
    assert result.exit_code == 0, result.output
    assert requests == ["/pixel.png"]
    media = zipfile.ZipFile(out / "essai.docx").namelist()
    assert any(name.startswith("word/media/") for name in media)
    assert "T" in pdf_text((out / "essai.pdf").read_bytes())
    # Another build asks again: the cache belongs to one build, not to the process.
    render_file(path, ("pdf", "docx"), ("127.0.0.1",))
    assert requests == ["/pixel.png", "/pixel.png"]


def test_a_server_sending_a_byte_a_second_is_cut_at_the_budget(
    office: Path, server: tuple[str, list[str]]
) -> None:
    """The budget covers the whole answer, headers included, and is spent once for both
    formats: the refusal is remembered with the resource."""
    base, requests = server
    path = with_image(office, f"{base}/lent.png")
    started = time.monotonic()
    assert refusals(path, ("pdf", "docx")) == [
        f"1:9: erreur: modele: ressource trop lente : {base}/lent.png n'est pas arrivée en "
        "10 s ; mettez le fichier dans assets/"
    ]
    assert 9 < time.monotonic() - started < TRICKLE - 5
    assert requests == ["/lent.png"]


def test_a_resource_over_the_size_budget_is_a_clear_error_on_modele(
    office: Path, server: tuple[str, list[str]]
) -> None:
    base, requests = server
    path = with_image(office, f"{base}/gros.png")
    assert refusals(path, ("pdf", "docx")) == [
        f"1:9: erreur: modele: ressource trop volumineuse : {base}/gros.png dépasse 5 Mo ; "
        "réduisez-la ou mettez le fichier dans assets/"
    ]
    assert requests == ["/gros.png"]
