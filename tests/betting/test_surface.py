"""The account and betting tool surface: a committed snapshot of their tools/list entries, and
what they add to tools/list (they are not in the default toolsets).

Run with UPDATE_SNAPSHOTS=1 to rewrite the snapshot after a deliberate change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.betting.support import KEY, betting_stack
from tests.support.clients import mcp_client
from tests.support.snapshots import assert_snapshot, surface

pytestmark = pytest.mark.anyio
SNAPSHOT = Path(__file__).parent / "snapshots" / "account_betting_tools.json"
OURS = {"account_balance", "account_bets", "account_transactions", "bet_quote", "bet_place"}


async def test_account_and_betting_tools_match_the_committed_snapshot(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        async with mcp_client(stack.mcp_url, api_key=KEY) as client:
            tools = [t.model_dump(mode="json", by_alias=True, exclude_none=True)
                     for t in (await client.list_tools()).tools]
    ours = surface([tool for tool in tools if tool["name"] in OURS])
    assert {tool["name"] for tool in ours} == OURS
    for tool in ours:
        schema = json.dumps(tool["inputSchema"]).lower()
        assert "token" not in schema and "password" not in schema and "approval" not in schema
    added = len(json.dumps(ours, separators=(",", ":")).encode())
    assert added < 8 * 1024, added
    assert_snapshot(SNAPSHOT, ours)
