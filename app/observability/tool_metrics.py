"""Records every tool call's outcome and duration, around the MCP SDK's own handling."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp_types import CallToolResult
from prometheus_client import Counter, Histogram

from app.observability.metrics import TOOL_CALLS, TOOL_DURATION

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer


class ToolMetricsMiddleware(ServerMiddleware[Any]):
    """Counts `tools/call` by tool and outcome.

    Names the server does not list count as "unknown", so the label stays bounded.
    """

    def __init__(self) -> None:
        self._server: MCPServer | None = None
        self._known: frozenset[str] | None = None
        self._children: dict[tuple[str, str], tuple[Counter, Histogram]] = {}

    def attach(self, server: MCPServer) -> None:
        """Bind to the server whose tool names bound the `tool` label."""
        self._server = server

    async def _known_tools(self) -> frozenset[str]:
        if self._known is None:
            tools = await self._server.list_tools() if self._server else []
            self._known = frozenset(tool.name for tool in tools)
        return self._known

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if ctx.method != "tools/call":
            return await call_next(ctx)
        name = ctx.params.get("name") if ctx.params else None
        known = await self._known_tools()
        tool = name if isinstance(name, str) and name in known else "unknown"
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await call_next(ctx)
            match result:
                case CallToolResult(is_error=True) | {"isError": True}:
                    outcome = "error"
                case _:
                    outcome = "ok"
            return result
        finally:
            calls, duration = self._series(tool, outcome)
            calls.inc()
            duration.observe(time.perf_counter() - started)

    def _series(self, tool: str, outcome: str) -> tuple[Counter, Histogram]:
        """The labelled metric children of a call, resolved once per tool and outcome."""
        series = self._children.get((tool, outcome))
        if series is None:
            series = (TOOL_CALLS.labels(tool=tool, outcome=outcome),
                      TOOL_DURATION.labels(tool=tool))
            self._children[tool, outcome] = series
        return series
