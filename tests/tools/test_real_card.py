"""The real captured Warwick Farm race card and form, replayed by the sandbox, through the
race_card, race_form and runner_form tools."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from tests.conftest import load_sample, read_sample
from tests.support.card_lines import read_line
from tests.support.stack import Stack, running_stack

ROOT = "/v1/tab-info-service/racing/dates/2026-09-23/meetings"
RUNNER_FIELDS = ("number", "name", "barrier", "rider", "trainer", "weight", "last5", "status",
                 "fixed_win", "fixed_place", "first_open", "day_open", "move_pct_first_open",
                 "move_pct_day_open", "tote_win", "tote_place", "win_prob_pct", "favourite")
RACE_FIELDS = ("name", "distance_m", "race_class", "status", "start_utc", "start_local",
               "minutes_to_jump", "track", "weather", "pools", "market_pct", "favourite",
               "rail", "odds_updated", "markets", "multi_leg", "comment")


@pytest.fixture(scope="module")
def replay() -> Iterator[tuple[Stack, bytes]]:
    raw = read_sample("race-detail.json")
    with running_stack() as stack:
        stack.admin("PUT", "/_sandbox/overrides", {
            "path": ROOT, "status": 200,
            "body": load_sample("meetings.json")})
        stack.admin("PUT", "/_sandbox/overrides", {
            "path": f"{ROOT}/R/WFM/races/2", "status": 200, "body": json.loads(raw)})
        stack.admin("PUT", "/_sandbox/overrides", {
            "path": f"{ROOT}/R/WFM/races/2/form", "status": 200,
            "body": load_sample("race-form.json")})
        stack.admin("PUT", "/_sandbox/overrides", {
            "path": f"{ROOT}/R/WFM/races/2/form/1", "status": 200,
            "body": load_sample("runner-form.json")})
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
        # flags and claims only where they apply: none does on this card
        assert not {"claim", "scratched", "emergency"} & set(runner), runner
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
        assert runner["first_open"] == fixed["returnWinOpen"]
        assert runner["day_open"] == fixed["returnWinOpenDaily"]
        for key, opened in (("first_open", "returnWinOpen"), ("day_open", "returnWinOpenDaily")):
            expected = (fixed["returnWin"] - fixed[opened]) / fixed[opened] * 100
            assert runner[f"move_pct_{key}"] == pytest.approx(expected, abs=0.06)
    # the two opens differ on the real card, so the two movements cannot be confused
    assert any(r["first_open"] != r["day_open"] for r in card["runners"])


@pytest.mark.anyio
async def test_summary_adds_side_markets_rail_and_update_times(
        replay: tuple[Stack, bytes]) -> None:
    stack, raw = replay
    card, _ = await real_card(stack)
    body = json.loads(raw)
    assert card["rail"] == "+5m 1000m to Winning Post , +3m Remainder"
    assert card["odds_updated"] == {"fixed": body["fixedOddsUpdateTime"],
                                    "tote": body["oddsUpdateTime"]}
    assert card["source"]["fetched_at"] != body["fixedOddsUpdateTime"]
    top = {m["betOption"]: m for m in body["sameRaceMultiMarkets"]}
    assert set(card["markets"]) == {"Top 2", "Top 3", "Top 4", "Favourite Out"}
    for name in ("Top 2", "Top 3", "Top 4"):
        assert read_line(card["markets"][name]) == {p["runnerNumber"]: p["returnWin"]
                                                    for p in top[name]["propositions"]}
    assert card["markets"]["Top 2"].startswith("6=1.25 3=2.1 7=2.75 10=3.75 ")
    favourite_out = body["extraMarkets"][0]["propositions"]
    assert read_line(card["markets"]["Favourite Out"]) == {
        p["runnerNumber"]: p["returnWin"] for p in favourite_out if p["returnWin"] > 1}
    assert f" {card['favourite']}=" not in f" {card['markets']['Favourite Out']}"
    double = body["multiLegApproximates"][0]["approximateSets"][0]
    line = card["multi_leg"]["RunningDouble"]
    assert line.startswith("leg 1 won by 4 CHUCHICHASCHTLI: 6=18.8 3=34.5 ")
    assert len(line.split(": ")[1].split()) == len(double["approximates"])


@pytest.mark.anyio
async def test_real_comment_is_cut_at_a_sentence_with_a_marker(
        replay: tuple[Stack, bytes]) -> None:
    stack, raw = replay
    card, _ = await real_card(stack)
    whole = json.loads(json.loads(raw)["raceComments"])["comment"]
    assert len(whole) > 400 and card["comment"].endswith(". …")
    assert whole.startswith(card["comment"].removesuffix(" …"))


@pytest.mark.anyio
async def test_real_form_keeps_trials_apart_and_every_record(replay: tuple[Stack, bytes]) -> None:
    stack, _ = replay
    form = await stack.call("race_form", venue="Warwick Farm", race_number=2, date="2026-09-23")
    body = load_sample("race-form.json")
    for shaped, entry in zip(form["runners"], body["form"], strict=True):
        previous = entry["runnerStarts"]["previousStarts"]
        starts = sorted((s["startDate"] for s in previous if s["startType"] != "Trial"),
                        reverse=True)
        trials = sorted((s["startDate"] for s in previous if s["startType"] == "Trial"),
                        reverse=True)
        assert [s["date"] for s in shaped["recent"]] == starts[:3]
        assert [s["date"] for s in shaped.get("trials", [])] == trials[:3]
        assert len(shaped["stats"]) == len(entry["runnerStarts"]["startSummaries"]) == 14
    first = form["runners"][0]["stats"]
    assert first["slow"] == "1-0-0" and first["class_stronger"] == "3-2-0"
    assert first["track"] == "0-0-0" and first["class_same"] == "0-0-0"
    assert first["first_up"] == "2-1-0" and first["second_up"] == "1-1-0"


@pytest.mark.anyio
async def test_real_runner_form_ends_a_cut_comment_with_a_marker(
        replay: tuple[Stack, bytes]) -> None:
    stack, _ = replay
    form = await stack.call("race_form", venue="Warwick Farm", race_number=2, date="2026-09-23")
    long = [r["comment"] for r in form["runners"] if r.get("comment") and "…" in r["comment"]]
    assert long and all(comment.endswith("…") for comment in long)
    one = await stack.call("runner_form", venue="Warwick Farm", race_number=2, runner_number=1,
                           date="2026-09-23")
    entry = load_sample("runner-form.json")
    assert one["runner"]["comment"] == entry["formComment"]  # fits: never cut
    assert [s["venue"] for s in one["runner"]["recent"]] == ["ELLS", "NZ", "OTK"]
    assert [s["position"] for s in one["runner"]["trials"]] == ["7/9", "2/8", "6/6"]
