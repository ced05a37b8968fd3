"""Bad input to every tool: an isError result that says what to change, never a traceback,
and no upstream request for what can be rejected locally."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client

from tests.support.stack import Stack, running_stack

HOSTILE = "../../oauth/token"
LONG = "R" * 10_000


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="racing,results,sports,footytab,raw") as running:
        yield running


@pytest.fixture(scope="module")
def meeting(stack: Stack) -> dict[str, Any]:
    body = stack.upstream("/racing/dates/today/meetings")
    return next(m for m in body["meetings"] if m.get("venueMnemonic") and m["raceType"] == "R")


# (tool, arguments, words the message must contain, rejected locally)
LOCAL: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("racing_meetings", {"date": "32/13/2026"}, ("YYYY-MM-DD",)),
    ("racing_meetings", {"date": "2026-02-30"}, ("YYYY-MM-DD",)),
    ("racing_meetings", {"race_type": "Z"}, ("race_type",)),
    ("racing_meetings", {"location": LONG}, ("location",)),
    ("meeting_races", {"venue": ""}, ("venue",)),
    ("meeting_races", {"venue": LONG}, ("venue",)),
    ("race_card", {"venue": "Randwick", "race_number": 0}, ("race_number",)),
    ("race_card", {"venue": "Randwick", "race_number": 1, "date": "next week"}, ("YYYY-MM-DD",)),
    ("race_card", {"venue": "Randwick", "race_number": 1, "detail": "everything"}, ("detail",)),
    ("race_card", {"venue": "ランドウィック", "race_number": 1}, ("venue",)),
    ("next_to_go", {"count": 0}, ("count",)),
    ("next_to_go", {"count": 10_000}, ("count",)),
    ("race_form", {"venue": "RAN", "race_number": 1000}, ("race_number",)),
    ("runner_form", {"venue": "RAN", "race_number": 1, "runner_number": -1}, ("runner_number",)),
    ("pool_approximates", {"venue": "RAN", "race_number": 1, "product": "Win"}, ("product",)),
    ("racing_jackpots", {"date": "soon"}, ("YYYY-MM-DD",)),
    ("market_movers", {"races": 0}, ("races",)),
    ("race_results", {"venue": "RAN", "race_number": 1, "date": "1st of May"}, ("YYYY-MM-DD",)),
    ("sport_competitions", {"sport": HOSTILE}, ("sport",)),
    ("sport_competitions", {"sport": LONG}, ("sport",)),
    ("competition_matches", {"sport": "Soccer", "competition": "a/b"}, ("competition",)),
    ("match_markets", {"sport": "Soccer", "competition": "EPL", "match": "A?v=B"}, ("match",)),
    ("match_markets", {"sport": "Soccer", "competition": "EPL", "match": "A\nB"}, ("match",)),
    ("sports_next_to_go", {"limit": 0}, ("limit",)),
    ("sports_results", {"competition": "NRL"}, ("sport",)),
    ("footy_rounds", {"sport": ".."}, ("sport",)),
    ("footy_round", {"sport": "AFL Football", "round": -1}, ("round",)),
    ("tab_get", {"path": HOSTILE}, ("/v1/tab-info-service/",)),
    ("tab_get", {"path": "/v1/account-service/tab/accounts"}, ("/v1/tab-info-service/",)),
    ("tab_get", {"path": "/v1/tab-info-service/racing/dates?jurisdiction=WA"}, ("path",)),
    ("tab_get", {"path": "/v1/tab-info-service/racing/%2e%2e/%2e%2e/oauth"}, ("path",)),
]


async def error_text(stack: Stack, tool: str, arguments: dict[str, Any]) -> str:
    text = await stack.call_error(tool, **arguments)
    assert LONG not in text, "the message must not echo a 10 KB input"
    return text


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "arguments", "words"), LOCAL,
                         ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(LOCAL)])
async def test_rejected_locally(stack: Stack, tool: str, arguments: dict[str, Any],
                                words: tuple[str, ...]) -> None:
    before = stack.upstream_requests()
    text = await error_text(stack, tool, arguments)
    for word in words:
        assert word.lower() in text.lower(), text
    assert stack.upstream_requests() == before, "a locally rejected input reached the upstream"


@pytest.mark.anyio
async def test_unknown_venue_points_to_racing_meetings_not_other_venues(stack: Stack) -> None:
    text = await error_text(stack, "race_card", {"venue": HOSTILE, "race_number": 1})
    body = stack.upstream("/racing/dates/today/meetings")
    names = [m["meetingName"] for m in body["meetings"] if m.get("venueMnemonic")]
    assert "no meeting" in text and "racing_meetings" in text
    assert not [name for name in names if name in text]
    requested = stack.admin("GET", "/_sandbox/stats")["requests"]
    assert all(path == "/oauth/token" or path.endswith("/meetings") for path in requested)


@pytest.mark.anyio
async def test_a_misspelt_name_resolves_or_lists_what_it_could_mean(
        stack: Stack, meeting: dict[str, Any]) -> None:
    misspelt = meeting["meetingName"][:-1] + "X"
    async with Client(stack.mcp_url) as client:
        result = await client.call_tool("meeting_races", {"venue": misspelt})
    if result.is_error:
        assert meeting["meetingName"] in result.content[0].text  # type: ignore[union-attr]
    else:
        assert result.structured_content["meeting"]["venue_code"] == meeting["venueMnemonic"]


@pytest.mark.anyio
async def test_race_out_of_range_says_how_many(stack: Stack, meeting: dict[str, Any]) -> None:
    count = len(meeting["races"])
    text = await error_text(stack, "race_card", {"venue": meeting["venueMnemonic"],
                                                 "race_number": count + 3})
    assert f"{count} races" in text and f"race {count + 3} does not exist" in text
    form = await error_text(stack, "race_form", {"venue": meeting["venueMnemonic"],
                                                 "race_number": count + 3})
    assert f"{count} races" in form


@pytest.mark.anyio
async def test_unknown_runner_lists_the_runners(stack: Stack, meeting: dict[str, Any]) -> None:
    number = meeting["races"][0]["raceNumber"]
    text = await error_text(stack, "runner_form", {"venue": meeting["venueMnemonic"],
                                                   "race_number": number, "runner_number": 39})
    assert "runner 39 is not in" in text and "[1," in text


@pytest.mark.anyio
async def test_ambiguous_venue_lists_candidates(stack: Stack) -> None:
    body = stack.upstream("/racing/dates/today/meetings")
    names: dict[str, set[str]] = {}
    for m in body["meetings"]:
        if m.get("venueMnemonic"):
            names.setdefault(m["meetingName"], set()).add(m["raceType"])
    shared = [name for name, kinds in names.items() if len(kinds) > 1]
    if not shared:
        pytest.skip("no venue hosts two codes today in the sandbox")
    text = await error_text(stack, "race_card", {"venue": shared[0], "race_number": 1})
    assert "matches several meetings" in text and "race_type" in text


@pytest.mark.anyio
async def test_unknown_sport_lists_open_sports(stack: Stack) -> None:
    text = await error_text(stack, "sport_competitions", {"sport": "Quidditch"})
    sports = [s["name"] for s in stack.upstream("/sports")["sports"]]
    assert "Quidditch" in text and all(name in text for name in sports)


@pytest.mark.anyio
async def test_upstream_outage_is_reported_as_temporary(stack: Stack) -> None:
    stack.admin("PUT", "/_sandbox/faults", [{"error_rate": 1.0, "error_status": 503,
                                             "path_prefix": "/racing/next-to-go"}])
    try:
        text = await error_text(stack, "next_to_go", {"count": 3})
    finally:
        stack.admin("DELETE", "/_sandbox/faults")
    # Plain 503s, or the breaker they open, which says when to try again.
    assert "temporarily unavailable" in text or "paused for a moment" in text
    assert "try again" in text
