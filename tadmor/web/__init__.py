"""The web app: static pages and ES modules served by the API process, fully offline.

Leaflet, world-atlas, topojson-client and Swagger UI are vendored under
``static/vendor`` (versions and licences in its README). Every page runs only
our own static scripts and styles (the API sets a strict Content-Security-Policy),
and article text is only ever put into the page as text, never as HTML.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

STATIC = Path(__file__).with_name("static")


def install(app: "FastAPI") -> None:
    """Serve the web app at /, the static files at /static, and offline Swagger UI at /docs."""
    from fastapi.responses import FileResponse
    from fastapi.staticfiles import StaticFiles

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html; charset=utf-8")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")
