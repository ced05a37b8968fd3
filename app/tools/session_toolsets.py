"""Per-session toolsets: a session's config may narrow the tools it sees and may call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp_types import CallToolResult, ListToolsResult, TextContent

from app.request_config.model import session_config_of
from app.tools.calls import TOOLSET_META

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer


class SessionToolsetsMiddleware(ServerMiddleware[Any]):
    """Hides and refuses tools outside the session's `toolsets` (when the session names any).

    Tools without a toolset (`server_status`) are always available. A session can only narrow
    what the server serves, never add toolsets the server does not have.
    """

    def __init__(self) -> None:
        self._server: MCPServer | None = None
        self._toolset_of: dict[str, str] | None = None

    def attach(self, server: MCPServer) -> None:
        """Bind to the server whose tools carry their toolset in `_meta`."""
        self._server = server

    async def _toolsets(self) -> dict[str, str]:
        if self._toolset_of is None:
            tools = await self._server.list_tools() if self._server else []
            self._toolset_of = {tool.name: str(tool.meta[TOOLSET_META]) for tool in tools
                                if tool.meta and TOOLSET_META in tool.meta}
        return self._toolset_of

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if ctx.method not in ("tools/list", "tools/call"):
            return await call_next(ctx)
        session = session_config_of(ctx.request)
        allowed = set(session.toolsets) if session and session.toolsets is not None else None
        if allowed is None:
            return await call_next(ctx)
        toolset_of = await self._toolsets()
        if ctx.method == "tools/call":
            name = ctx.params.get("name") if ctx.params else None
            toolset = toolset_of.get(name) if isinstance(name, str) else None
            if toolset is not None and toolset not in allowed:
                return CallToolResult(is_error=True, content=[TextContent(
                    type="text", text=f"tool {name!r} belongs to the {toolset!r} toolset, which "
                    f"this session's configuration leaves out (toolsets: "
                    f"{', '.join(sorted(allowed)) or 'none'}).")])
            return await call_next(ctx)
        def visible(name: str) -> bool:
            return name not in toolset_of or toolset_of[name] in allowed

        result = await call_next(ctx)
        # The SDK hands middleware the wire form (a dict) or, in-process, the model.
        if isinstance(result, ListToolsResult):
            return result.model_copy(
                update={"tools": [tool for tool in result.tools if visible(tool.name)]})
        if isinstance(result, dict) and isinstance(result.get("tools"), list):
            return {**result, "tools": [tool for tool in result["tools"]
                                        if visible(str(tool.get("name")))]}
        return result
