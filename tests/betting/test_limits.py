"""Caps refuse with the limit and its headroom; the three switches each keep betting off; a
quote id is only good for its caller, its bet and its time."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

from app.betting.caps import CapRefused, LegFacts, Limits, check
from app.betting.money import amount, australian_day, parse_time
from app.betting.quotes import QuoteRefused, QuoteSigner
from app.config import SettingsError, load_settings
from tests.betting.support import (
    KEY,
    bets,
    betting_settings,
    betting_stack,
    call,
    open_runner,
    quote,
    text_of,
)
from tests.support.clients import mcp_client
from tests.support.stack import running_stack

pytestmark = pytest.mark.anyio


async def quote_error(stack: Any, stake: float, race_type: str = "R") -> str:
    runner = open_runner(stack, race_type)
    result = await call(stack, "bet_quote", venue=runner.venue, race_number=runner.race_number,
                        selections=[[runner.runner_number]], stake=stake)
    assert result.is_error, result.structured_content
    return text_of(result)


async def test_a_stake_over_the_per_bet_limit_is_refused_with_the_limit(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3", tab_mcp_bet_max_stake=10) as stack:
        text = await quote_error(stack, 15)
        assert "over the limit of $10.00 per bet" in text and "headroom $10.00" in text


async def test_the_daily_limit_counts_the_accounts_bets_from_every_channel(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3", tab_mcp_bet_max_daily=20) as stack:
        today = australian_day(datetime.now(UTC))
        staked = sum(amount(b["totalCost"]) or 0 for b in bets(stack)
                     if australian_day(parse_time(b["placedTime"]) or datetime.now(UTC)) == today)
        assert staked > 0  # the sandbox account's history already bet today, elsewhere
        text = await quote_error(stack, 20)
        assert f"${staked:.2f} is staked today" in text
        assert f"the headroom is ${max(0, 20 - staked):.2f}" in text


async def test_race_types_outside_the_allow_list_are_refused(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3", tab_mcp_bet_race_types="G") as stack:
        assert "race type R is not allowed" in await quote_error(stack, 5)


def test_no_bet_after_the_advertised_start_and_sessions_only_lower_limits() -> None:
    limits = Limits(20, 100, (), ("Soccer",))
    start = datetime(2026, 9, 23, 5, 0, tzinfo=UTC)
    later = LegFacts("R", False, start + timedelta(hours=1))
    with pytest.raises(CapRefused, match="advertised start"):
        check(limits, cost=5, staked_today=0, legs=[LegFacts("R", False, start)], now=start)
    with pytest.raises(CapRefused, match="earliest leg"):
        check(limits, cost=5, staked_today=0, legs=[later, LegFacts("R", False, start)],
              now=start)
    with pytest.raises(CapRefused, match="AFL Football is not a sport allowed"):
        check(limits, cost=5, staked_today=0, legs=[LegFacts("AFL Football", True, later.start)],
              now=start)
    check(limits, cost=5, staked_today=0, legs=[LegFacts("soccer", True, later.start), later],
          now=start - timedelta(seconds=1))
    assert limits.lowered(50, 10) == Limits(20, 10, (), ("Soccer",))


@pytest.mark.parametrize("off", ["tab_mcp_betting", "tab_mcp_api_keys", "tab_username"])
async def test_betting_is_absent_and_refused_when_any_switch_is_off(tmp_path: Path,
                                                                    off: str) -> None:
    overrides = betting_settings(tmp_path / "j.sqlite3")
    overrides[off] = None
    if off == "tab_username":
        overrides["tab_password"] = None
    with running_stack(**overrides) as stack:
        key = KEY if overrides["tab_mcp_api_keys"] else None
        async with mcp_client(stack.mcp_url, api_key=key) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert not {"bet_quote", "bet_place"} & names
            assert ("account_balance" in names) == (off != "tab_username")
            # A tool the server does not serve: the protocol's invalid-params error.
            with pytest.raises(MCPError) as refused:
                await client.call_tool("bet_place", {"quote_id": "q1.x.y"})
            assert refused.value.error.code == INVALID_PARAMS
        assert not (tmp_path / "j.sqlite3").exists()


def signer() -> QuoteSigner:
    return QuoteSigner(load_settings(tab_mcp_quote_secret="a-secret-of-some-length"))


def test_quote_ids_are_bound_to_their_key_their_bet_and_their_time() -> None:
    from app.betting.quotes import Pick, Quote
    issued = Quote("key:a", "WIN", "Randwick race 2", "R", "2026-09-23T05:00:00Z",
                   (Pick(1234, 4, "SWIFT"),), 500, 3.4, None, ("deco",), time.time() + 60, "n")
    quote_id = signer().issue(issued)
    assert signer().verify(quote_id, "key:a") == issued
    assert signer().transaction_id(quote_id) == signer().transaction_id(quote_id)
    with pytest.raises(QuoteRefused, match="another API key"):
        signer().verify(quote_id, "key:b")
    with pytest.raises(QuoteRefused, match="expired"):
        signer().verify(quote_id, "key:a", now=time.time() + 61)
    prefix, payload, signature = quote_id.split(".")
    altered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    with pytest.raises(QuoteRefused, match="not one this server issued"):
        signer().verify(f"{prefix}.{altered}.{signature}", "key:a")
    with pytest.raises(QuoteRefused, match="not a quote id"):
        signer().verify("place 100 on number 4", "key:a")
    other = QuoteSigner(load_settings(tab_mcp_quote_secret="another-secret-entirely"))
    with pytest.raises(QuoteRefused):
        other.verify(quote_id, "key:a")


async def test_a_quote_restates_the_bet_and_the_place_tool_tells_the_truth(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        quoted = await quote(stack, open_runner(stack), stake=2.5, bet_type="PLACE")
        assert quoted["total_cost"] == 2.5 and "for a place" in quoted["bet"]
        assert quoted["potential_return"] == round(2.5 * quoted["odds"], 2)
        assert quoted["start"]["utc"].endswith("Z") and "+1" in quoted["start"]["local"]
        async with mcp_client(stack.mcp_url, api_key=KEY) as client:
            tools = {t.name: t.annotations for t in (await client.list_tools()).tools}
        place_hints, quote_hints = tools["bet_place"], tools["bet_quote"]
        assert place_hints is not None and quote_hints is not None
        assert (place_hints.read_only_hint, place_hints.destructive_hint,
                place_hints.idempotent_hint) == (False, True, True)
        assert quote_hints.read_only_hint and not quote_hints.destructive_hint


async def test_a_session_may_lower_the_limits_never_raise_them(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3", tab_mcp_bet_max_stake=10) as stack:
        runner = open_runner(stack)
        arguments = {"venue": runner.venue, "race_number": runner.race_number,
                     "selections": [[runner.runner_number]], "stake": 5}
        lower = {"X-TAB-Bet-Max-Stake": "3"}
        async with mcp_client(stack.mcp_url, api_key=KEY, headers=lower) as client:
            refused = await client.call_tool("bet_quote", arguments)
        assert refused.is_error and "limit of $3.00 per bet" in text_of(refused)
        higher = {"X-TAB-Bet-Max-Stake": "500"}
        async with mcp_client(stack.mcp_url, api_key=KEY, headers=higher) as client:
            refused = await client.call_tool("bet_quote", {**arguments, "stake": 15})
            allowed = await client.call_tool("bet_quote", arguments)
        assert refused.is_error and "limit of $10.00 per bet" in text_of(refused)
        assert not allowed.is_error


async def test_a_session_cannot_switch_betting_on(tmp_path: Path) -> None:
    overrides = {**betting_settings(tmp_path / "j.sqlite3"), "tab_mcp_betting": None}
    with running_stack(**overrides) as stack:
        async with mcp_client(stack.mcp_url, api_key=KEY,
                              headers={"X-TAB-Toolsets": "account,betting"}) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            with pytest.raises(MCPError) as refused:
                await client.call_tool("bet_quote", {"venue": "x", "race_number": 1,
                                                     "selections": [[1]], "stake": 1})
        assert "account_balance" in names and not {"bet_quote", "bet_place"} & names
        assert refused.value.error.code == INVALID_PARAMS


def test_a_quote_secret_too_short_to_be_safe_is_refused_and_a_blank_one_is_unset() -> None:
    with pytest.raises(SettingsError, match="TAB_MCP_QUOTE_SECRET: must be at least 16"):
        load_settings(tab_mcp_quote_secret="short")
    assert load_settings(tab_mcp_quote_secret=" ").tab_mcp_quote_secret is None
