"""Links tools to their views (`_meta.ui.resourceUri`) for the clients that can render them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp.server.apps import client_supports_apps
from mcp.server.context import CallNext, HandlerResult, ServerMiddleware, ServerRequestContext
from mcp_types import ListResourcesResult, ListToolsResult


def renders_views(ctx: ServerRequestContext[Any, Any]) -> bool:
    """Whether to offer views to this client.

    Yes when it declared the extension; no when it declared capabilities without it. A
    handshake-era client on the stateless endpoint declares its capabilities only in
    `initialize`, so later requests carry none: it is offered the links, which hosts without
    the extension ignore (`_meta` keys are extension data).
    """
    capabilities = ctx.session.client_capabilities
    return capabilities is None or client_supports_apps(ctx)


class ViewLinks(ServerMiddleware[Any]):
    """For clients that render views, stamps `_meta.ui.resourceUri` on the listed tools that
    have one. Other clients get the tools unlinked and `resources/list` without the `ui://`
    views: exactly the tools and resources they saw before views existed."""

    def __init__(self, views: Mapping[str, str]) -> None:
        self.views = dict(views)

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        if ctx.method not in ("tools/list", "resources/list"):
            return await call_next(ctx)
        result = await call_next(ctx)
        offered = renders_views(ctx)
        if ctx.method == "tools/list":
            return self._linked(result) if offered else result
        return result if offered else _without_views(result)

    def _link(self, name: str, meta: dict[str, Any] | None) -> dict[str, Any] | None:
        uri = self.views.get(name)
        if uri is None:
            return meta
        return {**(meta or {}), "ui": {"resourceUri": uri}}

    def _linked(self, result: HandlerResult) -> HandlerResult:
        # The SDK hands middleware the wire form (a dict) or, in-process, the model.
        if isinstance(result, ListToolsResult):
            return result.model_copy(update={"tools": [
                tool.model_copy(update={"meta": self._link(tool.name, tool.meta)})
                for tool in result.tools]})
        if isinstance(result, dict) and isinstance(result.get("tools"), list):
            tools = []
            for tool in result["tools"]:
                meta = self._link(str(tool.get("name")), tool.get("_meta"))
                tools.append({**tool, "_meta": meta} if meta is not None else tool)
            return {**result, "tools": tools}
        return result


def _is_view(uri: object) -> bool:
    return str(uri).startswith("ui://")


def _without_views(result: HandlerResult) -> HandlerResult:
    if isinstance(result, ListResourcesResult):
        return result.model_copy(update={"resources": [
            resource for resource in result.resources if not _is_view(resource.uri)]})
    if isinstance(result, dict) and isinstance(result.get("resources"), list):
        return {**result, "resources": [resource for resource in result["resources"]
                                        if not _is_view(resource.get("uri"))]}
    return result

