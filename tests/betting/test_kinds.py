"""Same-race multis, tote exotics and same-game multis: quoted, restated and placed once over
HTTP with a real MCP client against the sandbox account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.betting.kinds import srm_race, team_match, tote_race
from tests.betting.support import (
    KEY,
    balance_cents,
    bets,
    betting_stack,
    call,
    fault,
    place,
    placed_with,
    text_of,
)
from tests.betting.test_outcomes import transaction_of
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


async def quote_of(stack: Stack, **arguments: Any) -> dict[str, Any]:
    result = await call(stack, "bet_quote", **arguments)
    assert not result.is_error, text_of(result)
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


async def srm_quote(stack: Any) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A $2 same-race multi quoted on an open race: runner A to win, runner B in the top 2."""
    race = srm_race(stack)
    winner, placer = race.srm(1)[0], race.srm(2)[1]
    quoted = await quote_of(stack, bet_type="SAME_RACE_MULTI", venue=race.venue,
                            race_number=race.number, stake=2,
                            selections=[[winner["runnerNumber"]], [placer["runnerNumber"]]])
    return race, winner, placer, quoted


async def test_a_same_race_multi_is_restated_leg_by_leg_and_placed_once(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        race, winner, placer, quoted = await srm_quote(stack)
        assert quoted["selections"] == [
            f"{winner['runnerNumber']}. {winner['name']} to win",
            f"{placer['runnerNumber']}. {placer['name']} in the top 2"]
        assert quoted["event"] == f"{race.venue} race {race.number}"
        assert quoted["total_cost"] == 2.0 and quoted["changes"] == []
        assert quoted["potential_return"] == round(2 * quoted["odds"], 2)
        assert "same-race multi" in quoted["bet"] and quoted["start"]["utc"].endswith("Z")
        before, count = balance_cents(stack), len(bets(stack))
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        assert balance_cents(stack) == before - 200 and len(bets(stack)) == count + 1
        placed = placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))
        assert len(placed) == 1 and placed[0]["betType"] == "SAME_RACE_MULTI"


async def test_a_moved_multi_price_is_never_taken(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        _, winner, _, quoted = await srm_quote(stack)
        stack.admin("PUT", "/_sandbox/account/prices",
                    {"propositionId": winner["number"], "odds": winner["returnWin"] * 0.7})
        before, count = balance_cents(stack), len(bets(stack))
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "price_moved" and not result["placed"]
        assert "quote the bet again" in result["message"]
        assert balance_cents(stack) == before and len(bets(stack)) == count


async def test_a_trifecta_costs_its_combinations_times_the_unit_and_goes_on_once(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        race = tote_race(stack)
        a, b, c, d = race.tote_runners()[:4]
        quoted = await quote_of(stack, bet_type="TRIFECTA", venue=race.venue,
                                race_number=race.number, stake=1.5,
                                selections=[[a], [b, c], [b, c, d]])
        assert quoted["combinations"] == 4 and quoted["total_cost"] == 6.0
        assert "odds" not in quoted and "potential_return" not in quoted
        assert quoted["pays"] == "tote: pays the dividend"
        assert quoted["flexi_pct"] == 150.0 and "tote: pays the dividend" in quoted["bet"]
        assert quoted["selections"][0].startswith(f"1st: {a}. ")
        assert "no per-combination approximates for Trifecta" in quoted["approx_return"]
        quinella = await quote_of(stack, bet_type="QUINELLA", venue=race.venue,
                                  race_number=race.number, stake=1, selections=[[a, b, c]])
        assert quinella["combinations"] == 3 and quinella["total_cost"] == 3.0
        assert quinella["approx_return"].startswith("about $"), quinella["approx_return"]
        assert "any two of" in quinella["bet"]
        before = balance_cents(stack)
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        assert balance_cents(stack) == before - 600
        placed = placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))
        assert len(placed) == 1 and placed[0]["combinations"] == 4


async def test_a_flexi_first_four_box_lost_after_commit_is_reconciled_as_placed(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        race = tote_race(stack)
        box = race.tote_runners()[:4]
        quoted = await quote_of(stack, bet_type="FIRST4", venue=race.venue,
                                race_number=race.number, stake=6, flexi=True,
                                selections=[box, box, box, box])
        assert quoted["combinations"] == 24 and quoted["total_cost"] == 6.0
        assert quoted["flexi_pct"] == 25.0
        before = balance_cents(stack)
        fault(stack, drop_rate=1, after_handler=True)
        result = await place(stack, quoted["quote_id"])
        assert result["status"] == "placed" and "answer was lost" in result["message"]
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        assert len(placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))) == 1
        assert balance_cents(stack) == before - 600


async def test_a_same_game_multi_reports_the_leg_tabcorp_will_not_combine(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        match = team_match(stack)
        first, second = match.markets[0]["propositions"][:2]
        other = match.markets[1]["propositions"][0]
        quoted = await quote_of(stack, bet_type="SAME_GAME_MULTI", sport=match.sport,
                                competition=match.competition, match=match.name, stake=3,
                                selections=[[first["number"], other["number"],
                                             second["number"]]])
        market, other_market = match.markets[0]["name"], match.markets[1]["name"]
        assert quoted["selections"] == [f"{market}: {first['name']}",
                                        f"{other_market}: {other['name']}"]
        assert len(quoted["changes"]) == 1
        assert f"will not combine {market}: {second['name']}" in quoted["changes"][0]
        assert quoted["event"].startswith(match.name) and quoted["total_cost"] == 3.0
        before = balance_cents(stack)
        assert (await place(stack, quoted["quote_id"]))["status"] == "placed"
        placed = placed_with(stack, transaction_of(stack.settings, quoted["quote_id"]))
        assert len(placed) == 1 and placed[0]["betType"] == "SAME_GAME_MULTI"
        assert {leg["propositionId"] for leg in placed[0]["legs"]} == {
            first["number"], other["number"]}
        assert balance_cents(stack) == before - 300


@pytest.mark.parametrize(("arguments", "said"), [
    ({"bet_type": "WIN", "selections": [[1, 2]]}, "WIN is on one runner: send selections=[[4]]"),
    ({"bet_type": "TRIFECTA", "selections": [[1], [2]]}, "TRIFECTA takes 3 list(s)"),
    ({"bet_type": "SAME_RACE_MULTI", "selections": [[1], [1]]}, "appears twice"),
    ({"bet_type": "SAME_GAME_MULTI", "selections": [[1, 2]]},
     "names a match (sport, competition, match), not a venue"),
    ({"bet_type": "EXACTA", "selections": [[1], [2]], "flexi": True, "stake": 0.5},
     "minimum bet is $1.00"),
    ({"bet_type": "PLACE", "selections": [[1]], "flexi": True}, "flexi applies to exotics"),
])
async def test_a_wrong_combination_says_what_to_send_instead(
        tmp_path: Path, arguments: dict[str, Any], said: str) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        race = tote_race(stack)
        result = await call(stack, "bet_quote", key=KEY, venue=race.venue,
                            race_number=race.number, **{"stake": 2, **arguments})
        assert result.is_error and said in text_of(result), text_of(result)
