"""Serves the page for people at `/` (and at `/mcp` to a browser) and the static server card.

In front of the inbound security chain but behind its Host/Origin check: the page and the card
hold no secret and need no API key (a scanner or a person must be able to read them), yet they
echo the request's host, so a disallowed Host still gets 421.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import __version__
from app.config import Settings
from app.http_headers import optional_header, request_headers
from app.landing.page import ALWAYS, PageFacts, render_page
from app.landing.server_card import SERVER_CARD_PATH, server_card
from app.security.origin import HostOriginMiddleware
from app.services import Services
from app.tools.calls import TOOLSET_META

MCP_PATH = "/mcp"
#: The page holds no script and loads nothing: forbid everything but its inline style.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def wants_page(scope: Scope) -> bool:
    """A browser navigating to `/` or `/mcp` (an MCP client's GET asks for an event stream)."""
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    if scope["path"] == "/":
        return True
    if scope["path"] != MCP_PATH:
        return False
    accept = optional_header(request_headers(scope), "accept") or ""
    return "text/html" in accept and "text/event-stream" not in accept


def mcp_url(request: Request) -> str:
    """The endpoint's URL as this request reached the server (scheme from the proxy if trusted)."""
    return str(request.base_url.replace(path=MCP_PATH, query="", fragment=""))


class LandingMiddleware:
    """Answers the page and the server card; passes every other request to `app`."""

    def __init__(self, app: ASGIApp, settings: Settings, server: MCPServer,
                 services: Services) -> None:
        self.app = app
        self.settings = settings
        self.server = server
        self.services = services
        self._own = HostOriginMiddleware(self._respond, settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if wants_page(scope) or (scope["type"] == "http" and scope["path"] == SERVER_CARD_PATH):
            await self._own(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _respond(self, scope: Scope, receive: Receive, send: Send) -> None:
        response: Response
        if scope["path"] == SERVER_CARD_PATH:
            card = await server_card(self.server, api_keys_required=self._keys_required)
            response = JSONResponse(card, headers={"Cache-Control": "no-store"})
        else:
            response = HTMLResponse(render_page(await self.facts(Request(scope))),
                                    headers=PAGE_HEADERS)
        await response(scope, receive, send)

    @property
    def _keys_required(self) -> bool:
        return bool(self.settings.tab_mcp_api_keys)

    async def facts(self, request: Request) -> PageFacts:
        """What the page shows for this request."""
        ready, reason = await self.services.readiness()
        return PageFacts(
            name=self.server.name, title=self.server.title or self.server.name,
            version=__version__, mcp_url=mcp_url(request), sandbox=self.services.sandbox,
            upstream=upstream_label(self.settings), api_keys_required=self._keys_required,
            ready=ready, ready_reason=reason, tools=await tools_by_toolset(self.server))


async def tools_by_toolset(server: MCPServer) -> dict[str, list[tuple[str, str]]]:
    """The server's live tool list grouped by toolset, with each tool's first sentence."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for tool in await server.list_tools():
        meta: dict[str, Any] = tool.meta or {}
        toolset = str(meta.get(TOOLSET_META, ALWAYS))
        summary = " ".join((tool.description or "").split()).split(". ", 1)[0]
        grouped.setdefault(toolset, []).append((tool.name, summary.rstrip(".")))
    return dict(sorted(grouped.items(), key=lambda item: item[0] != ALWAYS))


def upstream_label(settings: Settings) -> str:
    """Where the data comes from and how the server authenticates there (no credential)."""
    if settings.tab_sandbox:
        return "the built-in sandbox (simulated data)"
    return f"{settings.tab_base_url} ({settings.credentials.mode.value.replace('_', ' ')})"
