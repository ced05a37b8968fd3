"""The races a next-to-go body lists, as the arguments that open each race's detail.

`market_movers` and the cache warmer read the list the same way, so the races the warmer keeps
fresh are exactly the reads the tool makes (`TabClient.race(date, race_type, venue, number)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.tab.shapes import nested_object, records

NEXT_TO_GO = "racing/next-to-go/races"


@dataclass(frozen=True, slots=True)
class RaceAddress:
    """The arguments of `TabClient.race()` for one race."""

    date: str
    race_type: str
    venue: str
    race_number: int


def next_races(data: Any, count: int, race_type: str | None = None) -> list[RaceAddress]:
    """The first `count` races of a next-to-go body (soonest first) that have a venue code,
    of `race_type` when given."""
    out: list[RaceAddress] = []
    for race in records(data, "races", NEXT_TO_GO):
        meeting = nested_object(race, "meeting", NEXT_TO_GO)
        if not meeting.get("venueMnemonic") or (race_type and meeting.get("raceType") != race_type):
            continue
        out.append(RaceAddress(str(meeting.get("meetingDate")), str(meeting.get("raceType")),
                               str(meeting["venueMnemonic"]), int(race.get("raceNumber", 0))))
        if len(out) == count:
            break
    return out


def next_to_go_depth(count: int) -> int:
    """How many races to ask next-to-go for, to find `count` of one type among them."""
    return min(100, count * 4)
