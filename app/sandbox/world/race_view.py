"""One race seen at one instant for one jurisdiction: the state every part of its detail reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from app.sandbox.world.field import RaceField
from app.sandbox.world.links import Links
from app.sandbox.world.market import Book, tote_chances, tote_schedule, tote_win
from app.sandbox.world.meetings import MeetingPlan
from app.sandbox.world.racing import RaceRef, race_path
from app.sandbox.world.runners import RunnerInfo
from app.sandbox.world.util import iso

Body = dict[str, Any]
#: (field, book) of another race of the same meeting, by race number.
LegOf = Callable[[int], tuple[RaceField, Book]]

_HOSTS = {"NSW": ("NSW", "NSW TAB"), "ACT": ("NSW", "NSW TAB"), "QLD": ("QLD", "QLD TAB")}


def pool_host(jurisdiction: str) -> tuple[str, str]:
    """(cominglingHost, cominglingHostName) of the pools a jurisdiction bets into."""
    return _HOSTS.get(jurisdiction, ("VIC", "VIC TAB"))


def places_for(starters: int) -> int:
    """Dividend places paid for a field of `starters`."""
    return 3 if starters >= 8 else 2 if starters >= 5 else 0


def second(instant: datetime) -> str:
    """ISO time truncated to the second (the fixed-odds timestamps' precision)."""
    return iso(instant.replace(microsecond=0))


@dataclass
class Tote:
    """Tote-implied chances at the current snapshot and the five before it (newest first)."""

    moments: list[datetime]
    chances: list[dict[int, float]]

    def win(self, number: int, index: int = 0) -> float:
        """Tote win return of a runner at a snapshot (0 when not in the pool)."""
        chance = self.chances[index].get(number)
        return tote_win(chance) if chance else 0.0


def tote_for(ref: RaceRef, book: Book, jurisdiction: str, moment: datetime | None = None) -> Tote:
    """Tote snapshots of a race seen at `moment` (default: the reference's instant)."""
    host = pool_host(jurisdiction)[0]
    key = f"{ref.seed}:{ref.day}:{ref.meeting.venue.key}:{ref.race.number}:tote:{host}"
    points = tote_schedule(moment or ref.now, ref.race.start)
    return Tote(points, [tote_chances(book, ref.race.start, p, key) for p in points])


class RaceView:
    """A race at the reference's instant: its field, prices, tote, starters and places."""

    def __init__(self, ref: RaceRef, field: RaceField, book: Book, infos: dict[int, RunnerInfo],
                 links: Links, leg_of: LegOf) -> None:
        self.ref = ref
        self.meeting: MeetingPlan = ref.meeting
        self.race = ref.race
        self.field = field
        self.book = book
        self.infos = infos
        self.links = links
        self.leg_of = leg_of
        self.now = ref.now
        self.status = ref.status
        self.tick = book.index_at(self.now, self.race.start)
        self.tote = tote_for(ref, book, links.jurisdiction)
        self.starters = [e for e in field.entrants if e.scratched_at(self.now) is None
                         and not e.vacant]
        self.places = places_for(len(self.starters))
        self.path = race_path(self.meeting, self.race.number)

    def chances_now(self) -> dict[int, float]:
        """The fixed-odds book's chances at the current tick."""
        return self.book.chances[self.tick]

    def silk(self, number: int) -> str:
        """The silk image URL of a runner."""
        return self.links.raw("/racing/silk/" + quote(self.infos[number].silks, safe=""))

    def form_link(self, number: int) -> str:
        """The form URL of a runner."""
        return self.links(f"{self.path}/form/{number}")
