"""Sports names as agents type them: case, spacing, partial names, reversed match sides, and
misses that list what exists one level up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from mcp.server.mcpserver.exceptions import ToolError

from app.tools.sports_names import pick
from tests.support.stack import Stack, running_stack

NRL = ("Rugby League", "NRL")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="sports,results,footytab") as running:
        yield running


def competition_body(stack: Stack, sport: str, competition: str) -> dict[str, Any]:
    body: dict[str, Any] = stack.upstream(
        f"/sports/{quote(sport)}/competitions/{quote(competition)}")
    return body


@pytest.mark.parametrize(("query", "expected"), [
    ("nrl", "NRL"), ("N.R.L", "NRL"), ("premier league", "English Premier League"),
    ("english premier", "English Premier League"), ("A-League men", "A League Men"),
    ("Storm v Broncos", "Broncos v Storm"), ("storm vs broncos", "Broncos v Storm"),
    ("Melbourne", "Melbourne v Sydney"),
])
def test_pick_resolves_what_people_type(query: str, expected: str) -> None:
    names = ["NRL", "English Premier League", "A League Men", "Broncos v Storm",
             "Melbourne v Sydney", "Geelong v North Melbourne"]
    assert pick(query, names, what="name", where="the list") == expected


@pytest.mark.parametrize(("query", "words"), [
    ("ran", ("no name 'ran'", "Cranbourne")),      # never inside another word
    ("league", ("could mean", "English Premier League", "A League Men")),
    ("", ("letters or digits",)),
])
def test_pick_refuses_what_it_cannot_tell(query: str, words: tuple[str, ...]) -> None:
    names = ["Cranbourne", "English Premier League", "A League Men"]
    with pytest.raises(ToolError) as caught:
        pick(query, names, what="name", where="the list")
    assert all(word in str(caught.value) for word in words), caught.value


def test_a_miss_lists_the_closest_first() -> None:
    with pytest.raises(ToolError) as caught:
        pick("Premier Leage", ["A League Men", "NBL", "English Premier League"], what="x",
             where="y")
    listed = str(caught.value).split("closest first): ")[1]
    assert listed.startswith("English Premier League")


@pytest.mark.anyio
async def test_lower_case_and_spacing_reach_the_same_competition(stack: Stack) -> None:
    exact = await stack.call("competition_matches", sport="Rugby League", competition="NRL")
    typed = await stack.call("competition_matches", sport="rugby  league", competition="nrl")
    assert typed["sport"] == "Rugby League" and typed["competition"] == "NRL"
    assert [m["name"] for m in typed["matches"]] == [m["name"] for m in exact["matches"]]
    shown = await stack.call("competition_matches", sport="nrl", competition="NRL")
    assert shown["sport"] == "Rugby League"  # the sport's display name
    premier = await stack.call("competition_matches", sport="soccer",
                               competition="premier league")
    assert premier["competition"] == "English Premier League"


@pytest.mark.anyio
async def test_a_match_named_with_its_sides_reversed(stack: Stack) -> None:
    body = competition_body(stack, *NRL)
    match = body["matches"][0]
    home, away = match["name"].split(" v ")
    data = await stack.call("match_markets", sport="rugby league", competition="nrl",
                            match=f"{away.lower()} v {home.upper()}")
    assert data["match"]["name"] == match["name"]
    raw = stack.upstream(f"/sports/Rugby%20League/competitions/NRL/matches/"
                         f"{quote(match['name'])}")
    assert [[p["price"] for p in m["propositions"]] for m in data["match"]["markets"]] == [
        [p["returnWin"] for p in m["propositions"]] for m in raw["markets"]]


@pytest.mark.anyio
async def test_unknown_competition_lists_the_sports_competitions(stack: Stack) -> None:
    text = await stack.call_error("competition_matches", sport="Soccer",
                                  competition="Premier Leage")
    sport = stack.upstream("/sports/Soccer")
    assert "no competition 'Premier Leage' in Soccer" in text
    assert all(c["name"] in text for c in sport["competitions"])
    assert text.index("English Premier League") < text.index("A League Men")
    assert "nothing for that" not in text


@pytest.mark.anyio
async def test_unknown_match_lists_the_competitions_matches(stack: Stack) -> None:
    text = await stack.call_error("match_markets", sport="Rugby League", competition="NRL",
                                  match="Bears v Jets")
    names = [m["name"] for m in competition_body(stack, *NRL)["matches"]]
    assert "no match 'Bears v Jets' in NRL" in text
    assert sum(name in text for name in names) >= min(len(names), 15)


@pytest.mark.anyio
async def test_ambiguous_competition_lists_candidates(stack: Stack) -> None:
    text = await stack.call_error("competition_matches", sport="Soccer", competition="league")
    assert "could mean" in text and "English Premier League" in text and "A League Men" in text


@pytest.mark.anyio
async def test_tournament_names_resolve_too(stack: Stack) -> None:
    tennis = stack.upstream("/sports/Tennis")["competitions"][0]
    tournament = tennis["tournaments"][0]["name"]
    data = await stack.call("competition_matches", sport="tennis",
                            competition=tennis["name"].lower(), tournament=tournament.upper())
    raw = stack.upstream(f"/sports/Tennis/competitions/{quote(tennis['name'])}/tournaments/"
                         f"{quote(tournament)}")
    assert data["tournament"] == tournament
    assert [m["name"] for m in data["matches"]] == [m["name"] for m in raw["matches"]]


@pytest.mark.anyio
async def test_a_tennis_match_is_found_without_its_tournament(stack: Stack) -> None:
    tennis = stack.upstream("/sports/Tennis")["competitions"][0]
    tournament = tennis["tournaments"][0]["name"]
    raw = stack.upstream(f"/sports/Tennis/competitions/{quote(tennis['name'])}/tournaments/"
                         f"{quote(tournament)}")["matches"][0]
    first, second = raw["name"].split(" v ")
    data = await stack.call("match_markets", sport="Tennis", competition=tennis["name"],
                            match=f"{second} v {first}")
    assert data["match"]["name"] == raw["name"]
    assert [p["price"] for p in data["match"]["markets"][0]["propositions"]] == [
        p["returnWin"] for p in raw["markets"][0]["propositions"]]


@pytest.mark.anyio
async def test_results_and_footytab_take_names_as_typed(stack: Stack) -> None:
    results = await stack.call("sports_results", sport="afl football", competition="afl")
    raw = stack.upstream("/sports/results/AFL%20Football/competitions/AFL")
    assert [m["name"] for m in results["data"]["matches"]] == [m["name"] for m in raw["matches"]]
    rounds = await stack.call("footy_rounds", sport="AFL")
    raw_rounds = stack.upstream("/sports/AFL%20Football/footy/rounds")["rounds"]
    assert [r["roundId"] for r in rounds["data"]["rounds"]] == [r["roundId"] for r in raw_rounds]
    assert raw_rounds and {r["sportName"] for r in raw_rounds} == {"AFL Football"}
    text = await stack.call_error("footy_rounds", sport="Quidditch")
    assert "no sport 'Quidditch'" in text and "AFL Football" in text
