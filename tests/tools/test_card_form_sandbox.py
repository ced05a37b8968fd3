"""The race card's side markets, opens, rail and update times, and form's starts, trials and
records, end to end against the sandbox: a real MCP client, tab-mcp over HTTP, the sandbox over
HTTP. Expectations come from the sandbox's own bodies, fetched directly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from mcp import Client

from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from tests.support.card_lines import read_line
from tests.support.stack import Stack, running_stack

#: Early afternoon in Sydney: the first races are paying, later ones open with doubles live.
INSTANT = datetime(2026, 9, 23, 3, 40, tzinfo=UTC)
DAY = "2026-09-23"
RECORD_LABELS = {"overall": "career", "trackDistance": "track_distance", "firstUp": "first_up",
                 "secondUp": "second_up", "classSame": "class_same",
                 "classStronger": "class_stronger"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(SandboxOptions(clock=Clock(frozen_at=INSTANT))) as running:
        yield running


def raw_race(stack: Stack, meeting: dict[str, Any], number: int) -> tuple[dict[str, Any], int]:
    """A race detail body straight from the sandbox, and its size in bytes as served."""
    path = (f"{SERVICE_ROOT}/racing/dates/{DAY}/meetings/{meeting['raceType']}/"
            f"{meeting['venueMnemonic']}/races/{number}")
    with httpx2.Client(base_url=stack.sandbox_url, timeout=10) as client:
        response = client.get(path, params={"jurisdiction": "NSW"})
    response.raise_for_status()
    return response.json(), len(response.content)


def open_races(stack: Stack, race_type: str = "R") -> Iterator[tuple[dict[str, Any], int]]:
    """(meeting, race number) of every open race of the day's addressable meetings."""
    for meeting in stack.upstream(f"/racing/dates/{DAY}/meetings")["meetings"]:
        if meeting.get("raceType") == race_type and meeting.get("venueMnemonic"):
            for race in meeting["races"]:
                if race["raceStatus"] == "Normal":
                    yield meeting, race["raceNumber"]


def race_with_double(stack: Stack) -> tuple[dict[str, Any], int, dict[str, Any]]:
    for meeting, number in open_races(stack):
        raw, _ = raw_race(stack, meeting, number)
        if raw.get("multiLegApproximates") and raw.get("extraMarkets"):
            return meeting, number, raw
    pytest.fail("no open sandbox race with multi-leg approximates and Favourite Out")


async def card_of(stack: Stack, meeting: dict[str, Any], number: int) -> tuple[Any, str]:
    async with Client(stack.mcp_url) as client:
        result = await client.call_tool("race_card", {
            "venue": meeting["venueMnemonic"], "race_number": number, "date": DAY,
            "race_type": meeting["raceType"]})
    assert not result.is_error, result.content
    return result.structured_content, result.content[0].text  # type: ignore[union-attr]


def open_prices(market: dict[str, Any]) -> dict[int, float]:
    return {p["runnerNumber"]: p["returnWin"] for p in market["propositions"]
            if p["bettingStatus"] == "Open" and p["returnWin"] > 1}


@pytest.mark.anyio
async def test_card_prices_agree_with_the_sandbox_body(stack: Stack) -> None:
    meeting, number, raw = race_with_double(stack)
    card, _ = await card_of(stack, meeting, number)
    assert card["rail"] == meeting["railPosition"] and card["rail"]
    assert card["odds_updated"] == {"fixed": raw["fixedOddsUpdateTime"],
                                    "tote": raw["oddsUpdateTime"]}
    by_number = {r["runnerNumber"]: r["fixedOdds"] for r in raw["runners"]}
    for runner in (r for r in card["runners"] if not r.get("scratched")):
        fixed = by_number[runner["number"]]
        assert runner["fixed_win"] == fixed["returnWin"]
        assert (runner["first_open"], runner["day_open"]) == (
            fixed["returnWinOpen"], fixed["returnWinOpenDaily"])
        for key, opened in (("first_open", "returnWinOpen"), ("day_open", "returnWinOpenDaily")):
            expected = (fixed["returnWin"] - fixed[opened]) / fixed[opened] * 100
            assert runner[f"move_pct_{key}"] == pytest.approx(expected, abs=0.06)
    same_race = {m["betOption"]: m for m in raw["sameRaceMultiMarkets"]}
    for name in ("Top 2", "Top 3", "Top 4"):
        assert read_line(card["markets"][name]) == open_prices(same_race[name])
    assert "Top 1" not in card["markets"]
    favourite_out = open_prices(raw["extraMarkets"][0])
    assert read_line(card["markets"]["Favourite Out"]) == favourite_out
    assert card["favourite"] not in favourite_out


@pytest.mark.anyio
async def test_multi_leg_approximates_read_back_to_the_body(stack: Stack) -> None:
    meeting, number, raw = race_with_double(stack)
    card, _ = await card_of(stack, meeting, number)
    for pool in raw["multiLegApproximates"]:
        (approximate_set,) = pool["approximateSets"]
        legs, prices = card["multi_leg"][pool["wageringProduct"]].split(": ")
        for leg in approximate_set["results"]:
            assert f"leg {leg['legNumber']} won by {leg['result']} {leg['runnerName']}" in legs
        assert read_line(prices) == {a["selection"]: a["return"]
                                     for a in approximate_set["approximates"] if a["return"] > 0}


@pytest.mark.anyio
@pytest.mark.parametrize("race_type", ["R", "H", "G"])
async def test_sandbox_card_summary_stays_under_a_tenth_of_the_body(
        stack: Stack, race_type: str) -> None:
    """Measured like the real card (test_real_card): against the body laid out as Tabcorp's
    captured one is (two-space indent; the sandbox serves it compact), the largest open field
    of the code."""
    races = list(open_races(stack, race_type))[:12]
    bodies = [(raw_race(stack, meeting, number)[0], meeting, number)
              for meeting, number in races]
    body, meeting, number = max(bodies, key=lambda item: len(item[0]["runners"]))
    _, text = await card_of(stack, meeting, number)
    laid_out = len(json.dumps(body, indent=2, ensure_ascii=False).encode())
    assert len(text.encode()) <= laid_out / 10, (len(text.encode()), laid_out)


@pytest.mark.anyio
async def test_form_lists_starts_and_trials_apart_with_every_record(stack: Stack) -> None:
    checked_trials = checked_zero = 0
    for meeting, number in list(open_races(stack))[:6]:
        form = await stack.call("race_form", venue=meeting["venueMnemonic"], race_number=number,
                                date=DAY, race_type="R")
        raw = stack.upstream(f"/racing/dates/{DAY}/meetings/R/{meeting['venueMnemonic']}/"
                             f"races/{number}/form")
        for shaped, entry in zip(form["runners"], raw["form"], strict=True):
            previous = entry["runnerStarts"]["previousStarts"]
            starts = sorted((s for s in previous if s["startType"] != "Trial"),
                            key=lambda s: s["startDate"], reverse=True)
            trials = sorted((s for s in previous if s["startType"] == "Trial"),
                            key=lambda s: s["startDate"], reverse=True)
            assert [s["date"] for s in shaped["recent"]] == [s["startDate"] for s in starts][:3]
            assert [s["date"] for s in shaped.get("trials", [])] == [
                s["startDate"] for s in trials][:3]
            checked_trials += bool(trials)
            for key, record in entry["runnerStarts"]["startSummaries"].items():
                label = RECORD_LABELS.get(key, key)
                assert shaped["stats"][label] == (f"{record['numberOfStarts']}-"
                                                  f"{record['numberOfWins']}-"
                                                  f"{record['numberOfPlacings']}")
                checked_zero += record["numberOfStarts"] == 0
        if checked_trials and checked_zero:
            return
    pytest.fail(f"sandbox form gave trials {checked_trials}, zero records {checked_zero}")


@pytest.mark.anyio
async def test_runner_form_comment_is_whole_or_marked(stack: Stack) -> None:
    meeting, number = next(open_races(stack))
    raw = stack.upstream(f"/racing/dates/{DAY}/meetings/R/{meeting['venueMnemonic']}/"
                         f"races/{number}/form")
    entry = raw["form"][0]
    one = await stack.call("runner_form", venue=meeting["venueMnemonic"], race_number=number,
                           runner_number=entry["runnerNumber"], date=DAY, race_type="R")
    comment = one["runner"].get("comment")
    assert comment == entry["formComment"] or (
        comment.endswith("…") and entry["formComment"].startswith(comment.rstrip(" …")))
    assert json.dumps(one).count("Trial") == 0  # trials are listed apart, not labelled in starts
