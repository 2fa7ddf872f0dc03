"""tadmor's exceptions → HTTP statuses and one JSON error shape, in one place.

Every error answer is ``{"error": {"code", "message", "details"?}}``; no
traceback reaches a client (the log gets it).
"""

from __future__ import annotations

import logging

from ..errors import ConfigError, InputError, StoreError, TadmorError, UsageError

log = logging.getLogger(__name__)

# The one mapping from tadmor's exception tree to HTTP statuses (most specific first).
STATUS: tuple[tuple[type[TadmorError], int], ...] = (
    (UsageError, 400),    # a request that cannot be done as asked (bad filter value, since > until)
    (InputError, 422),    # an article that cannot be read
    (StoreError, 500),    # the database failed
    (ConfigError, 500),
    (TadmorError, 500),
)


class ApiError(TadmorError):
    """An HTTP-level refusal raised by the API itself (not found, too large)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code = status, code


def status_of(exc: TadmorError) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def body(code: str, message: str, details: list | None = None) -> dict:
    err: dict = {"code": code, "message": message}
    if details is not None:
        err["details"] = details
    return {"error": err}


def install(app) -> None:
    """Register the exception handlers on a FastAPI app."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException

    @app.exception_handler(TadmorError)
    async def _tadmor(request, exc: TadmorError):
        status = status_of(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
            message = f"{exc.code} error: {exc}" if isinstance(exc, StoreError) else "internal error"
        else:
            message = str(exc)
        return JSONResponse(body(exc.code, message), status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError):
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                   for e in exc.errors()]
        first = details[0] if details else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first["loc"])
        return JSONResponse(body("invalid", f"{where}: {first['msg']}" if where else first["msg"], details),
                            status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request, exc: HTTPException):
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(exc.status_code, "http")
        return JSONResponse(body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _bug(request, exc: Exception):
        log.error("%s %s: unexpected error", request.method, request.url.path, exc_info=exc)
        return JSONResponse(body("internal", "internal error"), status_code=500)
