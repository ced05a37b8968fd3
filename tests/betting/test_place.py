"""Quote, approve, place over HTTP with a real MCP client against the sandbox account."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.betting.support import (
    OTHER_KEY,
    balance_cents,
    bets,
    betting_stack,
    call,
    open_runner,
    text_of,
)

pytestmark = pytest.mark.anyio


async def test_a_quoted_and_placed_bet_changes_the_balance_by_its_cost_once(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "bets.sqlite3") as stack:
        runner = open_runner(stack)
        before, placed_before = balance_cents(stack), len(bets(stack))
        quoted = await call(stack, "bet_quote", venue=runner.venue,
                            race_number=runner.race_number,
                            selections=[[runner.runner_number]], stake=5, bet_type="EACH_WAY")
        assert not quoted.is_error, text_of(quoted)
        quote = quoted.structured_content
        assert quote is not None
        assert quote["total_cost"] == 10.0 and quote["stake"] == 5.0
        assert quote["selections"][0].startswith(f"{runner.runner_number}. ")
        assert "each way" in quote["bet"] and "Gambling Help Online" in quote["care"]
        first = await call(stack, "bet_place", quote_id=quote["quote_id"])
        assert not first.is_error, text_of(first)
        assert first.structured_content is not None
        assert first.structured_content["status"] == "placed"
        again = await call(stack, "bet_place", quote_id=quote["quote_id"])
        assert again.structured_content is not None
        assert again.structured_content["status"] == "placed"
        assert balance_cents(stack) == before - 1000
        assert len(bets(stack)) == placed_before + 1
        foreign = await call(stack, "bet_place", key=OTHER_KEY, quote_id=quote["quote_id"])
        assert foreign.is_error and "another API key" in text_of(foreign)
        assert len(bets(stack)) == placed_before + 1
