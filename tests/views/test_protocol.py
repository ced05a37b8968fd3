"""The views over the MCP protocol, with real clients over HTTP: a client declaring the MCP
Apps extension finds the view links and reads the views; any other client sees what it saw
before views existed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.extension import advertise
from mcp.server.apps import APP_MIME_TYPE, EXTENSION_ID

from app.views.race_views import MARKET_MOVERS_VIEW, RACE_CARD_VIEW
from tests.support.jsonrpc import parse_body, post
from tests.support.stack import Stack, running_stack

VIEWS = {"race_card": RACE_CARD_VIEW, "market_movers": MARKET_MOVERS_VIEW}
RENDERS_APPS = advertise(EXTENSION_ID, {"mimeTypes": [APP_MIME_TYPE]})


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack() as running:
        yield running


def _dump(tools: Any) -> list[dict[str, Any]]:
    return [tool.model_dump(mode="json", by_alias=True, exclude_none=True)
            for tool in tools.tools]


async def _surface(stack: Stack, *extensions: Any) -> tuple[list[dict[str, Any]], list[str]]:
    async with Client(stack.mcp_url, extensions=list(extensions)) as client:
        tools = _dump(await client.list_tools())
        resources = [str(r.uri) for r in (await client.list_resources()).resources]
    return tools, resources


def _unlinked(tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`tools` with the view links taken out again."""
    out = []
    for tool in tools:
        meta = {k: v for k, v in tool.get("_meta", {}).items() if k != "ui"}
        out.append({**{k: v for k, v in tool.items() if k != "_meta"},
                    **({"_meta": meta} if meta else {})})
    return out


@pytest.mark.anyio
async def test_a_client_declaring_the_extension_finds_the_view_links(stack: Stack) -> None:
    async with Client(stack.mcp_url, extensions=[RENDERS_APPS]) as client:
        extensions = client.server_capabilities.extensions or {}
    assert EXTENSION_ID in extensions  # the server says it serves views
    tools, resources = await _surface(stack, RENDERS_APPS)
    links = {t["name"]: t["_meta"]["ui"] for t in tools if "ui" in t.get("_meta", {})}
    assert links == {name: {"resourceUri": uri} for name, uri in VIEWS.items()}
    card = next(t for t in tools if t["name"] == "race_card")
    assert card["_meta"]["toolset"] == "racing"  # the link is added beside what was there
    assert set(VIEWS.values()) <= set(resources)


@pytest.mark.anyio
async def test_reading_a_view_returns_one_self_contained_app(stack: Stack) -> None:
    async with Client(stack.mcp_url, extensions=[RENDERS_APPS]) as client:
        for uri in VIEWS.values():
            (content,) = (await client.read_resource(uri)).contents
            assert content.mime_type == APP_MIME_TYPE
            html = content.text  # type: ignore[union-attr]
            assert html.startswith("<!doctype html>") and html.count("<script>") == 1
            assert "src=" not in html and "<link" not in html
            assert content.meta == {"ui": {"csp": {
                "connectDomains": [], "resourceDomains": [], "frameDomains": [],
                "baseUriDomains": []}}}


@pytest.mark.anyio
async def test_a_client_not_declaring_it_sees_no_difference(stack: Stack) -> None:
    linked, with_views = await _surface(stack, RENDERS_APPS)
    plain, without_views = await _surface(stack)
    assert not any("ui" in tool.get("_meta", {}) for tool in plain)
    assert plain == _unlinked(linked)
    assert without_views == [uri for uri in with_views if not uri.startswith("ui://")]
    # Declaring the extension without the app MIME type is not declaring support for it.
    other_mime, _ = await _surface(stack, advertise(EXTENSION_ID, {"mimeTypes": ["text/x"]}))
    assert other_mime == plain


@pytest.mark.anyio
async def test_tool_results_are_the_same_for_every_client(stack: Stack) -> None:
    async with Client(stack.mcp_url) as plain:
        race = (await plain.call_tool("next_to_go", {"count": 1})).structured_content
        assert race is not None
        args = {"venue": race["races"][0]["venue_code"],
                "race_number": race["races"][0]["race_number"]}
        before = await plain.call_tool("race_card", args)
    async with Client(stack.mcp_url, extensions=[RENDERS_APPS]) as rendering:
        after = await rendering.call_tool("race_card", args)
    volatile = ("source", "minutes_to_jump")
    assert before.structured_content and after.structured_content
    assert ({k: v for k, v in before.structured_content.items() if k not in volatile}
            == {k: v for k, v in after.structured_content.items() if k not in volatile})
    assert before.meta == after.meta and len(before.content) == len(after.content)


def test_handshake_clients_are_offered_the_links(stack: Stack) -> None:
    """A handshake-era client on the stateless endpoint declares capabilities only in
    `initialize`, so the server cannot tell: it offers the links (hosts without the extension
    ignore `_meta` keys they do not know)."""
    with httpx2.Client(timeout=10) as http:
        init = post(http, stack.mcp_url, {
            "jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "clientInfo": {"name": "t", "version": "1"},
                       "capabilities": {"extensions": {EXTENSION_ID: {
                           "mimeTypes": [APP_MIME_TYPE]}}}}})
        listed = post(http, stack.mcp_url, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                      "2025-11-25")
    assert init.status_code == 200
    (list_message,) = parse_body(listed)
    card = next(t for t in list_message["result"]["tools"] if t["name"] == "race_card")
    assert card["_meta"]["ui"] == {"resourceUri": RACE_CARD_VIEW}
    assert json.dumps(card["_meta"]).count("ui://") == 1
