"""Sports, results, FootyTAB and the generic read, end to end against the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.stack import Stack, running_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="sports,results,footytab,raw") as running:
        yield running




def first_competition_with_matches(stack: Stack) -> tuple[str, str, dict[str, Any]]:
    for sport in stack.upstream("/sports")["sports"]:
        for competition in sport["competitions"]:
            body = stack.upstream(f"/sports/{quote(sport['name'])}/competitions/"
                                  f"{quote(competition['name'])}")
            if body.get("matches"):
                return sport["name"], competition["name"], body
    pytest.fail("the sandbox has no competition with matches")


@pytest.mark.anyio
async def test_sports_list_reflects_upstream(stack: Stack) -> None:
    data = await stack.call("sports_list")
    body = stack.upstream("/sports")
    assert [(s["name"], s["competitions"]) for s in data["sports"]] == [
        (s["name"], [c["name"] for c in s["competitions"]]) for s in body["sports"]]


@pytest.mark.anyio
async def test_competition_matches_prices_and_market_percentage(stack: Stack) -> None:
    sport, competition, body = first_competition_with_matches(stack)
    data = await stack.call("competition_matches", sport=sport, competition=competition)
    assert [m["name"] for m in data["matches"]] == [m["name"] for m in body["matches"]]
    mine = data["matches"][0]["markets"][0]
    theirs = body["matches"][0]["markets"][0]
    assert [p["price"] for p in mine["propositions"]] == [
        p["returnWin"] for p in theirs["propositions"]]
    assert mine["market_pct"] == pytest.approx(
        sum(round(100 / p["returnWin"], 1) for p in theirs["propositions"]), abs=0.11)
    assert len(data["matches"][0]["markets"]) <= 3
    assert data["matches"][0]["more_markets"] == len(body["matches"][0]["markets"]) - len(
        data["matches"][0]["markets"])


@pytest.mark.anyio
async def test_match_markets_has_every_market(stack: Stack) -> None:
    sport, competition, body = first_competition_with_matches(stack)
    match = body["matches"][0]["name"]
    assert " v " in match  # the name travels percent-encoded as a path segment
    data = await stack.call("match_markets", sport=sport, competition=competition, match=match)
    raw = stack.upstream(f"/sports/{quote(sport)}/competitions/{quote(competition)}/matches/"
                         f"{quote(match)}")
    assert [m["name"] for m in data["match"]["markets"]] == [m["name"] for m in raw["markets"]]
    assert data["match"]["more_markets"] == 0


@pytest.mark.anyio
async def test_tournament_matches(stack: Stack) -> None:
    for sport in stack.upstream("/sports")["sports"]:
        for competition in sport["competitions"]:
            for tournament in competition.get("tournaments") or []:
                data = await stack.call("competition_matches", sport=sport["name"],
                                  competition=competition["name"],
                                  tournament=tournament["name"])
                raw = stack.upstream(
                    f"/sports/{quote(sport['name'])}/competitions/"
                    f"{quote(competition['name'])}/tournaments/{quote(tournament['name'])}")
                assert [m["name"] for m in data["matches"]] == [
                    m["name"] for m in raw.get("matches", [])]
                assert data["tournament"] == tournament["name"]
                return
    pytest.skip("no tournament in the sandbox")


@pytest.mark.anyio
async def test_sports_next_to_go_soonest_first(stack: Stack) -> None:
    data = await stack.call("sports_next_to_go", limit=5)
    starts = [m["start_utc"] for m in data["matches"]]
    assert 0 < len(starts) <= 5 and starts == sorted(starts)


@pytest.mark.anyio
async def test_unverified_shapes_pass_through_without_links(stack: Stack) -> None:
    cases: list[tuple[str, dict[str, Any]]] = [
        ("sports_results", {}), ("footy_rounds", {"sport": "AFL Football"}),
        ("footy_round", {"sport": "AFL Football", "round": 1})]
    for tool, arguments in cases:
        data = await stack.call(tool, **arguments)
        assert data["data"] and "_links" not in str(data["data"]), tool
        assert data["source"]["sandbox"] is True


@pytest.mark.anyio
async def test_generic_read_caps_large_bodies(stack: Stack) -> None:
    small = await stack.call("tab_get", path="/v1/tab-info-service/racing/dates")
    assert small["truncated"] is False
    assert [d["meetingDate"] for d in small["data"]["dates"]] == [
        d["meetingDate"] for d in stack.upstream("/racing/dates")["dates"]]
    large = await stack.call("tab_get", path="/v1/tab-info-service/racing/dates/today/meetings")
    assert large["truncated"] is True and "meetings" in large["note"]
    assert 0 < len(large["data"]["meetings"]) < len(
        stack.upstream("/racing/dates/today/meetings")["meetings"])
