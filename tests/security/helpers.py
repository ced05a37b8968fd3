"""Shared pieces of the security tests: settings, a session-config probe tool, raw JSON-RPC."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from mcp.server.mcpserver import Context
from starlette.applications import Starlette

from app.asgi import create_app
from app.config import Settings
from app.request_config.model import session_config_of
from tests.support.servers import serve

INITIALIZE = {
    "jsonrpc": "2.0", "id": 1, "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {},
               "clientInfo": {"name": "security-test", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream",
               "Content-Type": "application/json"}


def make_settings(**values: Any) -> Settings:
    """Settings from `values` only (no environment file)."""
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def sha(value: str | None) -> str | None:
    return hashlib.sha256(value.encode()).hexdigest() if value is not None else None


def add_session_probe(app: Starlette) -> None:
    """A test-only tool reporting the per-session configuration its request carried."""

    def session_probe(ctx: Context) -> dict[str, Any]:
        """Report the session configuration of this request."""
        config = session_config_of(ctx.request_context.request)
        if config is None:
            return {"config": None}
        return {"config": {
            "jurisdiction": config.jurisdiction,
            "toolsets": config.toolsets,
            "client_id_sha256": sha(config.tab_client_id),
            "secret_sha256": sha(config.tab_client_secret.get_secret_value()
                                 if config.tab_client_secret else None),
            "username_sha256": sha(config.tab_username.get_secret_value()
                                   if config.tab_username else None),
        }}

    app.state.mcp_server.add_tool(session_probe)


def probe_result(call_response: dict[str, Any]) -> dict[str, Any] | None:
    """The probe's report from a raw `tools/call` response."""
    result = call_response["result"]
    assert not result.get("isError"), result
    data = result.get("structuredContent") or json.loads(result["content"][0]["text"])
    return data.get("result", data)["config"]  # type: ignore[no-any-return]


def probed_server() -> Iterator[str]:
    """A served app (rate limit off) whose `session_probe` tool echoes the session config it
    sees; yields its base URL. For module-scoped `url` fixtures."""
    app = create_app(make_settings(tab_mcp_rate_limit=0))
    add_session_probe(app)
    with serve(app) as base_url:
        yield base_url
