"""The upstream budget is shared fairly: one client's flood does not starve another.

Over real HTTP with real MCP clients; the sandbox upstream is paced at the real service's
2.5 requests/s, and each client is told apart by its API key.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from mcp import Client

from tests.support.clients import mcp_client
from tests.support.stack import running_stack

FLOODER = "flooding-client-key-0123456789"  # pragma: allowlist secret
NEIGHBOUR = "neighbour-client-key-987654321"  # pragma: allowlist secret
DEADLINE = 6.0


async def raw_call(client: Client, index: int) -> Any:
    # Distinct query parameters, so no call rides on another's fetch.
    return await client.call_tool("tab_get", {"path": "/v1/tab-info-service/racing/dates",
                                              "params": {"probe": str(index)}})


@pytest.mark.anyio
async def test_a_flooding_client_does_not_starve_another() -> None:
    with running_stack(tab_rate_limit=2.5, tab_rate_burst=1, tab_mcp_rate_limit=0,
                       tab_call_deadline=DEADLINE, tab_mcp_toolsets="racing,raw",
                       tab_mcp_api_keys=f"{FLOODER},{NEIGHBOUR}") as stack:
        async with (mcp_client(stack.mcp_url, api_key=FLOODER) as flooder,
                    mcp_client(stack.mcp_url, api_key=NEIGHBOUR) as neighbour):
            flood = asyncio.gather(*(raw_call(flooder, index) for index in range(50)))
            await asyncio.sleep(0.5)  # the flood is queued first
            mine = [await raw_call(neighbour, 1000 + index) for index in range(4)]
            flooded = await flood
    assert [result.is_error for result in mine] == [False] * 4, mine
    refused = [result.content[0].text for result in flooded if result.is_error]
    # The flood gets what the budget allows within its deadline; the rest is told why.
    assert len(refused) < 50
    for text in refused:
        assert "upstream request rate" in text and "try again in" in text, text
