"""`server_status`: proves the whole path without touching the upstream."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult
from pydantic import Field

from app import __version__
from app.domain.zones import SYDNEY
from app.services import Services
from app.tools.base import LOCAL_READ, OutputModel, build_tool, structured, utc_iso
from app.tools.calls import session_config


class ServerStatus(OutputModel):
    """The server's identity and configuration, without any credential."""

    version: str
    upstream_host: str = Field(description="Host of the Tabcorp API (or the sandbox).")
    sandbox: bool = Field(description="True when the upstream is the offline sandbox.")
    auth_mode: str = Field(description="anonymous, client_credentials or password.")
    default_jurisdiction: str
    toolsets: list[str]
    server_time_utc: str
    server_time_sydney: str
    australian_date: str = Field(
        description="Today's date in Australia/Sydney (what 'today' means)."
    )


def status_tool(services: Services) -> Tool:
    """`server_status`, bound to `services` (it belongs to no toolset: always listed)."""

    async def server_status(ctx: Context) -> Annotated[CallToolResult, ServerStatus]:
        """Version, upstream host, auth mode (never a credential), default jurisdiction and the
        server's time in UTC and Sydney. Use it to check the connection or what 'today' means."""
        settings = services.settings
        session = session_config(ctx)
        now = datetime.now(UTC)
        sydney = now.astimezone(SYDNEY)
        return structured(ServerStatus(
            version=__version__,
            upstream_host=urlsplit(settings.tab_base_url).hostname or "",
            sandbox=services.sandbox,
            auth_mode=services.client_for(session).auth_mode.value,
            default_jurisdiction=services.jurisdiction_for(session),
            toolsets=services.toolsets,
            server_time_utc=utc_iso(now),
            server_time_sydney=sydney.isoformat(timespec="seconds"),
            australian_date=sydney.date().isoformat(),
        ))

    return build_tool(server_status, title="Server status", annotations=LOCAL_READ)
