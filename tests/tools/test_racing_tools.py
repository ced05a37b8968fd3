"""Racing tools end to end: a real MCP client, tab-mcp over HTTP, the sandbox over HTTP.

Expectations are computed from the sandbox's own bodies, never hard-coded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from mcp import Client

from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from tests.support.stack import Stack, running_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="racing,results,sports,footytab,raw") as running:
        yield running






def open_meeting(stack: Stack, location: str, race_type: str = "R") -> tuple[dict[str, Any], str]:
    """A meeting in `location` from the sandbox's own meetings list, and its date."""
    for day in ("today", "tomorrow"):
        body = stack.upstream(f"/racing/dates/{day}/meetings")
        for meeting in body["meetings"]:
            if (meeting.get("location") == location and meeting.get("raceType") == race_type
                    and meeting.get("venueMnemonic")):
                return meeting, day
    pytest.skip(f"no {race_type} meeting in {location} in the sandbox today or tomorrow")


@pytest.mark.anyio
@pytest.mark.parametrize(("location", "zone"), [("VIC", "Australia/Melbourne"),
                                                ("QLD", "Australia/Brisbane")])
async def test_race_card_reflects_upstream(stack: Stack, location: str, zone: str) -> None:
    meeting, day = open_meeting(stack, location)
    number = meeting["races"][0]["raceNumber"]
    card = await stack.call("race_card", venue=meeting["meetingName"].title(),
                      race_number=number, date=day)
    raw = stack.upstream(f"/racing/dates/{meeting['meetingDate']}/meetings/R/"
                         f"{meeting['venueMnemonic']}/races/{number}")
    assert card["venue"] == meeting["meetingName"] and card["race_number"] == number
    assert [r["number"] for r in card["runners"]] == [r["runnerNumber"] for r in raw["runners"]]
    assert [r["name"] for r in card["runners"]] == [r["runnerName"] for r in raw["runners"]]
    prices = []
    for mine, theirs in zip(card["runners"], raw["runners"], strict=True):
        assert mine["barrier"] == theirs["barrierNumber"]
        assert mine["trainer"] == theirs["trainerName"]
        if not mine.get("scratched"):
            win = theirs["fixedOdds"]["returnWin"]
            assert mine["fixed_win"] == win
            assert mine["tote_win"] == theirs["parimutuel"]["returnWin"]
            assert mine["win_prob_pct"] == pytest.approx(100 / win, abs=0.06)
            prices.append(win)
    assert card["market_pct"] == pytest.approx(sum(100 / p for p in prices), abs=0.06)
    start = datetime.fromisoformat(raw["raceStartTime"].replace("Z", "+00:00"))
    expected_local = start.astimezone(ZoneInfo(zone)).isoformat(timespec="minutes")
    assert card["start_local"] == expected_local
    assert card["timezone"] == zone
    minutes = (start - datetime.now(UTC)).total_seconds() / 60
    assert card["minutes_to_jump"] == pytest.approx(minutes, abs=1.5)
    assert card["source"]["sandbox"] is True
    assert "raw" not in card and "_links" not in str(card)


@pytest.mark.anyio
async def test_full_detail_adds_raw_body(stack: Stack) -> None:
    meeting, day = open_meeting(stack, "NSW")
    number = meeting["races"][0]["raceNumber"]
    card = await stack.call("race_card", venue=meeting["venueMnemonic"], race_number=number,
                      date=day, detail="full")
    assert card["raw"]["raceNumber"] == number and "runners" in card["raw"]


@pytest.mark.anyio
async def test_meetings_filter_and_venue_names(stack: Stack) -> None:
    data = await stack.call("racing_meetings", race_type="G")
    assert data["meetings"] and all(m["race_type"] == "G" for m in data["meetings"])
    body = stack.upstream("/racing/dates/today/meetings")
    expected = {m["meetingName"] for m in body["meetings"] if m["raceType"] == "G"}
    assert {m["venue"] for m in data["meetings"]} == expected
    nsw = await stack.call("racing_meetings", location="nsw")
    assert nsw["meetings"] and {m["location"] for m in nsw["meetings"]} == {"NSW"}


@pytest.mark.anyio
async def test_meeting_races_and_next_to_go(stack: Stack) -> None:
    meeting, day = open_meeting(stack, "NSW")
    detail = await stack.call("meeting_races", venue=meeting["meetingName"].lower(), date=day)
    assert [r["race_number"] for r in detail["races"]] == [
        r["raceNumber"] for r in meeting["races"]]
    upcoming = await stack.call("next_to_go", count=4)
    body = stack.upstream("/racing/next-to-go/races", maxRaces=4)
    assert [(r["venue"], r["race_number"]) for r in upcoming["races"]] == [
        (r["meeting"]["meetingName"], r["raceNumber"]) for r in body["races"]][:4]
    starts = [r["start_utc"] for r in upcoming["races"]]
    assert starts == sorted(starts)


@pytest.mark.anyio
async def test_form_tools_reflect_upstream(stack: Stack) -> None:
    meeting, day = open_meeting(stack, "VIC")
    number = meeting["races"][0]["raceNumber"]
    form = await stack.call("race_form", venue=meeting["venueMnemonic"], race_number=number,
                      date=day)
    raw = stack.upstream(f"/racing/dates/{meeting['meetingDate']}/meetings/R/"
                         f"{meeting['venueMnemonic']}/races/{number}/form")
    assert [r["name"] for r in form["runners"]] == [e["runnerName"] for e in raw["form"]]
    index, first = next((i, e) for i, e in enumerate(raw["form"])  # a debutant has no record
                        if e["runnerStarts"]["startSummaries"]["overall"]["numberOfStarts"])
    overall = first["runnerStarts"]["startSummaries"]["overall"]
    assert form["runners"][index]["stats"]["career"] == (
        f"{overall['numberOfStarts']}-{overall['numberOfWins']}-{overall['numberOfPlacings']}")
    one = await stack.call("runner_form", venue=meeting["venueMnemonic"], race_number=number,
                     runner_number=first["runnerNumber"], date=day)
    assert one["runner"]["name"] == first["runnerName"]
    previous = first["runnerStarts"]["previousStarts"]
    trials = [s for s in previous if s["startType"] == "Trial"]
    assert len(one["runner"]["recent"]) == min(10, len(previous) - len(trials))
    assert len(one["runner"].get("trials", [])) == min(10, len(trials))


@pytest.mark.anyio
async def test_pool_approximates_sorted_and_capped(stack: Stack) -> None:
    meeting, day = open_meeting(stack, "NSW")
    number = meeting["races"][0]["raceNumber"]
    data = await stack.call("pool_approximates", venue=meeting["venueMnemonic"],
                      race_number=number, product="Quinella", date=day)
    returns = [a["returns"] for a in data["approximates"]]
    assert returns == sorted(returns) and len(returns) <= 40
    raw = stack.upstream(f"/racing/dates/{meeting['meetingDate']}/meetings/R/"
                         f"{meeting['venueMnemonic']}/races/{number}/pools/Quinella/approximates")
    paying = [a for a in raw["approximates"] if a["return"]]
    assert data["combinations"] == len(paying)
    assert returns[0] == min(a["return"] for a in paying)


@pytest.mark.anyio
async def test_market_movers_reports_progress(stack: Stack) -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    async with Client(stack.mcp_url) as client:
        result = await client.call_tool("market_movers", {"races": 3, "min_move_pct": 5},
                                        progress_callback=on_progress)
    assert not result.is_error, result.content
    data = result.structured_content
    assert data is not None and data["races_scanned"] == 3
    assert [p[0] for p in updates] == [1, 2, 3] and all(p[1] == 3 for p in updates)
    for mover in data["firming"]:
        assert mover["move_pct"] <= -5 and mover["now"] < mover["open"]
    for mover in data["drifting"]:
        assert mover["move_pct"] >= 5 and mover["now"] > mover["open"]


@pytest.fixture(scope="module")
def late_stack() -> Iterator[Stack]:
    """A sandbox frozen at 23:30 Sydney time: today's races have paid, tomorrow's are open."""
    sydney = ZoneInfo("Australia/Sydney")
    today = datetime.now(UTC).astimezone(sydney).date()
    late = datetime(today.year, today.month, today.day, 23, 30, tzinfo=sydney)
    with running_stack(SandboxOptions(clock=Clock(frozen_at=late.astimezone(UTC)))) as running:
        yield running


@pytest.mark.anyio
async def test_results_once_paying(late_stack: Stack) -> None:
    body = late_stack.upstream("/racing/dates/today/meetings")
    paying = [(m, r) for m in body["meetings"] if m.get("venueMnemonic")
              for r in m["races"] if r["raceStatus"] == "Paying"]
    assert paying, "at 23:30 some of today's races have paid"
    meeting, race = paying[0]
    data = await late_stack.call("race_results", venue=meeting["venueMnemonic"],
                      race_number=race["raceNumber"], race_type=meeting["raceType"],
                      date=meeting["meetingDate"])
    assert [p["runners"] for p in data["placings"]] == race["results"]
    wins = [d for d in data["dividends"] if d["product"] == "Win"]
    assert wins and wins[0]["selections"] == [str(n) for n in race["results"][0]]
    card = await late_stack.call("race_card", venue=meeting["venueMnemonic"],
                      race_number=race["raceNumber"], race_type=meeting["raceType"],
                      date=meeting["meetingDate"])
    winners = [r for r in card["runners"] if r.get("finish") == 1]
    assert [r["number"] for r in winners] == race["results"][0]
    assert card["dividends"] and card["results"] == race["results"]


@pytest.mark.anyio
async def test_results_before_the_jump_say_when(late_stack: Stack) -> None:
    body = late_stack.upstream("/racing/dates/tomorrow/meetings")
    meeting = next(m for m in body["meetings"] if m.get("venueMnemonic"))
    text = await late_stack.call_error("race_results", venue=meeting["venueMnemonic"],
                            race_number=meeting["races"][0]["raceNumber"],
                            race_type=meeting["raceType"], date=meeting["meetingDate"])
    assert "no results yet" in text and "Normal" in text


@pytest.mark.anyio
async def test_dates_and_jackpots_reflect_upstream(stack: Stack) -> None:
    dates = await stack.call("racing_dates")
    listed = [d["meetingDate"] for d in stack.upstream("/racing/dates")["dates"]]
    # Every date offered works as a date argument; futures markets are named apart.
    assert [d["date"] for d in dates["dates"]] == [d for d in listed if d != "futures"]
    assert "futures" in listed and "racing_futures" in dates["futures"]
    for offered in dates["dates"]:
        assert (await stack.call("racing_meetings", date=offered["date"]))["meetings"]
    jackpots = await stack.call("racing_jackpots")
    raw = stack.upstream("/racing/jackpots")["jackpots"]
    assert [j.get("jackpot") for j in jackpots["jackpots"]] == [j.get("jackpot") for j in raw]
    assert "_links" not in str(jackpots)
    pools = await stack.call("racing_jackpots", date="today")
    assert isinstance(pools["jackpots"], list) and pools["source"]["sandbox"] is True
