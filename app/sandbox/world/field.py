"""A race's field: entrants, scratchings, true chances and the finishing order (no prices)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from app.sandbox.world import names
from app.sandbox.world.meetings import MeetingPlan, RacePlan
from app.sandbox.world.util import rng

SCRATCHED, LATE_SCRATCHED = "Scratched", "LateScratched"
VACANT_NAME = "...."


@dataclass(frozen=True)
class Entrant:
    """One runner number in the race."""

    number: int
    name: str
    barrier: int
    strength: float
    emergency: bool
    vacant: bool
    scratch_status: str | None  # Scratched / LateScratched, or None for a starter
    scratch_time: datetime | None

    def scratched_at(self, now: datetime) -> str | None:
        """The scratching status visible at `now` (None while still a runner)."""
        if self.scratch_time is not None and now >= self.scratch_time:
            return self.scratch_status
        return None


class RaceField:
    """The static field of one race, with the result it will have.

    The finishing order has its own sub-seed and is drawn only when first needed, so listing a
    day's meetings does not pay for the results of races that have not been run.
    """

    def __init__(self, entrants: tuple[Entrant, ...], result_key: str,
                 dead_heat_fourth: bool) -> None:
        self.entrants = entrants
        self.result_key = result_key
        self.dead_heat_fourth = dead_heat_fourth

    @cached_property
    def order(self) -> tuple[int, ...]:
        """Finishing order of the starters."""
        return _finish(random.Random(self.result_key), self.starters())

    def entrant(self, number: int) -> Entrant | None:
        """The entrant with this runner number, if any."""
        for e in self.entrants:
            if e.number == number:
                return e
        return None

    def starters(self) -> list[Entrant]:
        """Entrants that run (never scratched)."""
        return [e for e in self.entrants if e.scratch_status is None]

    def results(self) -> list[list[int]]:
        """Upstream `results`: [[1st], [2nd], [3rd], [4th]] with a dead heat for 4th if any."""
        groups = [[n] for n in self.order[:4]]
        if self.dead_heat_fourth and len(self.order) >= 5:
            groups[3] = sorted([self.order[3], self.order[4]])
        return groups

    def position(self, number: int) -> int:
        """Upstream `finishingPosition`: 1..4 for placegetters, 0 otherwise."""
        for place, group in enumerate(self.results(), start=1):
            if number in group:
                return place
        return 0


def _finish(r: random.Random, starters: list[Entrant]) -> tuple[int, ...]:
    """Plackett-Luce draw: each next place is won in proportion to strength."""
    pool = list(starters)
    order = []
    while pool:
        total = sum(e.strength for e in pool)
        x = r.random() * total
        for i, e in enumerate(pool):
            x -= e.strength
            if x <= 0 or i == len(pool) - 1:
                order.append(e.number)
                pool.pop(i)
                break
    return tuple(order)


def make_field(seed: int, meeting: MeetingPlan, race: RacePlan) -> RaceField:
    """Generate the field of one race from its own sub-seed."""
    venue = meeting.venue
    r = rng(seed, meeting.day.isoformat(), venue.key, race.number, "field")
    count = race.entries
    barriers = list(range(1, count - race.emergencies + 1))
    if venue.race_type != "G":  # a greyhound's box is its rug number
        r.shuffle(barriers)
    barriers += list(range(len(barriers) + 1, count + 1))
    used: set[str] = set()
    vacant = set()
    if venue.race_type == "G" and r.random() < 0.3:
        vacant = set(r.sample(range(1, 9), r.choice((1, 1, 2))))
    plan = []
    for number in range(1, count + 1):
        name = names.runner_name(r, venue.race_type)
        while name in used:
            name = names.runner_name(r, venue.race_type)
        used.add(name)
        # Log-normal abilities give a favourite-longshot spread like a real market.
        strength = math.exp(r.gauss(0.0, 0.75))
        plan.append((number, name, barriers[number - 1], strength))

    starters_wanted = count - race.emergencies
    early = [n for n in range(1, starters_wanted + 1)
             if n not in vacant and r.random() < (0.07 if venue.race_type != "G" else 0.05)]
    late = [n for n in range(1, starters_wanted + 1)
            if n not in vacant and n not in early and r.random() < 0.025]
    # Emergencies run only when enough of the main field is scratched early.
    emergencies_in = set(range(starters_wanted + 1, starters_wanted + 1 +
                               min(len(early), race.emergencies)))
    start = race.start
    entrants = []
    for number, name, barrier, strength in plan:
        status: str | None = None
        when: datetime | None = None
        is_emergency = number > starters_wanted
        if number in vacant:
            status, when = SCRATCHED, start - timedelta(days=3)
        elif number in early:
            status, when = SCRATCHED, start - timedelta(minutes=r.randint(240, 600))
        elif number in late:
            status, when = LATE_SCRATCHED, start - timedelta(minutes=r.randint(4, 90),
                                                              seconds=r.randint(0, 59))
        elif is_emergency and number not in emergencies_in:
            status, when = SCRATCHED, start - timedelta(minutes=r.randint(120, 180))
        entrants.append(Entrant(
            number=number, name=VACANT_NAME if number in vacant else name, barrier=barrier,
            strength=strength, emergency=is_emergency, vacant=number in vacant,
            scratch_status=status, scratch_time=when))
    result_key = f"{seed}:{meeting.day.isoformat()}:{venue.key}:{race.number}:result"
    return RaceField(tuple(entrants), result_key, dead_heat_fourth=r.random() < 0.03)
