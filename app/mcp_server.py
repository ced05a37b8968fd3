"""Builds the `MCPServer` with the configured toolsets."""

from __future__ import annotations

from collections.abc import Callable

from mcp.server.mcpserver import MCPServer

from app import __version__
from app.observability.tool_metrics import ToolMetricsMiddleware
from app.services import Services
from app.tools import racing, resources, sports, status
from app.tools.session_toolsets import SessionToolsetsMiddleware
from app.views import RaceViews

INSTRUCTIONS = (
    "Read-only access to Tabcorp (TAB, Australia) racing and sports wagering data. "
    "Dates are Australian: 'today' and 'tomorrow' mean Australia/Sydney dates; explicit dates are "
    "YYYY-MM-DD. Venues can be given by name (e.g. 'Randwick'). Every result says when its data "
    "was fetched and whether it is sandbox (simulated) data."
)


Registrar = Callable[[MCPServer, Services], None]

#: What each toolset adds: tools, and the resources and prompts that lead to them.
TOOLSETS: dict[str, tuple[Registrar, ...]] = {
    "racing": (racing.register, resources.register_resources,
               resources.register_racing_prompts),
    "sports": (sports.register, resources.register_sports_prompts),
    "results": (racing.register_results, sports.register_results),
    "footytab": (sports.register_footytab,),
    "raw": (sports.register_raw,),
}


def build_mcp_server(services: Services) -> MCPServer:
    """A fresh server (the SDK's session manager runs once per instance)."""
    metrics = ToolMetricsMiddleware()
    session_toolsets = SessionToolsetsMiddleware()
    views = RaceViews()
    server = MCPServer(
        "tab-mcp",
        title="TAB racing & sports",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://www.tab.com.au",
        middleware=[metrics, session_toolsets, views.links],
        extensions=[views.apps],
    )
    status.register(server, services)
    for toolset in services.toolsets:
        for register in TOOLSETS[toolset]:
            register(server, services)
    resources.register_completions(server, services)
    metrics.attach(server)
    session_toolsets.attach(server)
    return server
