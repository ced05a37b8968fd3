"""Venue, time and row regressions over HTTP with a real MCP client: never another venue's card,
each venue's own local time, and rows that open with race_card.

Expectations come from the sandbox's own bodies or the real captured meetings list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mcp import Client

from app.domain.zones import SYDNEY
from tests.conftest import load_sample
from tests.support.stack import Stack, running_stack

REAL_DAY = "2026-09-23"
REAL_ROOT = f"/v1/tab-info-service/racing/dates/{REAL_DAY}/meetings"
FIXED_ODDS_TEXT = "fixed-odds-only meeting Tabcorp does not publish a race card for"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="racing,results", tab_mcp_rate_limit=0) as running:
        yield running


def window() -> dict[str, str]:
    """The published window's dates (Sydney yesterday, today, tomorrow) by name."""
    today = datetime.now(UTC).astimezone(SYDNEY).date()
    return {name: (today + timedelta(days=shift)).isoformat()
            for name, shift in (("yesterday", -1), ("today", 0), ("tomorrow", 1))}


def meetings_on(stack: Stack, day: str) -> list[dict[str, Any]]:
    meetings: list[dict[str, Any]] = stack.upstream(f"/racing/dates/{day}/meetings")["meetings"]
    return meetings


def codes_on(stack: Stack, day: str) -> set[str]:
    return {m["venueMnemonic"] for m in meetings_on(stack, day) if m.get("venueMnemonic")}


@pytest.mark.anyio
@pytest.mark.parametrize(("venue", "code"), [("RAN", "RAN"), ("Randwick", "RAN"),
                                             ("Flemington", "FLE")])
async def test_a_venue_not_racing_is_an_error_naming_its_nearest_day_and_nothing_else(
        stack: Stack, venue: str, code: str) -> None:
    days = window()
    idle = [day for day in days.values() if code not in codes_on(stack, day)]
    if not idle:
        pytest.skip(f"{code} races on every day of the window")
    day = idle[0]
    text = await stack.call_error("race_card", venue=venue, race_number=1, date=day)
    assert f"no meeting at {venue!r} on {day}" in text
    others = {m["meetingName"] for d in days.values() for m in meetings_on(stack, d)}
    assert not [name for name in others if f" {name} " in f" {text} " and name != code]
    racing = sorted((d for d in days.values() if code in codes_on(stack, d)),
                    key=lambda d: (abs(datetime.fromisoformat(d) - datetime.fromisoformat(day)),
                                   d < day))
    if racing:
        assert f"It races on {racing[0]}" in text and f"date='{racing[0]}'" in text
    else:
        assert "racing_meetings" in text


@pytest.mark.anyio
async def test_a_code_with_another_race_type_is_honoured_or_named(stack: Stack) -> None:
    for day in window().values():
        san = [m for m in meetings_on(stack, day) if m.get("venueMnemonic") == "SAN"]
        if not san:
            continue
        if any(m["raceType"] == "R" for m in san):
            card = await stack.call("race_card", venue="SAN", race_type="R", race_number=1,
                                    date=day)
            assert (card["venue_code"], card["race_type"]) == ("SAN", "R")
        else:
            text = await stack.call_error("race_card", venue="SAN", race_type="R",
                                          race_number=1, date=day)
            kinds = {m["raceType"] for m in san}
            assert all(f"race_type {kind}" in text for kind in kinds) and "code SAN" in text
        return
    pytest.skip("SAN does not race in the window")


@pytest.mark.anyio
async def test_the_first_next_to_go_row_opens_with_race_card(stack: Stack) -> None:
    rows = (await stack.call("next_to_go", count=5))["races"]
    if not rows:
        pytest.skip("nothing to go in the sandbox right now")
    for row in rows:
        card = await stack.call("race_card", venue=row["venue_code"], date=row["meeting_date"],
                                race_type=row["race_type"], race_number=row["race_number"])
        assert (card["venue_code"], card["race_number"], card["date"]) == (
            row["venue_code"], row["race_number"], row["meeting_date"])


@pytest.mark.anyio
async def test_market_mover_rows_carry_code_type_and_date(stack: Stack) -> None:
    movers = await stack.call("market_movers", races=3, min_move_pct=0)
    rows = movers["firming"] + movers["drifting"]
    if not rows:
        pytest.skip("no priced movers in the sandbox right now")
    for row in rows[:3]:
        card = await stack.call("race_card", venue=row["venue_code"], date=row["meeting_date"],
                                race_type=row["race_type"], race_number=row["race_number"])
        assert row["number"] in [r["number"] for r in card["runners"]]


@pytest.mark.anyio
async def test_next_to_go_filters_by_location_and_reads_state_names(stack: Stack) -> None:
    rows = (await stack.call("next_to_go", count=20))["races"]
    if not rows:
        pytest.skip("nothing to go in the sandbox right now")
    where = rows[-1]["location"]
    filtered = (await stack.call("next_to_go", count=5, location=where.lower()))["races"]
    assert filtered and all(r["location"] == where for r in filtered)
    by_name = (await stack.call("next_to_go", count=5, location="Victoria"))["races"]
    assert all(r["location"] == "VIC" for r in by_name)
    text = await stack.call_error("next_to_go", location="Melbourne")
    assert "VIC" in text and "NSW" in text and "USA" in text


@pytest.mark.anyio
async def test_santa_anita_cards_are_in_los_angeles_time(stack: Stack) -> None:
    for day in window().values():
        if "SAA" in codes_on(stack, day):
            card = await stack.call("race_card", venue="Santa Anita", race_number=1, date=day)
            assert (card["timezone"], card["zone_source"]) == ("America/Los_Angeles", "venue")
            start = datetime.fromisoformat(card["start_utc"].replace("Z", "+00:00"))
            assert card["start_local"].endswith(("-08:00", "-07:00"))
            assert 12 <= datetime.fromisoformat(card["start_local"]).hour < 16, start
            return
    pytest.skip("Santa Anita does not race in the window")


@pytest.fixture(scope="module")
def real(stack: Stack) -> list[dict[str, Any]]:
    meetings: list[dict[str, Any]] = load_sample("meetings.json")["meetings"]
    stack.admin("PUT", "/_sandbox/overrides", {"path": REAL_ROOT, "status": 200,
                                               "body": {"meetings": meetings}})
    return meetings


@pytest.mark.anyio
async def test_assiniboia_downs_is_on_winnipeg_time_in_the_real_list(
        stack: Stack, real: list[dict[str, Any]]) -> None:
    for venue in ("Assiniboia Downs", "ABO"):
        detail = await stack.call("meeting_races", venue=venue, date=REAL_DAY)
        starts = [race["start_local"] for race in detail["races"]]
        assert starts[0] == "2026-09-22T19:30-05:00" and starts[-1] == "2026-09-22T23:10-05:00"
        assert {(r["meeting_date"], r["venue_code"], r["race_type"]) for r in detail["races"]} \
            == {(REAL_DAY, "ABO", "R")}


@pytest.mark.anyio
async def test_fixed_odds_only_meetings_are_refused_as_such_never_another_venue(
        stack: Stack, real: list[dict[str, Any]]) -> None:
    listed = (await stack.call("racing_meetings", date=REAL_DAY))["meetings"]
    fixed = [m for m in real if m.get("fixedOddsOnly")]
    assert len([m for m in listed if m["fixed_odds_only"]]) == len(fixed) == 19
    tote = {m["meetingName"].lower(): m["venueMnemonic"] for m in real if m.get("venueMnemonic")}
    for meeting in fixed:
        name = meeting["displayMeetingName"]
        if name.lower() in tote:  # the same name also races on the tote: that one opens
            detail = await stack.call("meeting_races", venue=name, date=REAL_DAY)
            assert detail["meeting"]["venue_code"] == tote[name.lower()]
            continue
        text = await stack.call_error("meeting_races", venue=name, date=REAL_DAY)
        assert FIXED_ODDS_TEXT in text and name.upper() in text.upper(), text


@pytest.mark.anyio
async def test_a_fault_reading_the_other_days_leaves_only_the_pointer_to_racing_meetings() -> None:
    days = window()
    with running_stack(tab_mcp_toolsets="racing") as fresh:
        prefixes = [f"/racing/dates/{days[name]}/meetings" for name in ("yesterday", "tomorrow")]
        fresh.admin("PUT", "/_sandbox/faults", [
            {"path_prefix": prefix, "error_rate": 1, "error_status": 503} for prefix in prefixes])
        text = await fresh.call_error("race_card", venue="XQZ", race_number=1,
                                      date=days["today"])
    assert f"no meeting at 'XQZ' on {days['today']}" in text and "racing_meetings" in text
    assert "does not race yesterday" not in text


@pytest.mark.anyio
async def test_next_to_go_resource_rows_open_with_the_race_card_template(stack: Stack) -> None:
    async with Client(stack.mcp_url) as client:
        upcoming = await client.read_resource("tab://racing/next-to-go")
        races = json.loads(upcoming.contents[0].text)["races"]  # type: ignore[union-attr]
        if not races:
            pytest.skip("nothing to go in the sandbox right now")
        row = races[0]
        uri = (f"tab://racing/{row['meeting_date']}/{row['race_type']}/{row['venue_code']}/"
               f"{row['race_number']}")
        card = json.loads((await client.read_resource(uri)).contents[0].text)  # type: ignore[union-attr]
    assert (card["date"], card["venue_code"], card["race_number"]) == (
        row["meeting_date"], row["venue_code"], row["race_number"])
