"""The studio's routes: the office's page, the editor, and the small JSON API its script
calls (preview, save, downloads, new communiqué, logo, build all, file changes).

Pages are rendered on the server from our Jinja2 templates; the script only swaps images and
findings. Every route runs behind `security.GuardMiddleware`.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import DataErrors, Diagnostic, ResourceRefused, SendRefused
from ..sources import PressOffice
from . import form, workspace
from .preview import Previewer
from .security import Guard, GuardMiddleware
from .yamledit import edit

HERE = Path(__file__).resolve().parent
MAX_BODY = 1024 * 1024


@dataclass
class Studio:
    """What the routes share: the office, its warm previewer, the state of a build."""

    office: PressOffice
    previewer: Previewer
    out_dir: Path
    listeners: list[asyncio.Queue[str]] = field(default_factory=list)
    build: dict[str, Any] = field(default_factory=lambda: {"en_cours": False})

    def announce(self, event: dict[str, Any]) -> None:
        for queue in self.listeners:
            queue.put_nowait(json.dumps(event, ensure_ascii=False))


def create_app(
    office: PressOffice,
    guard: Guard,
    previewer: Previewer | None = None,
    lifespan: Any = None,
) -> Starlette:
    studio = Studio(office, previewer or Previewer(office), office.root / "build")
    pages = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(pages.get_template(name).render(**context), status)

    async def office_page(request: Request) -> Response:
        entries = await _thread(workspace.listing, office, studio.out_dir)
        return page(
            "bureau.html.j2",
            entries=entries,
            modeles=workspace.modeles(office),
            organisations=workspace.ids(office, "organisations"),
            emetteurs=workspace.organisation_names(office),
            bureau=office.root.name,
        )

    async def editor_page(request: Request) -> Response:
        path = _path(request)
        if not path.is_file():
            return page("erreur.html.j2", 404, message="ce communiqué n'existe pas (ou plus)")
        version = workspace.read_text(path)[1]
        data = workspace.plain_data(path)
        modele = str(data.get("modele") or "communique")
        return page(
            "editeur.html.j2",
            nom=workspace.relative_name(office, path),
            version=version,
            data=data,
            fields=form.fields(modele, office.template_dirs),
            langues=form.languages(data),
            modeles=workspace.modeles(office),
            organisations=workspace.ids(office, "organisations"),
            programmes=workspace.ids(office, "programmes"),
            types_laureat=form.laureate_types(office, data),
        )

    async def preview(request: Request) -> Response:
        path = _path(request)
        body = await _json(request)
        text = _edited(path, body)
        result = await _thread(studio.previewer.preview, path, text)
        return JSONResponse(
            {
                "perime": result.stale,
                "echec": result.failed,
                "pages": [base64.b64encode(p).decode() for p in result.pages],
                "constats": [_finding(office, f) for f in result.findings],
                "durees": result.timings,
            }
        )

    async def save(request: Request) -> Response:
        path = _path(request)
        body = await _json(request)
        text = _edited(path, body)
        saved = await _thread(workspace.save, path, text, str(body.get("version", "")))
        if not saved.saved:
            return JSONResponse(
                {
                    "conflit": True,
                    "disque": saved.disk_text,
                    "version": saved.version,
                    "votre_texte": text,
                },
                409,
            )
        return JSONResponse({"version": saved.version, "texte": text})

    async def file_version(request: Request) -> Response:
        path = _path(request)
        if not path.is_file():
            return JSONResponse({"erreur": "fichier introuvable"}, 404)
        return JSONResponse({"version": workspace.read_text(path)[1]})

    async def new(request: Request) -> Response:
        body = await _json(request)
        path = await _thread(
            workspace.create, office, str(body.get("modele", "")), str(body.get("nom", ""))
        )
        return JSONResponse({"adresse": f"/editer/{workspace.relative_name(office, path)}"}, 201)

    async def download(request: Request) -> Response:
        path = _path(request)
        kind = request.query_params.get("format", "pdf")
        if kind not in ("pdf", "docx", "eml"):
            return JSONResponse({"erreur": f"format inconnu « {kind} »"}, 400)
        name, data = await _thread(_download, office, path, kind)
        media = {
            "pdf": "application/pdf",
            "eml": "message/rfc822",
            "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        return Response(data, media_type=media[kind], headers=headers)

    async def logo(request: Request) -> Response:
        data = await request.body()
        if len(data) > workspace.LOGO_MAX:
            return JSONResponse({"erreur": "logo trop lourd : 512 Ko au plus"}, 413)
        name = request.headers.get("x-nom-fichier", "logo")
        stored = await _thread(workspace.store_logo, office, name, data)
        return JSONResponse({"logo": stored}, 201)

    async def build_all(request: Request) -> Response:
        if request.method == "POST" and not studio.build["en_cours"]:
            studio.build = {"en_cours": True, "fait": 0, "total": 0, "erreurs": 0}
            threading.Thread(target=_build_all, args=(studio,), daemon=True).start()
        return JSONResponse(studio.build)

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[str] = asyncio.Queue()
        studio.listeners.append(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield ": ouvert\n\n"
                while not await request.is_disconnected():
                    try:
                        message = await asyncio.wait_for(queue.get(), 1.0)
                    except TimeoutError:
                        continue
                    yield f"data: {message}\n\n"
            finally:
                studio.listeners.remove(queue)

        return StreamingResponse(stream(), media_type="text/event-stream")

    def _path(request: Request) -> Path:
        return workspace.communique_path(office, request.path_params["nom"])

    async def refused(request: Request, exc: Exception) -> Response:
        message = str(exc)
        if request.url.path.startswith("/api/") or request.url.path.startswith("/telecharger/"):
            status = 400 if isinstance(exc, DataErrors | SendRefused) else 403
            return JSONResponse({"erreur": message}, status)
        return page("erreur.html.j2", 403, message=message)

    app = Starlette(
        routes=[
            Route("/", office_page),
            Route("/editer/{nom:path}", editor_page),
            Route("/api/apercu/{nom:path}", preview, methods=["POST"]),
            Route("/api/enregistrer/{nom:path}", save, methods=["POST"]),
            Route("/api/version/{nom:path}", file_version),
            Route("/api/nouveau", new, methods=["POST"]),
            Route("/api/logo", logo, methods=["POST"]),
            Route("/api/construire", build_all, methods=["GET", "POST"]),
            Route("/api/evenements", events),
            Route("/telecharger/{nom:path}", download),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ],
        exception_handlers={ResourceRefused: refused, DataErrors: refused, SendRefused: refused},
        lifespan=lifespan,
    )
    app.state.studio = studio
    app.add_middleware(GuardMiddleware, guard=guard)
    return app


async def _thread(function: Any, *args: Any) -> Any:
    import anyio.to_thread

    return await anyio.to_thread.run_sync(function, *args)


async def _json(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ResourceRefused("requête trop volumineuse")
    try:
        value = json.loads(body or b"{}")
    except ValueError:
        raise ResourceRefused("requête illisible") from None
    if not isinstance(value, dict):
        raise ResourceRefused("requête illisible")
    return value


def _edited(path: Path, body: dict[str, Any]) -> str:
    """The file's text with the form's values merged in (or the text the user typed)."""
    if isinstance(body.get("texte"), str):
        return str(body["texte"])
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    values = body.get("donnees")
    return edit(path, text, values) if isinstance(values, dict) else text


def _finding(office: PressOffice, finding: Diagnostic) -> dict[str, Any]:
    here = office.holds("communiques", finding.path)
    return {**finding.as_json(), "ici": here, "texte": str(finding)}


def _download(office: PressOffice, path: Path, kind: str) -> tuple[str, bytes]:
    """The saved file's output, exactly as `build` (or `email`, for .eml) writes it."""
    from ..build import Theme, output_name, render
    from ..resolve import for_language, load

    resolved = load(path, office)
    theme = Theme.of(office)
    name = output_name(path)
    if kind in ("pdf", "docx"):
        outputs = render(resolved, theme, (kind,))
        key = kind if kind in outputs else f"{resolved.languages[0]}.{kind}"
        suffix = "" if kind in outputs else f".{resolved.languages[0]}"
        return f"{name}{suffix}.{kind}", outputs[key]
    from ..mail.message import Composer, as_bytes

    edition = for_language(resolved, resolved.languages[0])
    stem = name + (f".{resolved.languages[0]}" if len(resolved.languages) > 1 else "")
    pdf = render(edition, theme, ("pdf",))["pdf"]
    message = Composer(edition, theme, pdf, name=stem)(None, dt.datetime.now().astimezone())
    return f"{stem}.eml", as_bytes(message)


def _build_all(studio: Studio) -> None:
    from ..batch import Options, build
    from ..errors import CommuniquesError

    sources = list(studio.office.communique_files())
    studio.build["total"] = len(sources)

    def progress(event: str, source: Path, done: int, total: int) -> None:
        studio.build.update(fait=done, total=total)
        if event == "erreur":
            studio.build["erreurs"] += 1

    try:
        build(sources, Options(out_dir=studio.out_dir, jobs=1), progress)
    except CommuniquesError as exc:
        studio.build["message"] = str(exc)
    finally:
        studio.build["en_cours"] = False
