"""The FastAPI application: JSON endpoints under /api, the web app at /, OpenAPI docs at /docs.

``create_app(db)`` builds it; nothing is opened or loaded until the first request
that needs it (the store on the first query, the pipeline on the first extraction).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .state import AppState, Limits

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..pipeline import Pipeline


def create_app(db: str = "tadmor.duckdb", *, pipeline: "Pipeline | None" = None,
               pipeline_factory: Callable[[], "Pipeline"] | None = None, limits: Limits = Limits(),
               web: bool = True) -> "FastAPI":
    from contextlib import asynccontextmanager

    from fastapi import Depends, FastAPI

    from .. import __version__
    from . import documents, errors, events, fusion
    from .middleware import BodyLimit, SecurityHeaders
    from .params import state as get_state
    from .schemas import ErrorResponse, Health

    st = AppState(db, pipeline=pipeline, pipeline_factory=pipeline_factory, limits=limits)

    @asynccontextmanager
    async def lifespan(app):
        yield
        st.close()

    app = FastAPI(
        title="tadmor",
        version=__version__,
        description="Conflict news in; structured, sourced ACLED-style events out. "
                    "Every error answer is `{\"error\": {\"code\", \"message\"}}`.",
        docs_url=None, redoc_url=None,  # /docs is served offline by tadmor.web (no CDN)
        lifespan=lifespan,
        responses={400: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
    )
    app.state.tadmor = st
    errors.install(app)

    @app.get("/api/health", response_model=Health, tags=["meta"], summary="Liveness and store counts")
    def health(s: AppState = Depends(get_state)) -> Health:
        with s.locked():
            counts = s.store().counts()
        return Health(version=__version__, db=s.db, documents=counts.get("documents", 0),
                      events=counts.get("events", 0), pipeline_loaded=s.pipeline_loaded)

    app.include_router(documents.router)
    app.include_router(events.router)
    app.include_router(fusion.router)
    if web:
        from ..web import install

        install(app)
    app.add_middleware(BodyLimit, limit=limits.max_body)
    app.add_middleware(SecurityHeaders)  # added last: the outermost, so every answer carries the headers
    return app
