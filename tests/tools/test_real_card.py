"""The real captured Warwick Farm race card, replayed by the sandbox, through the race_card tool."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from tests.conftest import load_sample, read_sample
from tests.support.stack import Stack, running_stack

ROOT = "/v1/tab-info-service/racing/dates/2026-09-23/meetings"
RUNNER_FIELDS = ("number", "name", "barrier", "rider", "trainer", "weight", "claim", "last5",
                 "status", "scratched", "emergency", "fixed_win", "fixed_place", "fixed_open",
                 "move_pct", "tote_win", "tote_place", "win_prob_pct", "favourite")
RACE_FIELDS = ("name", "distance_m", "race_class", "status", "start_utc", "start_local",
               "minutes_to_jump", "track", "weather", "pools", "market_pct", "favourite")


@pytest.fixture(scope="module")
def replay() -> Iterator[tuple[Stack, bytes]]:
    raw = read_sample("race-detail.json")
    with running_stack() as stack:
        stack.admin("PUT", "/_sandbox/overrides", {
            "path": ROOT, "status": 200,
            "body": load_sample("meetings.json")})
        stack.admin("PUT", "/_sandbox/overrides", {
            "path": f"{ROOT}/R/WFM/races/2", "status": 200, "body": json.loads(raw)})
        yield stack, raw


async def real_card(stack: Stack) -> tuple[dict[str, Any], str]:
    async with Client(stack.mcp_url) as client:
        result = await client.call_tool("race_card", {"venue": "Warwick Farm", "race_number": 2,
                                                      "date": "2026-09-23"})
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content, result.content[0].text  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_summary_is_under_a_tenth_of_the_raw_card(replay: tuple[Stack, bytes]) -> None:
    stack, raw = replay
    _, text = await real_card(stack)
    size = len(text.encode())
    assert size <= 9 * 1024 and size <= len(raw) / 10, (size, len(raw))


@pytest.mark.anyio
async def test_summary_keeps_every_decision_field(replay: tuple[Stack, bytes]) -> None:
    stack, raw = replay
    card, _ = await real_card(stack)
    body = json.loads(raw)
    assert len(card["runners"]) == len(body["runners"])
    for runner in card["runners"]:
        missing = [field for field in RUNNER_FIELDS if field not in runner]
        assert not missing, (runner["number"], missing)
    for field in RACE_FIELDS:
        assert field in card, field
    assert card["venue"] == "WARWICK FARM" and card["start_local"] == "2026-09-23T14:25+10:00"
    assert card["pools"]["Win"] == next(p["poolTotal"] for p in body["pools"]
                                        if p["wageringProduct"] == "Win")
    favourite = next(r for r in body["runners"] if r["fixedOdds"]["isFavouriteWin"])
    assert card["favourite"] == favourite["runnerNumber"]
    by_number = {r["runnerNumber"]: r for r in body["runners"]}
    for runner in card["runners"]:
        fixed = by_number[runner["number"]]["fixedOdds"]
        assert runner["fixed_win"] == fixed["returnWin"]
        assert runner["fixed_open"] == fixed["returnWinOpen"]
        expected_move = (fixed["returnWin"] - fixed["returnWinOpen"]) / fixed["returnWinOpen"] * 100
        assert runner["move_pct"] == pytest.approx(expected_move, abs=0.06)
