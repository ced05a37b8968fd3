"""Request body cap (`TAB_MCP_MAX_BODY_BYTES`): 413 before anything parses the body.

A declared `Content-Length` over the cap is refused at once; one within it is passed on
untouched (the HTTP parser frames the body by that length, and the MCP SDK counts the bytes it
reads against the same cap inside `/mcp`, so reading and buffering it here too would only
cost). A chunked body is read up to the cap here and refused as soon as it passes it.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.http_headers import optional_header, request_headers
from app.rejections import reject


class BodyLimitMiddleware:
    """Refuses request bodies larger than `max_bytes` with 413 and a JSON-RPC error."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_bytes = settings.tab_mcp_max_body_bytes

    async def _too_large(self, scope: Scope, send: Send) -> None:
        await reject(scope, send, status=413, reason="body_too_large",
                     message=f"Request body too large: at most {self.max_bytes} bytes.",
                     data={"max_bytes": self.max_bytes})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = request_headers(scope)
        declared = optional_header(headers, "content-length")
        if declared is not None and declared.strip().isdigit():
            if int(declared) > self.max_bytes:
                await self._too_large(scope, send)
                return
            if "transfer-encoding" not in headers:
                await self.app(scope, receive, send)
                return
        buffered: list[Message] = []
        size = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._too_large(scope, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)
