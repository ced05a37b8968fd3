"""Builds the `MCPServer` with the configured toolsets."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from app import __version__
from app.betting.switches import holds_account
from app.domain.toolsets import TOOLSETS
from app.observability.tool_metrics import ToolMetricsMiddleware
from app.services import Services
from app.tools import resources, status
from app.tools.account_visibility import AccountVisibilityMiddleware
from app.tools.base import SOURCE_NOTE
from app.tools.session_toolsets import SessionToolsetsMiddleware
from app.tools.toolsets import register_toolset_extras, toolset_tools
from app.views import RaceViews

INSTRUCTIONS = (
    "Read-only access to Tabcorp (TAB, Australia) racing and sports wagering data. "
    "Dates are Australian: 'today' and 'tomorrow' mean Australia/Sydney dates; explicit dates are "
    "YYYY-MM-DD. Venues can be given by name (e.g. 'Randwick'). " + SOURCE_NOTE
)


def build_mcp_server(services: Services) -> MCPServer:
    """A fresh server (the SDK's session manager runs once per instance)."""
    metrics = ToolMetricsMiddleware()
    session_toolsets = SessionToolsetsMiddleware()
    views = RaceViews()
    enabled = [toolset for toolset in TOOLSETS if toolset in services.toolsets]
    tools = [status.status_tool(services)]
    for toolset in enabled:
        tools.extend(toolset_tools(services, toolset))
    server = MCPServer(
        "tab-mcp",
        title="TAB racing & sports",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://www.tab.com.au",
        middleware=[metrics, session_toolsets, views.links,
                    AccountVisibilityMiddleware(holds_account(services.settings))],
        extensions=[views.apps],
        tools=tools,
    )
    for toolset in enabled:
        register_toolset_extras(server, services, toolset)
    resources.register_completions(server, services)
    metrics.attach(server)
    session_toolsets.attach(server)
    return server
