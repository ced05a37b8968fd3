"""Request ids: one per HTTP request, bound for every log line and returned as `X-Request-ID`."""

from __future__ import annotations

import re
import secrets

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http_headers import optional_header, request_headers

_SAFE_INBOUND_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Pure ASGI middleware (safe in front of streamed responses).

    A well-formed inbound `X-Request-ID` (from a proxy) is kept, so one id follows a request
    across hops; anything else is replaced by a fresh random id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inbound = optional_header(request_headers(scope), "x-request-id") or ""
        request_id = inbound if _SAFE_INBOUND_ID.match(inbound) else secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id

        header = (b"x-request-id", request_id.encode("latin-1"))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                # What `MutableHeaders.append` does, without building one per response.
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        # Set and reset by token: `bound_contextvars` scans the whole context on every request.
        tokens = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            structlog.contextvars.reset_contextvars(**tokens)
