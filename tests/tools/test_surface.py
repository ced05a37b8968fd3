"""The tool surface: a committed snapshot of tools/list, its size, toolsets, resources, prompts
and completions.

Run with UPDATE_SNAPSHOTS=1 to rewrite the snapshot after a deliberate change.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, PromptReference

from app.domain.toolsets import DEFAULT_TOOLSETS
from tests.support.clients import mcp_client
from tests.support.snapshots import assert_snapshot, surface
from tests.support.stack import Stack, running_stack

SNAPSHOT = Path(__file__).parent / "snapshots" / "tools_list.json"
ALL_TOOLSETS = "racing,sports,results,footytab,raw"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets=ALL_TOOLSETS) as running:
        yield running


async def listed_tools(url: str) -> list[dict[str, Any]]:
    async with Client(url) as client:
        tools = await client.list_tools()
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True) for tool in tools.tools]


@pytest.mark.anyio
async def test_tools_list_matches_the_committed_snapshot(stack: Stack) -> None:
    assert_snapshot(SNAPSHOT, surface(await listed_tools(stack.mcp_url)))


@pytest.mark.anyio
async def test_every_tool_is_read_only_with_an_output_schema(stack: Stack) -> None:
    for tool in await listed_tools(stack.mcp_url):
        assert tool["annotations"]["readOnlyHint"] is True, tool["name"]
        assert tool["annotations"]["destructiveHint"] is False, tool["name"]
        assert tool["outputSchema"]["type"] == "object", tool["name"]
        properties = json.dumps(tool["inputSchema"]).lower()
        assert "token" not in properties and "password" not in properties, tool["name"]


@pytest.mark.anyio
async def test_default_tools_list_stays_small() -> None:
    with running_stack() as default_stack:
        tools = await listed_tools(default_stack.mcp_url)
    size = len(json.dumps({"tools": tools}, separators=(",", ":")).encode())
    assert size < 40 * 1024, size
    names = {tool["name"] for tool in tools}
    assert "tab_get" not in names and "footy_rounds" not in names
    assert {"race_card", "competition_matches", "race_results"} <= names
    assert set(DEFAULT_TOOLSETS) == {"racing", "sports", "results"}


@pytest.mark.anyio
async def test_disabled_toolsets_are_not_listed() -> None:
    with running_stack(tab_mcp_toolsets="sports") as sports_only:
        names = {tool["name"] for tool in await listed_tools(sports_only.mcp_url)}
        async with Client(sports_only.mcp_url) as client:
            with pytest.raises(MCPError) as refused:
                await client.call_tool("race_card", {"venue": "RAN", "race_number": 1})
    assert "race_card" not in names and "sports_list" in names and "server_status" in names
    # A tool this server does not have is an unknown name: invalid params, per the spec.
    assert refused.value.error.code == INVALID_PARAMS
    assert "Unknown tool: race_card" in refused.value.error.message


@pytest.mark.anyio
async def test_race_card_resource_and_next_to_go(stack: Stack) -> None:
    body = stack.upstream("/racing/dates/today/meetings")
    meeting = next(m for m in body["meetings"] if m.get("venueMnemonic"))
    number = meeting["races"][0]["raceNumber"]
    uri = f"tab://racing/today/{meeting['raceType']}/{meeting['venueMnemonic']}/{number}"
    async with Client(stack.mcp_url) as client:
        templates = await client.list_resource_templates()
        card = await client.read_resource(uri)
        upcoming = await client.read_resource("tab://racing/next-to-go")
    assert any(t.uri_template.startswith("tab://racing/{date}") for t in
               templates.resource_templates)
    data = json.loads(card.contents[0].text)  # type: ignore[union-attr]
    assert data["venue"] == meeting["meetingName"] and data["race_number"] == number
    races = json.loads(upcoming.contents[0].text)["races"]  # type: ignore[union-attr]
    assert races and races[0]["race_number"] == stack.upstream(
        "/racing/next-to-go/races", maxRaces=10)["races"][0]["raceNumber"]


@pytest.mark.anyio
async def test_prompts_steer_to_the_tools(stack: Stack) -> None:
    async with Client(stack.mcp_url) as client:
        prompts = {p.name for p in (await client.list_prompts()).prompts}
        preview = await client.get_prompt("race_preview", {"venue": "Randwick",
                                                           "race_number": "4"})
        match = await client.get_prompt("match_preview", {"sport": "AFL Football",
                                                          "competition": "AFL",
                                                          "match": "Adelaide v Geelong"})
    assert {"race_preview", "next_to_go_briefing", "match_preview"} <= prompts
    assert "race_card" in preview.messages[0].content.text  # type: ignore[union-attr]
    assert "match_markets" in match.messages[0].content.text  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_completions_for_venue_and_sport(stack: Stack) -> None:
    body = stack.upstream("/racing/dates/today/meetings")
    venue = next(m["meetingName"] for m in body["meetings"] if m.get("venueMnemonic"))
    sport = stack.upstream("/sports")["sports"][0]["name"]
    async with Client(stack.mcp_url) as client:
        venues = await client.complete(PromptReference(type="ref/prompt", name="race_preview"),
                                       {"name": "venue", "value": venue[:3].lower()})
        sports = await client.complete(PromptReference(type="ref/prompt", name="match_preview"),
                                       {"name": "sport", "value": sport[:2]})
    assert venue in venues.completion.values
    assert all(v.lower().startswith(venue[:3].lower()) for v in venues.completion.values)
    assert sport in sports.completion.values


@pytest.mark.anyio
async def test_session_toolsets_narrow_what_is_listed_and_callable(stack: Stack) -> None:
    async with mcp_client(stack.mcp_url, headers={"X-TAB-Toolsets": "sports"}) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        refused = await client.call_tool("next_to_go", {"count": 1})
        allowed = await client.call_tool("sports_list", {})
    assert "sports_list" in names and "server_status" in names
    assert not names & {"race_card", "next_to_go", "race_results", "tab_get"}
    assert refused.is_error and "'racing' toolset" in str(refused.content)
    assert not allowed.is_error
    async with mcp_client(f"{stack.mcp_url}?toolsets.0=racing&toolsets.1=raw") as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
    assert {"race_card", "tab_get"} <= names and "sports_list" not in names
    everything = {tool["name"] for tool in await listed_tools(stack.mcp_url)}
    assert {"race_card", "sports_list", "footy_round"} <= everything
