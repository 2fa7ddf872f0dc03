"""The typer command for the API; the main app registers it (``app.command()(commands.serve)``)."""

from __future__ import annotations

import typer


def serve(
    db: str = typer.Option("tadmor.duckdb", "--db", help="The DuckDB store to serve (created empty if missing)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; keep 127.0.0.1 unless you mean to share it."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
):
    """Serve the HTTP API and the web app (map, events, compare, paste) over a store.

    The web app is fully offline (no tile server, no CDN); the API's OpenAPI docs are at /docs.
    The server holds the database open: ingest more with the web app's paste box or
    `POST /api/documents` with `store`, or stop the server before `tadmor ingest`.

    Examples:

        tadmor serve --db tadmor.duckdb

        tadmor serve --port 8080
    """
    from . import serve as _serve

    _serve(db, host, port)
