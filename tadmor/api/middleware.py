"""Pure ASGI middleware: security headers on every response, a request-body size limit, and a last-resort
JSON 500 (inside the headers middleware, so even a crash answers with the headers and the error shape)."""

from __future__ import annotations

import json
import logging

from starlette.exceptions import HTTPException

from .errors import body

log = logging.getLogger(__name__)

# Article text is untrusted: the pages run only our own static scripts and styles.
CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; style-src 'self'; form-action 'self'")
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def too_large(limit: int) -> HTTPException:
    return HTTPException(413, f"request body larger than {limit} bytes")


async def _send_json(send, status: int, payload: dict) -> None:
    data = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


class SecurityHeaders:
    """Adds the security headers to every HTTP response, and turns an uncaught exception into a JSON 500."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except HTTPException as exc:
            if started:
                raise
            await _send_json(send_with_headers, exc.status_code, body("too_large" if exc.status_code == 413 else "http",
                                                                      str(exc.detail)))
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise
            await _send_json(send_with_headers, 500, body("internal", "internal error"))


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413: at once by Content-Length, else while reading."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await _send_json(send, 400, body("bad_request", "invalid Content-Length"))
                if declared > self.limit:
                    exc = too_large(self.limit)
                    return await _send_json(send, 413, body("too_large", exc.detail))
        seen = 0

        async def counting_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large(self.limit)
            return message

        await self.app(scope, counting_receive, send)
