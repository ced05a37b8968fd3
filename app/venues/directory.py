"""Which meetings race on a day, by name and code: resolved once, not per call.

A race card call needs the venue's race type and 3-letter code before it can ask for the race;
those come from the day's meetings list (a ~200 KB body). A meeting's identity and its race
numbers do not change with prices, so the directory keeps a slim copy for `DIRECTORY_TTL`
seconds even when the response cache is off; prices, statuses and results are never read from
here. A venue or race number that is not found refreshes the day once before the error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from app.primitives.lru import LRU
from app.venues.names import VenueError, resolve_meeting

#: Seconds a day's meeting identities are kept.
DIRECTORY_TTL = 600.0
#: A miss refreshes the day only if its copy is at least this old (seconds).
REFRESH_AFTER = 30.0
#: Days kept at once (today, tomorrow, a few past dates).
MAX_DAYS = 16
#: Venue spellings remembered per day.
MAX_SPELLINGS = 512

FetchMeetings = Callable[[], Awaitable[list[dict[str, Any]]]]


@dataclass
class _Day:
    meetings: list[dict[str, Any]]
    fetched_at: float
    resolved: dict[tuple[str, str | None], dict[str, Any]] = field(default_factory=dict)


def _slim(meeting: dict[str, Any]) -> dict[str, Any]:
    """What identifies a meeting and its races, and its rail (same keys as the upstream's)."""
    return {
        "meetingName": meeting.get("meetingName"), "raceType": meeting.get("raceType"),
        "venueMnemonic": meeting.get("venueMnemonic"), "location": meeting.get("location"),
        "railPosition": meeting.get("railPosition"),
        "meetingDate": meeting.get("meetingDate"),
        "displayMeetingName": meeting.get("displayMeetingName"),
        "races": [{"raceNumber": race.get("raceNumber")} for race in meeting.get("races") or []
                  if isinstance(race, dict)],
    }


def race_numbers(meeting: dict[str, Any]) -> list[int]:
    """The meeting's race numbers, sorted."""
    return sorted(r["raceNumber"] for r in meeting.get("races") or []
                  if isinstance(r.get("raceNumber"), int))


def check_race_number(meeting: dict[str, Any], race_number: int, day: str) -> None:
    """Reject a race number the meeting does not have, saying how many races it has."""
    numbers = race_numbers(meeting)
    if numbers and race_number not in numbers:
        raise VenueError(f"{meeting.get('meetingName')} has races {numbers[0]}–{numbers[-1]} on "
                         f"{day} ({len(numbers)} races); race {race_number} does not exist.")


class VenueDirectory:
    """Meeting identities per (jurisdiction, day), shared by every call of the process."""

    def __init__(self, ttl: float = DIRECTORY_TTL) -> None:
        self._ttl = ttl
        self._days: LRU[tuple[str, str], _Day] = LRU(MAX_DAYS)
        self._locks: dict[tuple[str, str], asyncio.Lock] = {}

    async def meeting(self, key: tuple[str, str], day: str, venue: str, race_type: str | None,
                      race_number: int | None, fetch: FetchMeetings) -> dict[str, Any]:
        """The meeting `venue` names on `day` (checked to have `race_number`, if given).

        `key` is (jurisdiction, day); `fetch` returns the day's meetings when a copy is needed.
        """
        entry = await self._entry(key, fetch, refresh=False)
        try:
            return self._find(entry, day, venue, race_type, race_number)
        except VenueError:
            if time.monotonic() - entry.fetched_at < REFRESH_AFTER:
                raise
        entry = await self._entry(key, fetch, refresh=True)
        return self._find(entry, day, venue, race_type, race_number)

    async def meetings(self, key: tuple[str, str], fetch: FetchMeetings
                       ) -> list[dict[str, Any]]:
        """The day's meeting identities (`key` is (jurisdiction, day))."""
        return (await self._entry(key, fetch, refresh=False)).meetings

    @staticmethod
    def _find(entry: _Day, day: str, venue: str, race_type: str | None,
              race_number: int | None) -> dict[str, Any]:
        meeting = entry.resolved.get((venue, race_type))
        if meeting is None:
            meeting = resolve_meeting(entry.meetings, venue, race_type, day)
            if len(entry.resolved) < MAX_SPELLINGS:
                entry.resolved[venue, race_type] = meeting
        if race_number is not None:
            check_race_number(meeting, race_number, day)
        return meeting

    async def _entry(self, key: tuple[str, str], fetch: FetchMeetings, *,
                     refresh: bool) -> _Day:
        entry = self._days.get(key)
        if entry and not refresh and time.monotonic() - entry.fetched_at < self._ttl:
            return entry
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            current = self._days.get(key)
            if current is not None and current is not entry and (
                    time.monotonic() - current.fetched_at < self._ttl):
                return current  # another call refreshed it while this one waited
            meetings = [_slim(m) for m in await fetch() if isinstance(m, dict)]
            fresh = _Day(meetings, time.monotonic())
            for evicted, _ in self._days.put(key, fresh):
                self._locks.pop(evicted, None)
            return fresh
