"""Resources, the resource template, completions and prompts follow a session's own
credentials, jurisdiction and toolsets as tools do; unknown names answer the specification's
error codes. Over HTTP, with the official MCP client and raw handshake-era JSON-RPC."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, PromptReference

from app.tools.session_toolsets import RESOURCE_NOT_FOUND
from tests.support.clients import mcp_client
from tests.support.jsonrpc import parse_body, post
from tests.support.stack import Stack, running_stack

SESSION = {"X-TAB-Client-Id": "surface-client", "X-TAB-Jurisdiction": "VIC",
           "X-TAB-Client-Secret": "Surface-Secret-0042"}  # pragma: allowlist secret
SPORTS_ONLY = {"X-TAB-Toolsets": "sports"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_cache_enabled=False, tab_mcp_rate_limit=0) as running:
        running.admin("PUT", "/_sandbox/clients", {
            "client_id": SESSION["X-TAB-Client-Id"],
            "client_secret": SESSION["X-TAB-Client-Secret"]})
        yield running


def race_uri(stack: Stack) -> str:
    body = stack.upstream("/racing/dates/today/meetings")
    meeting = next(m for m in body["meetings"] if m.get("venueMnemonic") and m.get("races"))
    return (f"tab://racing/today/{meeting['raceType']}/{meeting['venueMnemonic']}/"
            f"{meeting['races'][0]['raceNumber']}")


def upstream_requests(stack: Stack) -> tuple[dict[str, int], dict[str, int]]:
    stats = stack.admin("GET", "/_sandbox/stats")
    return stats["requests_by_client"], stats["requests_by_jurisdiction"]


@pytest.mark.anyio
async def test_resources_and_completions_use_the_sessions_credentials_and_jurisdiction(
        stack: Stack) -> None:
    uri = race_uri(stack)
    venue_prefix = uri.split("/")[5][:2]
    stack.admin("POST", "/_sandbox/stats/reset")
    async with mcp_client(stack.mcp_url, headers=SESSION) as client:
        await client.read_resource(uri)
        await client.read_resource("tab://racing/next-to-go")
        await client.complete(PromptReference(type="ref/prompt", name="race_preview"),
                              {"name": "venue", "value": venue_prefix})
        await client.complete(PromptReference(type="ref/prompt", name="match_preview"),
                              {"name": "sport", "value": "a"})
    by_client, by_jurisdiction = upstream_requests(stack)
    # Every upstream read carried the session's own token and jurisdiction.
    assert set(by_client) == {"surface-client"}, by_client
    assert set(by_jurisdiction) == {"VIC"}, by_jurisdiction
    assert by_client["surface-client"] >= 4


@pytest.mark.anyio
async def test_a_session_without_racing_sees_and_reads_no_racing_resources_or_prompts(
        stack: Stack) -> None:
    uri = race_uri(stack)
    async with mcp_client(stack.mcp_url, headers=SPORTS_ONLY) as client:
        resources = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
        prompts = {prompt.name for prompt in (await client.list_prompts()).prompts}
        refusals = []
        for attempt in (client.read_resource(uri), client.read_resource("tab://racing/next-to-go"),
                        client.get_prompt("race_preview", {"venue": "RAN", "race_number": "1"}),
                        client.complete(PromptReference(type="ref/prompt", name="race_preview"),
                                        {"name": "venue", "value": "ra"})):
            with pytest.raises(MCPError) as refused:
                await attempt
            refusals.append(refused.value.error)
        allowed = await client.get_prompt("match_preview", {
            "sport": "AFL Football", "competition": "AFL", "match": "A v B"})
    assert not resources and not templates and prompts == {"match_preview"}
    assert [error.code for error in refusals] == [INVALID_PARAMS] * 4
    assert "match_preview" in refusals[2].message
    assert allowed.messages
    async with mcp_client(stack.mcp_url) as everything:
        assert (await everything.list_resources()).resources
        assert {p.name for p in (await everything.list_prompts()).prompts} > {"match_preview"}


@pytest.mark.anyio
async def test_unknown_names_answer_invalid_params(stack: Stack) -> None:
    async with mcp_client(stack.mcp_url) as client:
        errors = []
        for attempt in (client.call_tool("race_cards", {}), client.get_prompt("race_review"),
                        client.read_resource("tab://racing/nowhere"),
                        client.read_resource("tab://racing/today/R/RAN/0")):
            with pytest.raises(MCPError) as refused:
                await attempt
            errors.append(refused.value.error)
    assert [error.code for error in errors] == [INVALID_PARAMS] * 4
    assert "Unknown tool: race_cards" in errors[0].message
    assert "Unknown prompt: race_review" in errors[1].message
    assert "race_preview" in errors[1].message
    # 2026-07-28 (SEP-2164): an unknown resource is invalid params, with the URI in data.
    assert errors[2].message == "Resource not found"
    assert errors[2].data == {"uri": "tab://racing/nowhere"}
    # A resource argument error is invalid params too, and says what to send.
    assert "race_number must be a number from 1 to 99" in errors[3].message


def handshake(http: httpx2.Client, url: str, version: str) -> dict[str, str]:
    init = post(http, url, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": {},
        "clientInfo": {"name": "codes", "version": "1"}}})
    headers = {"Mcp-Session-Id": init.headers.get("mcp-session-id", "")}
    post(http, url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, version,
         **headers)
    return headers


def request(http: httpx2.Client, url: str, version: str, headers: dict[str, str],
            method: str, params: dict[str, Any]) -> dict[str, Any]:
    response = post(http, url, {"jsonrpc": "2.0", "id": 7, "method": method, "params": params},
                    version, **headers)
    return next(m for m in parse_body(response) if m.get("id") == 7)


@pytest.mark.parametrize("version", ["2025-06-18", "2025-11-25"])
def test_handshake_era_codes(stack: Stack, version: str) -> None:
    with httpx2.Client(timeout=10) as http:
        headers = handshake(http, stack.mcp_url, version)
        resource = request(http, stack.mcp_url, version, headers, "resources/read",
                           {"uri": "tab://racing/nowhere"})
        prompt = request(http, stack.mcp_url, version, headers, "prompts/get",
                         {"name": "nope"})
        tool = request(http, stack.mcp_url, version, headers, "tools/call",
                       {"name": "nope", "arguments": {}})
    # Resources: -32002 "Resource not found" with the URI (2025-06-18, 2025-11-25 specs).
    assert resource["error"] == {"code": RESOURCE_NOT_FOUND, "message": "Resource not found",
                                 "data": {"uri": "tab://racing/nowhere"}}
    # Prompts and tools: invalid params for an unknown name.
    assert prompt["error"]["code"] == INVALID_PARAMS
    assert tool["error"]["code"] == INVALID_PARAMS and "Unknown tool: nope" in (
        tool["error"]["message"])
