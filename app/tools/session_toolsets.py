"""Per-session surface: a session's config may narrow the tools, prompts and resources it sees
and may use; names the session cannot see answer the protocol's codes for unknown names."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.shared.uri_template import UriTemplate
from mcp_types import INVALID_PARAMS, CallToolResult, TextContent

from app.request_config.model import session_config_of
from app.tools.calls import CURRENT_REQUEST, TOOLSET_META
from app.tools.toolsets import surface_toolsets

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

#: "Resource not found" of the handshake-era specifications (2024-11-05 to 2025-11-25); from
#: 2026-07-28 on an unknown resource is invalid params (-32602) and -32002 is retired.
RESOURCE_NOT_FOUND = -32002
_RETIRED_NOT_FOUND_FROM = "2026-07-28"
#: The list results to narrow, and the key of each item's name.
_LISTS = {"tools/list": ("tools", "name"), "prompts/list": ("prompts", "name"),
          "resources/list": ("resources", "uri"),
          "resources/templates/list": ("resourceTemplates", "uriTemplate")}


class SessionToolsetsMiddleware(ServerMiddleware[Any]):
    """Hides and refuses tools, prompts and resources outside the session's `toolsets` (when
    it names any), answers unknown names with the specification's error codes, and makes the
    request's session visible to handlers the SDK gives no `Context` (`CURRENT_REQUEST`).

    Tools without a toolset (`server_status`) are always available. A session can only narrow
    what the server serves, never add toolsets the server does not have.
    """

    def __init__(self) -> None:
        self._server: MCPServer | None = None
        self._toolset_of: dict[str, str] | None = None
        self._tool_names: frozenset[str] = frozenset()
        self._surface = surface_toolsets()

    def attach(self, server: MCPServer) -> None:
        """Bind to the server whose tools carry their toolset in `_meta`."""
        self._server = server

    async def _toolsets(self) -> dict[str, str]:
        if self._toolset_of is None:
            tools = await self._server.list_tools() if self._server else []
            self._tool_names = frozenset(tool.name for tool in tools)
            self._toolset_of = {tool.name: str(tool.meta[TOOLSET_META]) for tool in tools
                                if tool.meta and TOOLSET_META in tool.meta}
        return self._toolset_of

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        token = CURRENT_REQUEST.set(ctx.request)
        try:
            session = session_config_of(ctx.request)
            allowed: set[str] | None = (set(session.toolsets)
                                        if session and session.toolsets is not None else None)
            await self._toolsets()
            refusal = await self._refusal(ctx, allowed)
            if refusal is not None:
                return refusal
            result = await call_next(ctx)
            return self._narrowed(ctx.method, result, allowed)
        finally:
            CURRENT_REQUEST.reset(token)

    async def _refusal(self, ctx: ServerRequestContext[Any, Any], allowed: set[str] | None
                       ) -> HandlerResult:
        """A refusal of a call naming something unknown or hidden, or None to go ahead."""
        params = ctx.params or {}
        match ctx.method:
            case "tools/call":
                return await self._tool_refusal(params.get("name"), allowed)
            case "prompts/get":
                await self._check_prompt(params.get("name"), allowed)
            case "resources/read":
                await self._check_resource(str(params.get("uri")), allowed,
                                           ctx.protocol_version)
            case "completion/complete":
                await self._check_reference(params.get("ref"), allowed)
        return None

    async def _tool_refusal(self, name: Any, allowed: set[str] | None) -> HandlerResult:
        toolset_of = await self._toolsets()
        if name not in self._tool_names:
            raise MCPError(code=INVALID_PARAMS, message=f"Unknown tool: {str(name)[:100]}; "
                           "tools/list gives the tools this server has.")
        toolset = toolset_of.get(name)
        if allowed is not None and toolset is not None and toolset not in allowed:
            return CallToolResult(is_error=True, content=[TextContent(
                type="text", text=f"tool {name!r} belongs to the {toolset!r} toolset, which "
                f"this session's configuration leaves out (toolsets: "
                f"{', '.join(sorted(allowed)) or 'none'}).")])
        return None

    def _visible(self, name: str, allowed: set[str] | None) -> bool:
        toolset = self._surface.get(name) or (self._toolset_of or {}).get(name)
        return allowed is None or toolset is None or toolset in allowed

    async def _check_prompt(self, name: Any, allowed: set[str] | None) -> None:
        prompts = [p.name for p in await self._server.list_prompts()] if self._server else []
        visible = [p for p in prompts if self._visible(p, allowed)]
        if name not in visible:
            raise MCPError(code=INVALID_PARAMS,
                           message=f"Unknown prompt: {str(name)[:100]}; prompts: "
                                   f"{', '.join(sorted(visible)) or 'none'}.")

    async def _resource_names(self) -> tuple[list[str], list[str]]:
        if self._server is None:
            return [], []
        return ([str(r.uri) for r in await self._server.list_resources()],
                [t.uri_template for t in await self._server.list_resource_templates()])

    async def _check_resource(self, uri: str, allowed: set[str] | None, version: str) -> None:
        resources, templates = await self._resource_names()
        found = next((r for r in resources if r == uri), None) or next(
            (t for t in templates if UriTemplate.parse(t).match(uri) is not None), None)
        if found is not None and self._visible(found, allowed):
            return
        code = INVALID_PARAMS if version >= _RETIRED_NOT_FOUND_FROM else RESOURCE_NOT_FOUND
        raise MCPError(code=code, message="Resource not found", data={"uri": uri[:500]})

    async def _check_reference(self, ref: Any, allowed: set[str] | None) -> None:
        ref = ref if isinstance(ref, dict) else {}
        if ref.get("type") == "ref/prompt":
            await self._check_prompt(ref.get("name"), allowed)
            return
        _, templates = await self._resource_names()
        uri = ref.get("uri")
        if uri not in [t for t in templates if self._visible(t, allowed)]:
            raise MCPError(code=INVALID_PARAMS,
                           message=f"Unknown resource template: {str(uri)[:200]}")

    def _narrowed(self, method: str, result: HandlerResult,
                  allowed: set[str] | None) -> HandlerResult:
        """`result` of a list method without the items the session cannot see."""
        if allowed is None or method not in _LISTS:
            return result
        key, field = _LISTS[method]

        def visible(item: Any) -> bool:
            name = item.get(field) if isinstance(item, dict) else getattr(
                item, {"uriTemplate": "uri_template"}.get(field, field), None)
            return self._visible(str(name), allowed)

        # The SDK hands middleware the wire form (a dict) or, in-process, the model.
        if isinstance(result, dict) and isinstance(result.get(key), list):
            return {**result, key: [item for item in result[key] if visible(item)]}
        attribute = {"resourceTemplates": "resource_templates"}.get(key, key)
        if result is not None and not isinstance(result, dict) and hasattr(result, attribute):
            return result.model_copy(update={attribute: [
                item for item in getattr(result, attribute) if visible(item)]})
        return result
