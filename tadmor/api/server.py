"""Running the app under uvicorn: in the foreground (``serve``) or in a background thread (``BackgroundServer``,
for tests and the demo)."""

from __future__ import annotations

import socket
import sys
import threading
import time
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from fastapi import FastAPI


def _check_bind(host: str, port: int) -> None:
    if not 0 <= port <= 65535:
        raise UsageError(f"port must be 0..65535, not {port}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UsageError(f"cannot resolve host {host!r}: {exc}") from None
    family, *_rest, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def url_of(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(db: str = "tadmor.duckdb", host: str = "127.0.0.1", port: int = 8000, *, app: "FastAPI | None" = None,
          log_level: str = "info") -> None:
    """Serve the API and the web app until interrupted; prints the URL to open (on stderr)."""
    import uvicorn

    from .app import create_app

    _check_bind(host, port)
    app = app or create_app(db)
    sys.stderr.write(f"tadmor: serving {db} at {url_of(host, port)} (API docs at {url_of(host, port)}docs)\n")
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class BackgroundServer:
    """uvicorn in a daemon thread on ``host:port`` (a free port by default); ``with`` stops it."""

    def __init__(self, app: "FastAPI", host: str = "127.0.0.1", port: int | None = None, log_level: str = "warning"):
        import uvicorn

        self.host, self.port = host, port or free_port(host)
        config = uvicorn.Config(app, host=self.host, port=self.port, log_level=log_level, server_header=False,
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="tadmor-uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return url_of(self.host, self.port)

    def start(self, timeout: float = 20.0) -> "BackgroundServer":
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start on {self.host}:{self.port}")
            time.sleep(0.05)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)

    def __enter__(self) -> "BackgroundServer":
        return self.start()

    def __exit__(self, *exc) -> bool:
        self.stop()
        return False
