"""Venue lookup on the real captured meetings list of 2026-09-23."""

from __future__ import annotations

from typing import Any

import pytest

from app.venues.names import NotRacing, VenueError, parse_venue, resolve_meeting
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


def test_a_close_misspelling_resolves(meetings: list[dict[str, Any]]) -> None:
    assert resolve_meeting(meetings, "Warwik Farn", None, DAY)["venueMnemonic"] == "WFM"


def test_fixed_odds_only_meetings_are_not_addressable(meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError):
        resolve_meeting(meetings, "Horseshoe Indianapolis Extra", None, DAY)


def test_a_code_given_with_another_race_type_says_which_type_it_races_as(
        meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError) as error:
        resolve_meeting(meetings, "WFM", "G", DAY)
    assert "race_type R" in str(error.value) and "WARWICK FARM" in str(error.value)


@pytest.mark.parametrize("query", ["arm", "wick", "ARM", "wick farm", "arwick far"])
def test_a_substring_inside_a_word_never_resolves(meetings: list[dict[str, Any]],
                                                   query: str) -> None:
    with pytest.raises(NotRacing):
        resolve_meeting(meetings, query, None, DAY)


def test_a_whole_word_prefix_resolves(meetings: list[dict[str, Any]]) -> None:
    assert resolve_meeting(meetings, "eagle", None, DAY)["venueMnemonic"] == "EAG"


def test_a_partial_name_that_could_mean_two_meetings_lists_codes_and_types(
        meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError) as error:
        resolve_meeting(meetings, "farm", None, DAY)
    text = str(error.value)
    assert "code WFM" in text and "code EAG" in text and "race_type R" in text


def test_a_fixed_odds_only_meeting_is_refused_plainly(meetings: list[dict[str, Any]]) -> None:
    with pytest.raises(VenueError) as error:
        resolve_meeting(meetings, "Sunderland", None, DAY)
    assert "fixed-odds-only meeting Tabcorp does not publish a race card for" in str(error.value)


def test_a_name_shared_with_a_fixed_odds_only_meeting_opens_the_tote_meeting(
        meetings: list[dict[str, Any]]) -> None:
    assert resolve_meeting(meetings, "Thistledown", None, DAY)["venueMnemonic"] == "THD"
