"""The static server card Smithery reads when it cannot scan the server itself.

Shape as Smithery documents it (https://smithery.ai/docs/build/publish, "Static Server Card"):
`serverInfo` (name, version), `authentication` (required, schemes), and the `tools`,
`resources` and `prompts` lists in MCP's own shapes. Built from the live server, so it never
drifts from `tools/list`.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from app import __version__

SERVER_CARD_PATH = "/.well-known/mcp/server-card.json"


async def server_card(server: MCPServer, *, api_keys_required: bool) -> dict[str, Any]:
    """The card for `server`; `api_keys_required` when the endpoint wants `Bearer <key>`."""

    def dump(items: list[Any]) -> list[dict[str, Any]]:
        return [item.model_dump(by_alias=True, exclude_none=True, mode="json") for item in items]

    return {
        "serverInfo": {"name": server.name, "title": server.title or server.name,
                       "version": __version__},
        "authentication": {"required": api_keys_required,
                           "schemes": ["bearer"] if api_keys_required else []},
        "tools": dump(await server.list_tools()),
        "resources": dump(await server.list_resources()),
        "prompts": dump(await server.list_prompts()),
    }
