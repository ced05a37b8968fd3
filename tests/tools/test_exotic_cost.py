"""`exotic_cost` end to end: a real MCP client, tab-mcp over HTTP, the sandbox over HTTP.

Counts and costs are the textbook ones (n·(n−1)·(n−2) for a boxed Trifecta…); approximate
returns are computed from the sandbox's own approximates body.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import perm
from typing import Any

import pytest

from tests.support.stack import Stack, running_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack() as running:
        yield running


@pytest.mark.anyio
@pytest.mark.parametrize(("arguments", "combinations", "cost", "flexi"), [
    ({"product": "Trifecta", "bet_type": "boxed", "legs": [[1, 4, 7, 9]], "amount": 20,
      "flexi": True}, perm(4, 3), 20.0, 83.33),
    ({"product": "FirstFour", "bet_type": "standout", "legs": [[3], ["F"]],
      "field_sizes": [12]}, perm(11, 3), 990.0, 100.0),
    ({"product": "Exacta", "legs": [[1, 2], [1, 2, 3]], "amount": 0.5}, 4, 2.0, 50.0),
    ({"product": "Quinella", "bet_type": "standout", "legs": [[1], [2, 3, 4, 5]]}, 4, 4.0,
     100.0),
    ({"product": "Duet", "bet_type": "boxed", "legs": [[2, 5, 8]]}, 3, 3.0, 100.0),
    ({"product": "Quaddie", "legs": [[1, 2], [6], ["F"], [3, 4, 5]],
      "field_sizes": [10, 9, 8, 12], "amount": 0.5}, 2 * 8 * 3, 24.0, 50.0),
    ({"product": "Big6", "legs": [[1, 2]] * 6, "amount": 10, "flexi": True}, 64, 10.0, 15.62),
    ({"product": "RunningDouble", "bet_type": "straight", "legs": [[4], [4]]}, 1, 1.0, 100.0),
])
async def test_counts_and_costs_are_exact(stack: Stack, arguments: dict[str, Any],
                                          combinations: int, cost: float, flexi: float) -> None:
    data = await stack.call("exotic_cost", **arguments)
    assert data == {"combinations": combinations, "cost": cost, "flexi_pct": flexi}


@pytest.mark.anyio
@pytest.mark.parametrize(("arguments", "says"), [
    ({"product": "Trifecta", "legs": [[1, 1], [2], [3]]}, "runner 1 is selected twice"),
    ({"product": "Trifecta", "bet_type": "standout", "legs": [[5]]}, "[standouts, others]"),
    ({"product": "Duet", "bet_type": "boxed", "legs": [[3]]}, "at least 2 runners"),
    ({"product": "Quaddie", "legs": [[1], [2], [3]]}, "takes 4 legs"),
    ({"product": "Exacta", "legs": [[1], [14]], "field_sizes": [12]}, "runner 14 is out of"),
    ({"product": "FirstFour", "bet_type": "boxed", "legs": [[1, 2, 3, 4, 5, 6, 7, 8]],
      "amount": 5, "flexi": True}, "at least $16.80"),
    ({"product": "Exacta", "legs": [[1], [2]], "amount": 0.5}, "minimum bet is $1.00"),
    ({"product": "Trifecta", "legs": [["F"], [1], [2]]}, "add field_sizes"),
    ({"product": "Quinella", "bet_type": "boxed", "legs": [[1, 2]], "venue": "RAN"},
     "give race_number"),
])
async def test_bad_bets_get_actionable_errors(stack: Stack, arguments: dict[str, Any],
                                              says: str) -> None:
    assert says in await stack.call_error("exotic_cost", **arguments)


@pytest.mark.anyio
async def test_schema_rejects_a_product_tab_does_not_sell(stack: Stack) -> None:
    text = await stack.call_error("exotic_cost", product="Superfecta", legs=[[1, 2, 3, 4]])
    assert "Quinella" in text


def todays_race(stack: Stack) -> tuple[dict[str, Any], int, list[int]]:
    """A meeting today, an open race of it with 8+ runners, and that race's starters."""
    body = stack.upstream("/racing/dates/today/meetings")
    for meeting in body["meetings"]:
        if not meeting.get("venueMnemonic"):
            continue
        for race in meeting["races"]:
            if race["raceStatus"] != "Normal":
                continue
            detail = stack.upstream(f"/racing/dates/{meeting['meetingDate']}/meetings/"
                                    f"{meeting['raceType']}/{meeting['venueMnemonic']}/races/"
                                    f"{race['raceNumber']}")
            starters = [r["runnerNumber"] for r in detail["runners"]
                        if r["fixedOdds"]["bettingStatus"] not in ("Scratched", "LateScratched")]
            if len(starters) >= 8:
                return meeting, race["raceNumber"], starters
    pytest.skip("no open race of 8+ runners in the sandbox today")


@pytest.mark.anyio
@pytest.mark.parametrize("product", ["Quinella", "Exacta", "Duet"])
async def test_approximate_return_comes_from_the_pool(stack: Stack, product: str) -> None:
    meeting, number, starters = todays_race(stack)
    box = starters[:4]
    data = await stack.call("exotic_cost", product=product, bet_type="boxed", legs=[box],
                            amount=5, flexi=True, venue=meeting["venueMnemonic"],
                            race_number=number, field_sizes=[max(starters)])
    raw = stack.upstream(f"/racing/dates/{meeting['meetingDate']}/meetings/"
                         f"{meeting['raceType']}/{meeting['venueMnemonic']}/races/{number}/"
                         f"pools/{product}/approximates")
    covered = [a["return"] for a in raw["approximates"]
               if set(a["selections"]) <= set(box) and a["return"]]
    combinations = perm(4, 2) if product == "Exacta" else perm(4, 2) // 2
    flexi = int(500 * 100 / combinations) / 100
    assert data["combinations"] == combinations and data["flexi_pct"] == flexi
    assert data["approx_low"] == round(min(covered) * flexi / 100, 2)
    assert data["approx_high"] == round(max(covered) * flexi / 100, 2)
    assert data["source"]["sandbox"] is True and "note" not in data


@pytest.mark.anyio
async def test_pools_without_approximates_say_so(stack: Stack) -> None:
    meeting, number, starters = todays_race(stack)
    trifecta = await stack.call("exotic_cost", product="Trifecta", bet_type="boxed",
                                legs=[starters[:3]], venue=meeting["venueMnemonic"],
                                race_number=number)
    assert trifecta["combinations"] == 6 and "approx_low" not in trifecta
    assert "no per-combination approximates for Trifecta" in trifecta["note"]
    assert "Quinella, Exacta, Duet" in trifecta["note"]
    quaddie = await stack.call("exotic_cost", product="Quaddie", legs=[[1]] * 4,
                               venue=meeting["venueMnemonic"], race_number=number)
    assert "no per-combination approximates for Quaddie" in quaddie["note"]


@pytest.mark.anyio
async def test_unknown_venue_is_a_clear_error(stack: Stack) -> None:
    text = await stack.call_error("exotic_cost", product="Quinella", bet_type="boxed",
                                  legs=[[1, 2]], venue="Nowhere Downs", race_number=1)
    assert "no meeting at 'Nowhere Downs'" in text
