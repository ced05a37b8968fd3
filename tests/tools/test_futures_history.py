"""racing_futures and race_results on past days, end to end: a real MCP client, tab-mcp over
HTTP, the sandbox over HTTP. Expectations come from the sandbox's own bodies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2
import pytest

from app.sandbox.history_routes import HISTORY_ROOT
from app.sandbox.world.history import HISTORY_DAYS
from app.sandbox.world.util import sydney_date
from app.sandbox.world.world import DAYS_BACK
from tests.support.stack import Stack, running_stack

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack() as running:
        yield running


def sandbox_today(stack: Stack) -> datetime:
    return datetime.combine(sydney_date(stack.sandbox.world.clock.now()), datetime.min.time(),
                            tzinfo=UTC)


def history_body(stack: Stack, path: str) -> Any:
    """GET a results-history path straight from the sandbox."""
    with httpx2.Client(base_url=stack.sandbox_url + HISTORY_ROOT + "/NSW/racing/",
                       timeout=10) as client:
        response = client.get(path)
    response.raise_for_status()
    return response.json()


def history_requests(stack: Stack) -> int:
    requests = stack.admin("GET", "/_sandbox/stats")["requests"]
    return sum(count for path, count in requests.items() if path.startswith(HISTORY_ROOT))


def published(dividends: list[dict[str, Any]]) -> list[tuple[str, list[str], float]]:
    """Every pool dividend of an upstream body, as the tool reports them."""
    return [(d["wageringProduct"], [str(s) for s in item["selections"]], item["amount"])
            for d in dividends for item in d["poolDividends"]]


def reported(data: dict[str, Any]) -> list[tuple[str, list[str], float]]:
    return [(d["product"], d["selections"], d["amount"]) for d in data["dividends"]]


async def test_futures_list_every_market(stack: Stack) -> None:
    data = await stack.call("racing_futures")
    upstream = stack.upstream("/racing/dates/futures/meetings")["meetings"]
    expected = [(m["meetingName"], r["raceName"], r["meetingDate"])
                for m in upstream for r in m["races"]]
    assert [(e["meeting"], e["name"], e["date"]) for e in data["markets"]] == expected
    assert "runners" not in data and data["source"]["sandbox"] is True
    narrowed = await stack.call("racing_futures", meeting=upstream[0]["meetingName"].lower())
    assert narrowed["markets"] == data["markets"][:len(upstream[0]["races"])]


async def test_futures_market_reflects_upstream(stack: Stack) -> None:
    upstream = stack.upstream("/racing/dates/futures/meetings")["meetings"][0]
    name = upstream["races"][-1]["raceName"]
    data = await stack.call("racing_futures", race=name.upper())
    raw = stack.upstream(f"/racing/dates/futures/meetings/R/{upstream['meetingName']}/races/"
                         f"{name}")
    market = data
    assert (market["meeting"], market["name"]) == (upstream["meetingName"], name)
    by_number = {r["runnerNumber"]: r for r in raw["runners"]}
    assert sorted(r["number"] for r in market["runners"]) == sorted(by_number)
    prices = [r["fixed_win"] for r in market["runners"]]
    assert prices == sorted(prices), "shortest price first"
    for runner in market["runners"]:
        fixed = by_number[runner["number"]]["fixedOdds"]
        assert runner["name"] == by_number[runner["number"]]["runnerName"]
        assert runner["fixed_win"] == fixed["returnWin"]
        assert runner["fixed_open"] == fixed["returnWinOpen"]
        move = (fixed["returnWin"] - fixed["returnWinOpen"]) / fixed["returnWinOpen"] * 100
        assert runner["move_pct"] == pytest.approx(move, abs=0.06)
        assert runner["flucs"] == [f["returnWin"] for f in fixed["flucs"]][:4]
        assert runner["win_prob_pct"] == pytest.approx(100 / fixed["returnWin"], abs=0.06)
        assert runner["favourite"] is fixed["isFavouriteWin"]
    total = sum(100 / r["fixedOdds"]["returnWin"] for r in raw["runners"])
    assert market["market_pct"] == pytest.approx(total, abs=0.06)


async def test_futures_names_match_in_part_and_misses_list_markets(stack: Stack) -> None:
    names = [r["raceName"] for m in stack.upstream("/racing/dates/futures/meetings")["meetings"]
             for r in m["races"]]
    whole = names[0]
    part = whole.split(" (")[0].lower()
    assert sum(part in n.lower() for n in names) == 1
    data = await stack.call("racing_futures", race=part)
    assert data["name"] == whole
    text = await stack.call_error("racing_futures", race="Kentucky Derby")
    assert "no futures market" in text and all(n in text for n in names)
    text = await stack.call_error("racing_futures", race="(all in)")
    assert "several" in text
    text = await stack.call_error("racing_futures", race=part, meeting="Harness Futures")
    assert "Harness Futures" in text
    text = await stack.call_error("racing_futures", meeting="nowhere")
    assert "no futures meeting" in text and "Racing Futures" in text


async def test_results_of_a_day_the_info_service_dropped_come_from_history(
        stack: Stack) -> None:
    day = (sandbox_today(stack) - timedelta(days=DAYS_BACK + 20)).date().isoformat()
    assert stack.upstream(f"/racing/dates/{day}/meetings")["meetings"] == []
    meetings = history_body(stack, day)["meetings"]
    lettered = next(m for m in meetings if len(m["venueMnemonic"]) == 1)
    for meeting in (lettered, meetings[0]):
        stub = meeting["races"][-1]
        before = history_requests(stack)
        data = await stack.call("race_results", venue=meeting["meetingName"].title(),
                                race_number=stub["raceNumber"], race_type=meeting["raceType"],
                                date=day)
        assert history_requests(stack) > before
        race = history_body(stack, f"{day}/{meeting['venueMnemonic']}/{meeting['raceType']}"
                                   f"/races/{stub['raceNumber']}")
        names = {r["runnerNumber"]: r["runnerName"] for r in race["runners"]}
        margins = {r["runnerNumber"]: r["margin"] for r in race["runners"] if "margin" in r}
        assert (data["venue"], data["name"], data["status"]) == (
            meeting["meetingName"], race["raceName"], "Paying")
        assert [p["runners"] for p in data["placings"]] == race["results"]
        for placing in data["placings"]:
            assert placing["names"] == [names[n] for n in placing["runners"]]
            assert placing.get("margins", []) == [margins[n] for n in placing["runners"]
                                                  if n in margins]
        assert any("margins" in p for p in data["placings"])
        assert reported(data) == published(race["dividends"])
        assert {d["product"] for d in data["dividends"]} >= {"Win", "Place", "Trifecta"}


async def test_recent_days_stay_on_the_info_service(stack: Stack) -> None:
    day = (sandbox_today(stack) - timedelta(days=2)).date().isoformat()
    meeting = next(m for m in stack.upstream(f"/racing/dates/{day}/meetings")["meetings"]
                   if m.get("venueMnemonic"))
    number = meeting["races"][0]["raceNumber"]
    before = history_requests(stack)
    data = await stack.call("race_results", venue=meeting["venueMnemonic"], race_number=number,
                            race_type=meeting["raceType"], date=day)
    assert history_requests(stack) == before
    raw = stack.upstream(f"/racing/dates/{day}/meetings/{meeting['raceType']}/"
                         f"{meeting['venueMnemonic']}/races/{number}")
    assert reported(data) == published(raw["dividends"])
    assert [p["runners"] for p in data["placings"]] == raw["results"]


async def test_past_results_errors_say_what_to_send(stack: Stack) -> None:
    today = sandbox_today(stack)
    gone = (today - timedelta(days=HISTORY_DAYS + 10)).date().isoformat()
    text = await stack.call_error("race_results", venue="Randwick", race_number=1, date=gone)
    assert gone in text and "NOT_FOUND_ERROR" in text and "YYYY-MM-DD" in text
    day = (today - timedelta(days=DAYS_BACK + 20)).date().isoformat()
    meetings = history_body(stack, day)["meetings"]
    text = await stack.call_error("race_results", venue="Qxqxzz", race_number=1, date=day)
    assert "Qxqxzz" in text and meetings[0]["meetingName"] in text
    meeting = meetings[0]
    text = await stack.call_error("race_results", venue=meeting["meetingName"], race_number=60,
                                  race_type=meeting["raceType"], date=day)
    assert "race 60 does not exist" in text
