"""Agent mistakes about what is offered: products without approximates, locations by name or
misspelt, dates outside what Tabcorp publishes. Each is an isError result naming what to send.

Days outside the published window are replayed as Tabcorp answers them: an empty meetings list
(the sandbox itself invents meetings for any day)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.tab import paths
from tests.support.stack import Stack, running_stack

PAST = "2019-03-02"
FUTURE = "2031-01-01"


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_rate_limit=0) as running:
        for day in (PAST, FUTURE):
            running.admin("PUT", "/_sandbox/overrides", {"path": paths.meetings(day).path,
                                                         "body": {"meetings": []}})
        yield running


WINDOW = ("publishes no meetings", "racing_dates")
APPROXIMATES = ("Quinella", "Exacta", "Duet")
LOCATIONS = ("not a known state or country", "VIC", "NZL")
RACE = {"venue": "RAN", "race_number": 1}

# (tool, arguments, words the message must contain)
CASES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("pool_approximates", {**RACE, "product": "Trifecta"}, APPROXIMATES),
    ("pool_approximates", {**RACE, "product": "FirstFour"}, APPROXIMATES),
    ("pool_approximates", {**RACE, "product": "quinella"}, APPROXIMATES),
    ("pool_approximates", {**RACE, "product": "Exacta "}, APPROXIMATES),
    ("racing_meetings", {"location": "Victoriaa"}, LOCATIONS),
    ("racing_meetings", {"location": "Vic."}, LOCATIONS),
    ("racing_meetings", {"location": "England"}, LOCATIONS),
    ("racing_meetings", {"location": "NSWW"}, LOCATIONS),
    ("racing_meetings", {"date": "futures"}, ("YYYY-MM-DD", "today")),
    ("racing_meetings", {"date": PAST}, (*WINDOW, PAST)),
    ("racing_meetings", {"date": FUTURE}, (*WINDOW, FUTURE)),
    ("meeting_races", {"venue": "RAN", "date": PAST}, WINDOW),
    ("race_card", {**RACE, "date": PAST}, WINDOW),
    ("race_card", {**RACE, "date": FUTURE}, WINDOW),
    ("race_form", {**RACE, "date": FUTURE}, WINDOW),
    ("runner_form", {**RACE, "runner_number": 1, "date": PAST}, WINDOW),
    ("pool_approximates", {**RACE, "product": "Quinella", "date": FUTURE}, WINDOW),
    ("race_results", {**RACE, "date": FUTURE}, WINDOW),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "arguments", "words"), CASES,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(CASES)])
async def test_mistake_names_what_to_send(stack: Stack, tool: str, arguments: dict[str, Any],
                                          words: tuple[str, ...]) -> None:
    text = await stack.call_error(tool, **arguments)
    for word in words:
        assert word in text, text


@pytest.mark.anyio
@pytest.mark.parametrize(("name", "code"), [("Victoria", "VIC"), ("queensland", "QLD"),
                                            (" new  south wales ", "NSW"), ("vic", "VIC")])
async def test_state_names_are_aliases_of_their_codes(stack: Stack, name: str, code: str) -> None:
    by_name = await stack.call("racing_meetings", location=name)
    by_code = await stack.call("racing_meetings", location=code)
    assert by_name["meetings"] and by_name["meetings"] == by_code["meetings"]


@pytest.mark.anyio
async def test_every_day_of_the_window_is_served(stack: Stack) -> None:
    for day in ("yesterday", "today", "tomorrow"):
        assert (await stack.call("racing_meetings", date=day))["meetings"], day
