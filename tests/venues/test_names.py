"""Venue lookup on the real captured meetings list of 2026-09-23."""

from __future__ import annotations

from typing import Any

import pytest

from app.venues.names import VenueError, parse_venue, resolve_meeting
from tests.conftest import load_sample

DAY = "2026-09-23"


@pytest.fixture(scope="module")
def meetings() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = load_sample("meetings.json")["meetings"]
    return data


@pytest.mark.parametrize(("query", "race_type", "expected"), [
    ("the gold coast dogs", None, ("gold coast", "G")),
    ("Menangle trots", None, ("menangle", "H")),
    ("randwick", None, ("randwick", None)),
    ("the meadows", None, ("meadows", None)),
    ("bendigo dogs", "H", ("bendigo", "H")),  # an explicit race_type wins
])
def test_parse_venue(query: str, race_type: str | None,
                     expected: tuple[str, str | None]) -> None:
    assert parse_venue(query, race_type) == expected


@pytest.mark.parametrize(("query", "race_type", "mnemonic"), [
    ("WFM", None, "WFM"),
    ("warwick farm", None, "WFM"),
    ("Warwick", None, "WFM"),
    ("the meadows", None, None),
    ("eagle farm gallops", None, None),
])
def test_real_meetings_resolve(meetings: list[dict[str, Any]], query: str,
                               race_type: str | None, mnemonic: str | None) -> None:
    meeting = resolve_meeting(meetings, query, race_type, DAY)
    expected = mnemonic or next(m["venueMnemonic"] for m in meetings
                                if m.get("venueMnemonic")
                                and query.lower().replace(" gallops", "") in
                                m["meetingName"].lower())
    assert meeting["venueMnemonic"] == expected


def test_ambiguous_names_list_candidates(meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError) as error:
        resolve_meeting(meetings, "lakeside", None, DAY)  # Q1 LAKESIDE and Q1 LAKESIDE EXTRA
    assert "matches several meetings" in str(error.value)
    assert "Q1 LAKESIDE EXTRA" in str(error.value)


def test_an_exact_name_beats_longer_names(meetings: list[dict[str, Any]]) -> None:
    assert resolve_meeting(meetings, "traralgon", None, DAY)["meetingName"] == "TRARALGON"


def test_misspelt_venue_suggests_the_closest(meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError) as error:
        resolve_meeting(meetings, "Warwik Farn", None, DAY)
    assert "closest matches: WARWICK FARM" in str(error.value)


def test_fixed_odds_only_meetings_are_not_addressable(meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError):
        resolve_meeting(meetings, "Horseshoe Indianapolis Extra", None, DAY)
