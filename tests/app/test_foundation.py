"""The service foundation over real HTTP: /mcp with real clients, /health, /ready, /metrics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import httpx2
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS
from prometheus_client.parser import text_string_to_metric_families

from app.asgi import create_app
from app.config import Settings
from tests.support.jsonrpc import handshake_call
from tests.support.servers import serve


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(create_app(Settings(_env_file=None))) as url:  # type: ignore[call-arg]
        yield url


@pytest.mark.anyio
async def test_official_client_initializes_lists_and_calls(base_url: str) -> None:
    async with Client(f"{base_url}/mcp") as client:
        tools = await client.list_tools()
        names = {tool.name for tool in tools.tools}
        assert "server_status" in names
        status_tool = next(tool for tool in tools.tools if tool.name == "server_status")
        assert status_tool.annotations and status_tool.annotations.read_only_hint is True
        assert status_tool.output_schema and "auth_mode" in status_tool.output_schema["properties"]
        result = await client.call_tool("server_status", {})
    assert not result.is_error
    data = result.structured_content
    assert data is not None
    assert data["auth_mode"] == "anonymous"
    assert data["default_jurisdiction"] == "NSW"
    assert data["upstream_host"] == "api.beta.tab.com.au"
    utc = datetime.fromisoformat(data["server_time_utc"].replace("Z", "+00:00"))
    sydney = datetime.fromisoformat(data["server_time_sydney"])
    assert abs((utc - sydney).total_seconds()) < 5
    offset = sydney.utcoffset()
    assert offset is not None and offset.total_seconds() in (36000, 39600)
    # Compact JSON text, not pretty-printed.
    text = result.content[0].text  # type: ignore[union-attr]
    assert "\n" not in text and ": " not in text


@pytest.mark.parametrize("version", ["2025-06-18", "2025-11-25"])
def test_handshake_era_raw_exchange(base_url: str, version: str) -> None:
    with httpx2.Client(timeout=10) as client:
        response = handshake_call(client, f"{base_url}/mcp", "server_status", {}, version)
    assert response["result"]["structuredContent"]["auth_mode"] == "anonymous"
    assert response["result"].get("isError") in (None, False)


def test_mcp_answers_at_exactly_mcp_without_redirect(base_url: str) -> None:
    with httpx2.Client(timeout=10, follow_redirects=False) as client:
        response = client.post(f"{base_url}/mcp", content=b"{}", headers={
            "Accept": "application/json, text/event-stream", "Content-Type": "application/json"})
    assert response.status_code not in (307, 308, 404, 500)


def test_health_ready_and_request_id(base_url: str) -> None:
    with httpx2.Client(timeout=10) as client:
        health = client.get(f"{base_url}/health")
        ready = client.get(f"{base_url}/ready")
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["version"]
    assert len(health.headers["x-request-id"]) >= 8
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


@pytest.mark.anyio
async def test_metrics_count_tool_calls_with_bounded_labels(base_url: str) -> None:
    def calls(text: str, tool: str) -> float:
        for family in text_string_to_metric_families(text):
            if family.name == "tabmcp_tool_calls":
                return sum(s.value for s in family.samples
                           if s.name.endswith("_total") and s.labels.get("tool") == tool)
        return 0.0

    async with httpx2.AsyncClient(timeout=10, follow_redirects=False) as http:
        before = await http.get(f"{base_url}/metrics")
        async with Client(f"{base_url}/mcp") as client:
            await client.call_tool("server_status", {})
            with pytest.raises(MCPError) as unknown:
                await client.call_tool("no_such_tool_" + "x" * 50, {})
        after = await http.get(f"{base_url}/metrics")
    assert unknown.value.error.code == INVALID_PARAMS  # an unknown name, per the spec
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert calls(after.text, "server_status") == calls(before.text, "server_status") + 1
    assert calls(after.text, "unknown") >= 1
    assert "no_such_tool" not in after.text
