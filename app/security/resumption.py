"""Stream resumption requests on a server that keeps no event history.

The MCP endpoint runs without an event store (stateless HTTP), so there is nothing to replay
after a `Last-Event-ID`. mcp 2.3 answers such a GET with no response at all (uvicorn turns that
into a 500); dropping the header gives the client what resumption can offer here: a fresh
stream. Remove this guard if an event store is ever configured.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from app.http_headers import request_headers

LAST_EVENT_ID = "last-event-id"


class DropLastEventIdMiddleware:
    """Removes `Last-Event-ID` from requests (no event store: nothing to resume from)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and LAST_EVENT_ID in request_headers(scope):
            del MutableHeaders(scope=scope)[LAST_EVENT_ID]
        await self.app(scope, receive, send)
