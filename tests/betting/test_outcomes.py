"""Every way a place call can end: price moved, refused with errors, answers lost after or
before the bet was taken, twenty calls at once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from app.betting.quotes import QuoteSigner
from tests.betting.support import (
    ADMIN,
    MY_BETS,
    balance_cents,
    bets,
    betting_stack,
    call,
    fault,
    open_runner,
    place,
    placed_with,
    quote,
    text_of,
)

pytestmark = pytest.mark.anyio


def transaction_of(stack_settings: object, quote_id: str) -> str:
    return QuoteSigner(stack_settings).transaction_id(quote_id)  # type: ignore[arg-type]


async def test_a_moved_price_is_never_taken(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        stack.admin("PUT", "/_sandbox/account/prices",
                    {"propositionId": runner.proposition_id, "odds": quoted["odds"] * 0.8})
        before, count = balance_cents(stack), len(bets(stack))
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "price_moved" and not result["placed"]
        assert "quote the bet again" in result["message"]
        assert balance_cents(stack) == before and len(bets(stack)) == count


async def test_a_201_with_errors_is_a_failed_bet_with_its_reason(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        stack.admin("PUT", ADMIN, {"balance": "1.00"})
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "failed" and not result["placed"]
        assert "balance" in result["message"]
        assert placed_with(stack, transaction_of(stack.settings, quoted["quote_id"])) == []


@pytest.mark.parametrize("rule", [{"drop_rate": 1, "after_handler": True},
                                  {"error_rate": 1, "error_status": 503, "after_handler": True}])
async def test_an_answer_lost_after_the_bet_was_taken_is_reconciled_as_placed(
        tmp_path: Path, rule: dict[str, Any]) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        before = balance_cents(stack)
        fault(stack, **rule)
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "placed", result
        assert "answer was lost" in result["message"]
        again = await place(stack, quoted["quote_id"])
        assert again["status"] == "placed"
        assert len(placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))) == 1
        assert balance_cents(stack) == before - 500


async def test_an_answer_lost_before_the_bet_was_taken_is_not_placed(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        before = balance_cents(stack)
        fault(stack, drop_rate=1)
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "not_placed" and not result["placed"]
        assert balance_cents(stack) == before
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        assert balance_cents(stack) == before - 500


async def test_an_unconfirmable_outcome_is_still_unknown_and_never_resent(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        stack.admin("PUT", "/_sandbox/faults", [
            {"path_prefix": "/v1/tab-betting-service", "count": 1, "drop_rate": 1,
             "after_handler": True},
            {"path_prefix": MY_BETS, "count": 1, "latency_ms": 0},  # the cap's read passes
            {"path_prefix": MY_BETS, "count": 3, "error_rate": 1, "error_status": 502}])
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "unknown" and "Do not bet again" in result["message"]
        stack.admin("PUT", "/_sandbox/faults", [])
        settled = await place(stack, quoted["quote_id"])
        assert settled["status"] == "placed"
        assert len(placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))) == 1


async def test_twenty_concurrent_place_calls_place_one_bet(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        runner = open_runner(stack)
        quoted = await quote(stack, runner)
        before = balance_cents(stack)
        results = await asyncio.gather(*(call(stack, "bet_place", quote_id=quoted["quote_id"])
                                         for _ in range(20)))
        assert all(not r.is_error for r in results), [text_of(r) for r in results]
        assert {(r.structured_content or {}).get("status") for r in results} == {"placed"}
        assert len(placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))) == 1
        assert balance_cents(stack) == before - 500


async def test_an_expired_quote_is_never_placed_but_still_tells_what_became_of_it(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3", tab_mcp_quote_ttl=10) as stack:
        runner = open_runner(stack)
        unused, used = await quote(stack, runner), await quote(stack, runner)
        assert (await place(stack, used["quote_id"]))["status"] == "placed"
        await asyncio.sleep(10.5)
        count = len(bets(stack))
        late = await call(stack, "bet_place", quote_id=unused["quote_id"])
        assert late.is_error and "expired" in text_of(late)
        told = await place(stack, used["quote_id"])
        assert told["status"] == "placed" and "Already answered" in told["message"]
        assert len(bets(stack)) == count
