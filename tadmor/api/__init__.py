"""The HTTP API (FastAPI): a thin shell over the pipeline, the store and fusion.

    from tadmor.api import create_app, serve

Nothing is imported, opened or loaded here until called.
"""

from __future__ import annotations


def create_app(*args, **kwargs):
    from .app import create_app as _create

    return _create(*args, **kwargs)


def serve(db: str = "tadmor.duckdb", host: str = "127.0.0.1", port: int = 8000, **kwargs) -> None:
    from .server import serve as _serve

    _serve(db, host, port, **kwargs)


__all__ = ["create_app", "serve"]
