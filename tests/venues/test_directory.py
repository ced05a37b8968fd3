"""The venue directory: meeting identities resolved once per day, even with the cache off."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.venues import directory as venue_directory
from tests.support.stack import Stack, running_stack


@pytest.fixture(scope="module")
def uncached() -> Iterator[Stack]:
    with running_stack(tab_cache_enabled=False) as stack:
        yield stack


def requests_by_kind(stack: Stack) -> dict[str, int]:
    counts = {"meetings": 0, "race": 0}
    for path, count in stack.admin("GET", "/_sandbox/stats")["requests"].items():
        if path.endswith("/meetings"):
            counts["meetings"] += count
        elif "/races/" in path:
            counts["race"] += count
    return counts


def a_meeting(stack: Stack) -> dict[str, Any]:
    body = stack.upstream("/racing/dates/today/meetings")
    return next(m for m in body["meetings"] if m.get("venueMnemonic"))


@pytest.mark.anyio
async def test_race_calls_reuse_the_meeting_identity_with_the_cache_off(uncached: Stack) -> None:
    meeting = a_meeting(uncached)
    uncached.admin("POST", "/_sandbox/stats/reset")
    for _ in range(3):
        await uncached.call("race_card", venue=meeting["meetingName"], race_number=1,
                            race_type=meeting["raceType"])
    # Every race fetch goes upstream (cache off); the meetings list only the first time.
    assert requests_by_kind(uncached) == {"meetings": 1, "race": 3}


@pytest.mark.anyio
async def test_a_miss_on_an_old_copy_refreshes_the_day_once(
        uncached: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = a_meeting(uncached)
    await uncached.call("race_card", venue=meeting["venueMnemonic"], race_number=1,
                        race_type=meeting["raceType"])
    monkeypatch.setattr(venue_directory, "REFRESH_AFTER", 0.0)
    uncached.admin("POST", "/_sandbox/stats/reset")
    text = await uncached.call_error("race_card", venue="Atlantis Downs", race_number=1)
    assert "no meeting" in text and "does not race yesterday, today or tomorrow" in text
    # The day refreshed once; yesterday and tomorrow were read once to look for the venue.
    assert requests_by_kind(uncached) == {"meetings": 3, "race": 0}
    monkeypatch.setattr(venue_directory, "REFRESH_AFTER", 3600.0)
    uncached.admin("POST", "/_sandbox/stats/reset")
    await uncached.call_error("race_card", venue="Atlantis Downs", race_number=1)
    assert requests_by_kind(uncached) == {"meetings": 0, "race": 0}
