"""The error-message catalogue: agent mistakes, each answered with an `isError` result whose
text names what to send instead.

Each case is (tool, arguments, expected substrings). An expected substring may list
alternatives separated by "|" (any one must appear). `{R_CODE}` and `{R_NAME}` in arguments or
expectations stand for a thoroughbred meeting racing today in the sandbox.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.stack import Stack, running_stack

#: Where a venue not racing on the date is pointed: its nearest racing day, or the list.
ELSEWHERE = "date='|racing_meetings"

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    # venues: wrong letters, pieces of names, lower case, unknown codes
    ("race_card", {"venue": "ARM", "race_number": 1}, ["no meeting at 'ARM'", ELSEWHERE]),
    ("race_card", {"venue": "XQZ", "race_number": 1}, ["no meeting at 'XQZ'", ELSEWHERE]),
    ("race_card", {"venue": "wick", "race_number": 1}, ["no meeting at 'wick'", ELSEWHERE]),
    ("race_form", {"venue": "xqz", "race_number": 2}, ["no meeting at 'xqz'", ELSEWHERE]),
    ("race_results", {"venue": "Flemingtonn Park Racecourse", "race_number": 1},
     ["no meeting", ELSEWHERE]),
    ("pool_approximates", {"venue": "XQZ", "race_number": 1, "product": "Quinella"},
     ["no meeting at 'XQZ'", ELSEWHERE]),
    ("market_movers", {"venue": "ARM"}, ["no meeting at 'ARM'", ELSEWHERE]),
    ("race_card", {"venue": "", "race_number": 1}, ["'Randwick' or 'RAN'"]),
    ("race_card", {"venue": "{R_CODE}", "race_number": 99}, ["race 99 does not exist",
                                                            "races 1"]),
    # wrong race type: the type the venue races as is named
    ("meeting_races", {"venue": "{R_CODE}", "race_type": "G"}, ["race_type R", "{R_CODE}"]),
    ("meeting_races", {"venue": "{R_NAME} dogs"}, ["race_type R", "code {R_CODE}"]),
    ("race_card", {"venue": "{R_CODE}", "race_number": 1, "race_type": "H"},
     ["does not race as race_type H", "race_type R"]),
    # dates: past, future, malformed, misspelt
    ("race_card", {"venue": "ran", "race_number": 1, "date": "2020-01-01"},
     ["2020-01-01", "racing_dates"]),
    ("race_card", {"venue": "Randwick", "race_number": 1, "date": "2035-06-01"},
     ["2035-06-01", "racing_dates"]),
    ("race_card", {"venue": "Randwick", "race_number": 1, "date": "32/13/2026"},
     ["YYYY-MM-DD"]),
    ("racing_meetings", {"date": "tomorow"}, ["YYYY-MM-DD", "tomorrow"]),
    ("meeting_races", {"venue": "{R_CODE}", "date": "next friday"}, ["YYYY-MM-DD"]),
    # locations: state and country names instead of codes
    ("next_to_go", {"location": "Melbourne"}, ["not a known state or country", "VIC"]),
    ("next_to_go", {"location": "Tassie"}, ["TAS", "Victoria"]),
    ("next_to_go", {"location": "UK"}, ["GBR"]),
    ("next_to_go", {"location": "Sydney"}, ["NSW"]),
]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="racing,results", tab_mcp_rate_limit=0) as running:
        yield running


@pytest.fixture(scope="module")
def names(stack: Stack) -> dict[str, str]:
    """A thoroughbred meeting of today whose name no other meeting of the day shares."""
    meetings = stack.upstream("/racing/dates/today/meetings")["meetings"]
    words = [m["meetingName"].split()[0] for m in meetings]
    meeting = next(m for m in meetings if m.get("venueMnemonic") and m["raceType"] == "R"
                   and len(m["meetingName"].split()) == 1
                   and words.count(m["meetingName"]) == 1)
    return {"R_CODE": meeting["venueMnemonic"], "R_NAME": meeting["meetingName"].title()}


def _fill(value: Any, names: dict[str, str]) -> Any:
    return value.format(**names) if isinstance(value, str) else value


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "arguments", "expected"), CASES,
                         ids=[f"{tool}-{'-'.join(map(str, args.values()))}"
                              for tool, args, _ in CASES])
async def test_each_mistake_names_what_to_send_instead(
        stack: Stack, names: dict[str, str], tool: str, arguments: dict[str, Any],
        expected: list[str]) -> None:
    text = await stack.call_error(tool, **{k: _fill(v, names) for k, v in arguments.items()})
    for wanted in expected:
        assert any(_fill(option, names) in text for option in wanted.split("|")), (wanted, text)


def test_the_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 15
