"""The account toolset over HTTP: numbers not "$" strings, UTC and local times, the account
number masked, the care line on every result."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sandbox.embedded import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
)
from tests.betting.support import (
    ADMIN,
    KEY,
    betting_stack,
    call,
    open_runner,
    place,
    quote,
    text_of,
)
from tests.support.clients import mcp_client
from tests.support.stack import running_stack

pytestmark = pytest.mark.anyio


async def test_balance_bets_and_transactions_read_as_numbers_and_two_times(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        placed = await place(stack, (await quote(stack, open_runner(stack), stake=3))["quote_id"])
        assert placed["status"] == "placed"
        admin = stack.admin("GET", ADMIN)
        balance = (await call(stack, "account_balance")).structured_content
        assert balance is not None
        assert balance["balance"] == admin["balanceCents"] / 100
        assert isinstance(balance["withdrawable"], float)
        assert balance["account"] == "…" + SANDBOX_USERNAME[-3:]
        running = (await call(stack, "account_bets", status="running")).structured_content
        assert running is not None
        latest = running["bets"][0]
        assert latest["ticket"] == placed["ticket"] and latest["stake"] == 3.0
        assert latest["status"] == "running" and latest["potential_return"] > 3
        assert latest["placed"]["utc"].endswith("Z") and latest["legs"][0]["event"]
        settled = (await call(stack, "account_bets", status="settled")).structured_content
        assert settled is not None and settled["bets"]
        assert all(b["status"] == "settled" and "result" in b for b in settled["bets"])
        money = (await call(stack, "account_transactions", count=3)).structured_content
        assert money is not None and len(money["transactions"]) == 3
        assert money["transactions"][0]["amount"] == -3.0
        for result in (balance, running, money):
            assert "1800 858 858" in result["care"]
        for tool in ("account_balance", "account_bets", "account_transactions"):
            text = text_of(await call(stack, tool))
            assert SANDBOX_USERNAME not in text and '"$' not in text


async def test_the_care_resource_names_the_support_services(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        async with mcp_client(stack.mcp_url, api_key=KEY) as client:
            contents = (await client.read_resource("tab://care/support")).contents
        text = getattr(contents[0], "text", "")
        assert "1800 858 858" in text and "BetStop" in text and "Deposit limit" in text


async def test_account_tools_are_listed_where_the_server_or_the_session_holds_an_account(
) -> None:
    own = {"X-TAB-Client-Id": SANDBOX_CLIENT_ID, "X-TAB-Client-Secret": SANDBOX_CLIENT_SECRET,
           "X-TAB-Username": SANDBOX_USERNAME, "X-TAB-Password": SANDBOX_PASSWORD}
    with running_stack(tab_mcp_toolsets="racing,account") as stack:  # no account of its own
        async with mcp_client(stack.mcp_url) as anonymous:
            hidden = {tool.name for tool in (await anonymous.list_tools()).tools}
            refused = await anonymous.call_tool("account_balance", {})
        async with mcp_client(stack.mcp_url, headers=own) as with_account:
            listed = {tool.name for tool in (await with_account.list_tools()).tools}
            balance = await with_account.call_tool("account_balance", {})
    assert "race_card" in hidden and not {"account_balance", "account_bets"} & hidden
    assert refused.is_error and "neither this server nor this session" in text_of(refused)
    assert {"account_balance", "account_bets", "account_transactions"} <= listed
    assert not {"bet_quote", "bet_place"} & listed
    assert not balance.is_error and balance.structured_content is not None
    assert balance.structured_content["account"] == "…" + SANDBOX_USERNAME[-3:]
    assert isinstance(balance.structured_content["balance"], float)
