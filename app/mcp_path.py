"""`/mcp/` is the MCP endpoint too: the path is rewritten to `/mcp` before anything routes it.

Without this the SDK's router answers `/mcp/` with a 307 redirect, which several MCP clients do
not follow for a POST.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

MCP_PATH = "/mcp"


class McpTrailingSlashMiddleware:
    """Serves `/mcp/` as `/mcp` (every method; the query string is kept)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == MCP_PATH + "/":
            scope = {**scope, "path": MCP_PATH, "raw_path": MCP_PATH.encode()}
        await self.app(scope, receive, send)
