"""Builds the `MCPServer` with the configured toolsets."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from app import __version__
from app.observability.tool_metrics import ToolMetricsMiddleware
from app.services import Services
from app.tools import racing, resources, sports, status

INSTRUCTIONS = (
    "Read-only access to Tabcorp (TAB, Australia) racing and sports wagering data. "
    "Dates are Australian: 'today' and 'tomorrow' mean Australia/Sydney dates; explicit dates are "
    "YYYY-MM-DD. Venues can be given by name (e.g. 'Randwick'). Every result says when its data "
    "was fetched and whether it is sandbox (simulated) data."
)


def build_mcp_server(services: Services) -> MCPServer:
    """A fresh server (the SDK's session manager runs once per instance)."""
    metrics = ToolMetricsMiddleware()
    server = MCPServer(
        "tab-mcp",
        title="TAB racing & sports",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://www.tab.com.au",
        middleware=[metrics],
    )
    status.register(server, services)
    toolsets = set(services.toolsets)
    if "racing" in toolsets:
        racing.register(server, services)
    if "sports" in toolsets:
        sports.register(server, services)
    if "results" in toolsets:
        racing.register_results(server, services)
        sports.register_results(server, services)
    if "footytab" in toolsets:
        sports.register_footytab(server, services)
    if "raw" in toolsets:
        sports.register_raw(server, services)
    if "racing" in toolsets:
        resources.register_resources(server, services)
        resources.register_racing_prompts(server)
    if "sports" in toolsets:
        resources.register_sports_prompts(server)
    resources.register_completions(server, services)
    metrics.attach(server)
    return server
