"""The account toolset over HTTP: numbers not "$" strings, UTC and local times, the account
number masked, the care line on every result."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.sandbox.embedded import SANDBOX_USERNAME
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
