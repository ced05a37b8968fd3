"""Sports tools that answer the question asked: date windows, head-to-head only, next to go by
sport with prices, tournaments reachable, market % from unrounded prices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest

from tests.support.stack import Stack, running_stack

SYDNEY = ZoneInfo("Australia/Sydney")
HEAD_TO_HEAD = {"Head To Head", "Result"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="sports") as running:
        yield running


def start(match: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(match["startTime"].replace("Z", "+00:00"))


def sydney_day(match: dict[str, Any]) -> str:
    return start(match).astimezone(SYDNEY).date().isoformat()


def matches(stack: Stack, sport: str, competition: str) -> list[dict[str, Any]]:
    body = stack.upstream(f"/sports/{quote(sport)}/competitions/{quote(competition)}")
    found: list[dict[str, Any]] = body["matches"]
    assert found, f"the sandbox has no {competition} matches"
    return found


@pytest.mark.anyio
async def test_one_australian_day_leaves_only_that_days_matches(stack: Stack) -> None:
    upstream = matches(stack, "Rugby League", "NRL")
    day = sydney_day(upstream[-1])
    data = await stack.call("competition_matches", sport="Rugby League", competition="NRL",
                            date=day)
    expected = [m["name"] for m in upstream if sydney_day(m) == day]
    assert [m["name"] for m in data["matches"]] == expected and expected
    assert all(m["start_sydney"].startswith(day) for m in data["matches"])


@pytest.mark.anyio
async def test_a_date_range_includes_both_ends(stack: Stack) -> None:
    upstream = matches(stack, "Rugby League", "NRL")
    days = sorted({sydney_day(m) for m in upstream})
    first, last = days[0], days[min(1, len(days) - 1)]
    data = await stack.call("competition_matches", sport="Rugby League", competition="NRL",
                            date=first, to_date=last)
    assert [m["name"] for m in data["matches"]] == [
        m["name"] for m in upstream if first <= sydney_day(m) <= last]


@pytest.mark.anyio
async def test_a_day_without_matches_says_so(stack: Stack) -> None:
    upstream = matches(stack, "Rugby League", "NRL")
    empty = (start(upstream[-1]) + timedelta(days=30)).astimezone(SYDNEY).date().isoformat()
    data = await stack.call("competition_matches", sport="Rugby League", competition="NRL",
                            date=empty)
    assert data["matches"] == [] and "window" in data["note"]


@pytest.mark.anyio
async def test_within_hours_leaves_matches_starting_in_that_span(stack: Stack) -> None:
    upstream = matches(stack, "Basketball", "NBA")
    data = await stack.call("competition_matches", sport="Basketball", competition="NBA",
                            within_hours=30)
    now = datetime.now(UTC)
    names = {m["name"] for m in data["matches"]}
    for match in upstream:
        offset = start(match) - now
        if abs(offset) < timedelta(minutes=2) or abs(offset - timedelta(hours=30)) < timedelta(
                minutes=2):
            continue  # too close to a boundary to call
        assert (match["name"] in names) == (timedelta(0) < offset < timedelta(hours=30)), match


@pytest.mark.anyio
async def test_head_to_head_only_is_one_priced_market_per_match(stack: Stack) -> None:
    for sport, competition in (("Rugby League", "NRL"), ("Soccer", "English Premier League")):
        upstream = {m["name"]: m for m in matches(stack, sport, competition)}
        data = await stack.call("competition_matches", sport=sport, competition=competition,
                                markets="head_to_head")
        assert len(data["matches"]) == len(upstream)
        for match in data["matches"]:
            [market] = match["markets"]
            theirs = next(m for m in upstream[match["name"]]["markets"]
                          if m["betOption"] in HEAD_TO_HEAD)
            assert market["bet_option"] in HEAD_TO_HEAD
            assert [(p["id"], p["price"]) for p in market["propositions"]] == [
                (int(p["id"]), p["returnWin"]) for p in theirs["propositions"]]
            assert match["more_markets"] == len(upstream[match["name"]]["markets"]) - 1


@pytest.mark.anyio
async def test_market_percentage_sums_unrounded_probabilities(stack: Stack) -> None:
    upstream = matches(stack, "Soccer", "English Premier League")
    data = await stack.call("competition_matches", sport="Soccer",
                            competition="English Premier League")
    for mine, theirs in zip(data["matches"], upstream, strict=True):
        for market, raw in zip(mine["markets"], theirs["markets"], strict=False):
            assert market["market_pct"] == round(
                sum(100 / p["returnWin"] for p in raw["propositions"]), 1)


@pytest.mark.anyio
async def test_next_to_go_by_sport_with_head_to_head_prices(stack: Stack) -> None:
    data = await stack.call("sports_next_to_go", sport="basketball", limit=4)
    upstream = [m for m in stack.upstream("/sports/nextToGo", limit=100, openOnly="true")[
        "matches"] if m["sportName"] == "Basketball"][:4]
    assert [m["name"] for m in data["matches"]] == [m["name"] for m in upstream] and upstream
    assert {m["sport"] for m in data["matches"]} == {"Basketball"}
    for mine, theirs in zip(data["matches"], upstream, strict=True):
        assert mine["head_to_head"] == {
            p["name"]: p["returnWin"] for p in theirs["markets"][0]["propositions"]}


@pytest.mark.anyio
async def test_tournament_competitions_are_reachable(stack: Stack) -> None:
    for sport in ("Tennis", "Golf"):
        competition = stack.upstream(f"/sports/{sport}")["competitions"][0]
        tournaments = [t["name"] for t in competition["tournaments"]]
        data = await stack.call("competition_matches", sport=sport,
                                competition=competition["name"])
        assert data["tournaments"] == tournaments
        if len(tournaments) == 1:
            assert data["tournament"] == tournaments[0] and data["matches"]
        else:
            assert data["matches"] == [] and "tournament=" in data["note"]
            assert all(name in data["note"] for name in tournaments)
