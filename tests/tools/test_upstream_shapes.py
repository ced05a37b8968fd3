"""Upstream bodies of an unexpected shape, served by the sandbox's overrides, become tool errors
that say the call can be retried, for every tool, over HTTP with the official MCP client; the
log names the endpoint and never carries the body."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mcp import Client

from app.observability.logging import configure_logging
from app.tab import paths
from tests.support.stack import Stack, running_stack

#: A body no endpoint of this server reads as valid (a list where an object belongs), with a
#: marker that must never reach a log line.
WRONG_BODY = [{"marker": "Body-Canary-7731"}, "not an object"]
#: Deeper than any JSON parser recurses.
DEEP_BODY = "[" * 100_000 + "]" * 100_000


@pytest.fixture(scope="module")
def logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    yield stream
    configure_logging("WARNING", "json")


@pytest.fixture(scope="module")
def stack(logs: io.StringIO) -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="racing,sports,results,footytab,raw",
                       tab_cache_enabled=False, tab_mcp_rate_limit=0) as running:
        yield running


def today_race(stack: Stack) -> tuple[str, str, str, int]:
    """(date, race type, venue code, race number) of a race in the sandbox today."""
    body = stack.upstream("/racing/dates/today/meetings")
    meeting = next(m for m in body["meetings"] if m.get("venueMnemonic") and m.get("races"))
    return (meeting["meetingDate"], meeting["raceType"], meeting["venueMnemonic"],
            meeting["races"][0]["raceNumber"])


def sport_path(stack: Stack) -> tuple[str, str, str]:
    """(sport, competition, match) of an open match in the sandbox."""
    sport = stack.upstream("/sports")["sports"][0]
    competition = sport["competitions"][0]["name"]
    matches = stack.upstream(f"/sports/{sport['name']}/competitions/{competition}")["matches"]
    return sport["name"], competition, matches[0]["name"]


Case = Callable[[Stack], tuple[dict[str, Any], str]]


def race_case(route: Callable[[str, str, str, int], paths.Route], **extra: Any) -> Case:
    def case(stack: Stack) -> tuple[dict[str, Any], str]:
        day, kind, venue, number = today_race(stack)
        return ({"venue": venue, "race_number": number, "race_type": kind, "date": day,
                 **extra}, route(day, kind, venue, number).path)
    return case


def fixed(route: Callable[[], paths.Route], **arguments: Any) -> Case:
    return lambda stack: (arguments, route().path)


def day_case(**arguments: Any) -> Case:
    def case(stack: Stack) -> tuple[dict[str, Any], str]:
        day = today_race(stack)[0]
        return {"date": day, **arguments}, paths.meetings(day).path
    return case


def sports_case(level: str) -> Case:
    def case(stack: Stack) -> tuple[dict[str, Any], str]:
        sport, competition, match = sport_path(stack)
        if level == "competitions":  # read from the sports tree
            return {"sport": sport}, paths.sports().path
        if level == "competition":
            return ({"sport": sport, "competition": competition},
                    paths.competition(sport, competition).path)
        return ({"sport": sport, "competition": competition, "match": match},
                paths.match(sport, competition, match).path)
    return case


#: Every tool that shapes what it reads, with arguments and the path whose body goes wrong.
SHAPED: dict[str, Case] = {
    "racing_dates": fixed(paths.dates),
    "racing_meetings": day_case(),
    "meeting_races": lambda stack: ({"venue": today_race(stack)[2], "date": today_race(stack)[0],
                                     "race_type": today_race(stack)[1]},
                                    paths.meetings(today_race(stack)[0]).path),
    "race_card": race_case(paths.race),
    "race_results": race_case(paths.race),
    "race_form": race_case(paths.race_form),
    "runner_form": race_case(lambda d, k, v, n: paths.runner_form(d, k, v, n, 1),
                             runner_number=1),
    "pool_approximates": race_case(lambda d, k, v, n: paths.approximates(d, k, v, n, "Quinella"),
                                   product="Quinella"),
    "next_to_go": fixed(paths.next_to_go),
    "market_movers": fixed(paths.next_to_go),
    "racing_jackpots": fixed(paths.jackpots),
    "exotic_cost": lambda stack: (
        {"product": "Quinella", "bet_type": "boxed", "legs": [[1, 2]],
         "venue": today_race(stack)[2], "race_number": today_race(stack)[3]},
        paths.approximates(*today_race(stack), "Quinella").path),
    "sports_list": fixed(paths.sports),
    "sport_competitions": sports_case("competitions"),
    "competition_matches": sports_case("competition"),
    "match_markets": sports_case("match"),
    "sports_next_to_go": fixed(paths.sports_next_to_go),
    "racing_futures": fixed(lambda: paths.meetings("futures"), race="cup"),
    "sgm_price": lambda stack: (
        dict(zip(("sport", "competition", "match"), sport_path(stack), strict=True),
             legs=[1, 2]),
        paths.sports().path),  # the sports tree its names resolve through
}
#: Tools that pass any JSON through: only an unparseable body is an error for them.
PASSED_THROUGH: dict[str, Case] = {
    "sports_results": fixed(paths.sports_results),
    "footy_rounds": lambda stack: ({"sport": "AFL Football"},
                                   paths.footy_rounds("AFL Football").path),
    "footy_round": lambda stack: ({"sport": "AFL Football", "round": 1},
                                  paths.footy_round("AFL Football", 1).path),
    "tab_get": lambda stack: ({"path": "/v1/tab-info-service/racing/dates"}, paths.dates().path),
}


async def call_with(stack: Stack, path: str, body: Any, tool: str,
                    arguments: dict[str, Any]) -> str:
    stack.admin("DELETE", "/_sandbox/overrides")
    stack.admin("PUT", "/_sandbox/overrides", {"path": path, "body": body})
    try:
        async with Client(stack.mcp_url) as client:
            result = await client.call_tool(tool, arguments)
    finally:
        stack.admin("DELETE", "/_sandbox/overrides")
    assert result.is_error, (tool, result.structured_content)
    text: str = result.content[0].text  # type: ignore[union-attr]
    assert "Traceback" not in text and not text.rstrip().endswith(tool), text
    return text


def test_every_tool_is_covered() -> None:
    from app.tools.toolsets import CONTENTS
    # The account and betting tools are served only with an account (tests/betting).
    names = {tool.name or tool.fn.__name__ for toolset, contents in CONTENTS.items()
             if toolset not in ("account", "betting") for tool in contents.tools}
    assert names == set(SHAPED) | set(PASSED_THROUGH)


@pytest.mark.anyio
@pytest.mark.parametrize("tool", sorted(SHAPED))
async def test_a_list_where_an_object_belongs_is_a_retryable_tool_error(
        stack: Stack, logs: io.StringIO, tool: str) -> None:
    arguments, path = SHAPED[tool](stack)
    text = await call_with(stack, path, WRONG_BODY, tool, arguments)
    assert "Tabcorp answered something unexpected" in text and "retried" in text, text
    warnings = [json.loads(line) for line in logs.getvalue().splitlines()
                if "unexpected upstream shape" in line]
    assert warnings and warnings[-1]["level"] == "warning" and warnings[-1]["endpoint"]
    assert "Body-Canary-7731" not in logs.getvalue()


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "key"), [("racing_dates", "dates"), ("sports_list", "sports"),
                                           ("race_form", "form"), ("next_to_go", "races")])
async def test_a_string_where_a_list_belongs_is_a_retryable_tool_error(
        stack: Stack, tool: str, key: str) -> None:
    arguments, path = SHAPED[tool](stack)
    text = await call_with(stack, path, {key: "Body-Canary-7731"}, tool, arguments)
    assert f"{key} is a str, not a list" in text and "retried" in text, text


@pytest.mark.anyio
@pytest.mark.parametrize("tool", [*sorted(PASSED_THROUGH), "racing_dates", "race_card"])
async def test_nesting_deeper_than_a_parser_goes_is_a_retryable_tool_error(
        stack: Stack, tool: str) -> None:
    arguments, path = {**SHAPED, **PASSED_THROUGH}[tool](stack)
    text = await call_with(stack, path, DEEP_BODY, tool, arguments)
    assert "unreadable response" in text and "try again" in text, text


def nested_bodies(stack: Stack) -> dict[str, tuple[dict[str, Any], str, Any]]:
    """Bodies whose top level is right and a nested part is not, per tool."""
    day, kind, venue, number = today_race(stack)
    meeting = {"meetingName": "X", "venueMnemonic": "XXX", "raceType": "R", "location": "NSW",
               "meetingDate": day, "races": "Body-Canary-7731"}
    race = stack.upstream(paths.race(day, kind, venue, number).path.split("service", 1)[1])
    return {
        "racing_meetings": ({"date": day}, paths.meetings(day).path, {"meetings": [meeting]}),
        "race_card": ({"venue": venue, "race_number": number, "race_type": kind, "date": day},
                      paths.race(day, kind, venue, number).path,
                      {**race, "runners": ["Body-Canary-7731"]}),
        "next_to_go": ({}, paths.next_to_go().path,
                       {"races": [{"meeting": "Body-Canary-7731", "raceNumber": 1}]}),
    }


@pytest.mark.anyio
@pytest.mark.parametrize("tool", ["racing_meetings", "race_card", "next_to_go"])
async def test_a_wrong_shape_deeper_in_the_body_is_a_retryable_tool_error(
        stack: Stack, logs: io.StringIO, tool: str) -> None:
    arguments, path, body = nested_bodies(stack)[tool]
    text = await call_with(stack, path, body, tool, arguments)
    assert "Tabcorp answered something unexpected" in text and "retried" in text, text
    assert "Body-Canary-7731" not in logs.getvalue() and "Traceback" not in logs.getvalue()
