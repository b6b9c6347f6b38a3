"""Starting and stopping the studio: bind 127.0.0.1, print the address with its token first,
open the browser, warm the preview up, watch the office's files, and stop cleanly on Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import sys
import threading
import webbrowser
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..sources import PressOffice
from . import workspace
from .app import Studio, create_app
from .preview import Previewer
from .security import Guard, new_token

LOCALHOST = "127.0.0.1"


def serve(
    office: PressOffice,
    port: int = 0,
    host: str = LOCALHOST,
    open_browser: bool = True,
    echo: Callable[[str], None] = print,
    warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> None:
    """Run until interrupted. The first line printed is the address to open."""
    import uvicorn

    listener = _bind(host, port)
    port = listener.getsockname()[1]
    hosts = {f"{LOCALHOST}:{port}", f"localhost:{port}", f"{host}:{port}"}
    token = new_token()
    previewer = Previewer(office)
    app = create_app(office, Guard(token, frozenset(hosts)), previewer, lifespan=watching)
    shown = LOCALHOST if host in (LOCALHOST, "0.0.0.0", "::") else host
    address = f"http://{shown}:{port}/?jeton={token}"
    echo(address)
    if host != LOCALHOST:
        warn(
            f"attention : le studio écoute sur {host}, visible d'autres machines ; "
            "le jeton reste exigé, ne le partagez pas"
        )
    echo(f"Studio du bureau {office.root} : Ctrl-C pour arrêter.")
    threading.Thread(target=previewer.warm_up, daemon=True).start()
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
    config = uvicorn.Config(
        app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1, access_log=False
    )
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[listener])
    echo("Studio arrêté.")


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise UsageError(
            f"impossible d'écouter sur {host}:{port} ({exc.strerror}) : "
            "choisissez un autre port avec --port"
        ) from None
    listener.listen(64)
    return listener


@contextlib.asynccontextmanager
async def watching(app: Any) -> AsyncIterator[None]:
    """While the server runs: tell open editors when a communiqué changes on disk."""
    stop = asyncio.Event()
    task = asyncio.create_task(_watch(app.state.studio, stop))
    try:
        yield
    finally:
        stop.set()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


async def _watch(studio: Studio, stop: asyncio.Event) -> None:
    from watchfiles import awatch

    folder = studio.office.root / "communiques"
    async for changes in awatch(folder, stop_event=stop, debounce=50, step=20):
        for _, name in changes:
            path = Path(name)
            if path.name.startswith(".") or not path.is_file():
                continue
            try:
                relative = workspace.relative_name(studio.office, path)
                version = workspace.read_text(path)[1]
            except (ValueError, OSError):
                continue
            studio.announce({"fichier": relative, "version": version})
