"""Which meetings race on a date, and each meeting's static programme (races, times, pools)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from app.sandbox.world import names
from app.sandbox.world.util import local_instant, rng, unit
from app.sandbox.world.venues import VENUES, Venue


@dataclass(frozen=True)
class RacePlan:
    """The static facts of one race (no runners, no prices)."""

    number: int
    name: str
    race_class: str | None
    distance: int | None
    start: datetime
    prize: int
    entries: int  # runner numbers issued, including emergencies and vacant boxes
    emergencies: int
    sky: bool
    broadcast: str | None
    cash_out: str | None
    abandoned: bool
    jackpot: bool


@dataclass(frozen=True)
class ExoticPlan:
    """A meeting-level multi-race pool."""

    product: str
    legs: tuple[int, ...]
    final_total: float
    jackpot: float
    cash_out: str
    name: str | None = None


@dataclass(frozen=True)
class MeetingPlan:
    """One meeting on one (Australian) date."""

    venue: Venue
    day: date
    races: tuple[RacePlan, ...]
    weather: str | None
    track: str | None
    rail: str | None
    exotics: tuple[ExoticPlan, ...]

    def race(self, number: int) -> RacePlan | None:
        """The race with this number, if any."""
        for race in self.races:
            if race.number == number:
                return race
        return None


_R_CLASSES = {
    1: ("3YO BM68", "3YO+ BM72", "3YO+ BM78", "BM84", "BM88", "3YO+ MDN", "3YO+ BM72 FM",
        "OPEN HCP", "G3", "LR", "3YO G3", "4YO+ BM78 FM"),
    2: ("3YO+ MDN", "BM58", "BM64", "BM64 FM", "BM70", "CL1", "CL2", "3YO MDN", "CL3",
        "3YO+ BM64"),
    3: ("MDN", "MDN-SW", "CL1", "CL2", "BM58", "BM50", "RST 58", "3YO+ MDN"),
    4: ("3YO+ MDN", "CLASS 4", "CLASS 3", "HCP", "3YO+ CLM", "G3", "MDN CLM", "ALW"),
    5: ("3YO+ CLM", "MDN CLM", "3YO+ ALW", "HCP", "CLASS 6"),
}
_H_CLASSES = ("NR 45 TO 60", "C0", "C1 - C3", "3YO", "FFA", "NR 50 TO 65 MOBILE", "C2", "4YO")
_G_CLASSES = ("Maiden", "Grade 5", "Restricted Win", "Mixed 6/7", "Grade 4/5", "Free For All",
              "Masters", "Tier 3 - Grade 5", "Grade 6")
_R_DIST = (1000, 1100, 1200, 1200, 1300, 1400, 1400, 1500, 1600, 1600, 1800, 2000, 2100, 2400)
_H_DIST = (1609, 1720, 2100, 2138, 2150, 2200, 2240, 2650)
_G_DIST = (300, 342, 395, 431, 457, 515, 520, 525, 595, 600)
_WEATHER = ("FINE", "FINE", "FINE", "OCAST", "OCAST", "SHWRY")
_R_TRACK = {"FINE": ("GOOD3", "GOOD4", "GOOD4", "SOFT5", "FIRM2"),
            "OCAST": ("GOOD4", "SOFT5", "SOFT6", "SOFT7"),
            "SHWRY": ("SOFT6", "SOFT7", "HVY8", "HVY9")}
_RAILS = ("True", "+3m Entire Circuit", "+4m Entire", "Out 6m Entire Circuit",
          "+5m 1000m to Winning Post , +3m Remainder", "+2m 1200m to 400m, True Remainder")


def meets_on(venue: Venue, seed: int, day: date) -> bool:
    """True when `venue` races on `day` (its usual days mostly, now and then another)."""
    draw = unit(seed, day.isoformat(), "calendar", venue.key)
    return draw < (0.88 if day.weekday() in venue.days else 0.03)


def _class(r: random.Random, venue: Venue) -> str:
    if venue.race_type == "H":
        return r.choice(_H_CLASSES)
    if venue.race_type == "G":
        return r.choice(_G_CLASSES)
    return r.choice(_R_CLASSES[venue.tier])


def _distance(r: random.Random, venue: Venue, race_class: str) -> int:
    if venue.race_type == "H":
        return r.choice(_H_DIST)
    if venue.race_type == "G":
        return r.choice(_G_DIST[r.randrange(3):][:5])
    if venue.location in ("USA", "CAN", "SAM"):
        return r.choice((1006, 1106, 1207, 1308, 1408, 1609, 1709, 1811))
    return r.choice(_R_DIST)


def _prize(r: random.Random, venue: Venue) -> int:
    base = {("R", 1): 100000, ("R", 2): 35000, ("R", 3): 20000, ("R", 4): 90000,
            ("R", 5): 40000, ("H", 1): 25000, ("H", 2): 12000, ("H", 3): 8000, ("H", 4): 30000,
            ("G", 1): 12000, ("G", 2): 5000, ("G", 3): 3000, ("G", 5): 2500}
    amount = base.get((venue.race_type, venue.tier), 10000) * r.uniform(0.7, 1.8)
    return int(round(amount, -2 if amount < 20000 else -3))


def _first_start(r: random.Random, venue: Venue) -> int:
    """Local minutes after midnight of race 1."""
    if venue.night:
        return r.randint(17 * 60 + 30, 19 * 60 + 15)
    if venue.race_type == "G":
        return r.choice((r.randint(10 * 60 + 30, 13 * 60), r.randint(13 * 60, 15 * 60)))
    if venue.location in ("USA", "CAN", "SAM"):
        return r.randint(12 * 60 + 30, 14 * 60)
    return r.randint(12 * 60, 13 * 60 + 40)


def _gap(r: random.Random, venue: Venue) -> int:
    return {"R": r.randint(30, 40), "H": r.randint(22, 30), "G": r.randint(17, 22)}[
        venue.race_type]


def _entries(r: random.Random, venue: Venue) -> tuple[int, int]:
    """(runner numbers issued, of which emergencies)."""
    if venue.race_type == "G":
        return 8, 0
    if venue.race_type == "H":
        return r.randint(7, 12), 0
    if venue.tier == 5:
        return r.randint(5, 12), 0
    field = r.randint(8, 16 if venue.tier in (2, 3) else 14)
    emergencies = r.choice((0, 0, 1, 2)) if field >= 12 else 0
    return field + emergencies, emergencies


def _exotics(r: random.Random, venue: Venue, count: int, weekend: bool) -> list[ExoticPlan]:
    if venue.fixed_odds_only or count < 4:
        return []
    scale = {1: 3.0, 2: 1.0, 3: 0.5, 4: 1.2}.get(venue.tier, 1.0)
    scale *= {"R": 1.0, "H": 0.4, "G": 0.25}[venue.race_type]

    def pool(product: str, legs: range, base: float, cash_out: str = "Disabled",
             name: str | None = None) -> ExoticPlan:
        jackpot = round(r.uniform(0.2, 3000.0), 2) if r.random() < 0.06 else 0.0
        return ExoticPlan(product, tuple(legs), round(base * scale * r.uniform(0.6, 1.6), 2),
                          jackpot, cash_out, name)

    n = count
    pools = [pool("DailyDouble", range(n - 2, n + 1, 2), 4000.0),
             pool("Quaddie", range(n - 3, n + 1), 60000.0, "Enabled")]
    if venue.tier != 4 or venue.location in ("HKG", "JPN", "NZL"):
        if n >= 7:
            pools.append(pool("EarlyQuaddie", range(n - 6, n - 2), 20000.0, "Enabled"))
        pools.append(pool("Treble", range(n - 2, n + 1), 1500.0))
    if venue.race_type == "R" and venue.tier == 1 and n >= 7 and (weekend or r.random() < 0.6):
        pools.append(pool("Big6", range(n - 5, n + 1), 1000.0, name="SR"))
    return pools


def plan_meeting(seed: int, day: date, venue: Venue) -> MeetingPlan:
    """The whole static programme of one meeting."""
    r = rng(seed, day.isoformat(), "meeting", venue.key)
    if venue.tier == 5:
        count = r.randint(2, 10)
    else:
        count = r.randint(6, 10)
    first = _first_start(r, venue)
    gap = _gap(r, venue)
    jackpot_leg = 0
    exotics = _exotics(r, venue, count, day.weekday() >= 5)
    for pool in exotics:
        if pool.jackpot:
            jackpot_leg = pool.legs[0]
    races = []
    minute = first
    for number in range(1, count + 1):
        race_class = _class(r, venue)
        entries, emergencies = _entries(r, venue)
        minutes = minute + r.choice((0, 0, 0, 1, 2, 3))
        australian = venue.australian
        races.append(RacePlan(
            number=number,
            name=names.race_title(r, venue.race_type, race_class),
            race_class=race_class if venue.tier != 5 or r.random() < 0.4 else None,
            distance=_distance(r, venue, race_class),
            start=local_instant(day, minutes, venue.zone),
            prize=_prize(r, venue),
            entries=entries,
            emergencies=emergencies,
            sky=australian or (venue.tier == 4 and r.random() < 0.7),
            broadcast=None if venue.tier == 5 else (
                "Sky Racing 1" if venue.race_type == "R" or r.random() < 0.5 else "Sky Racing 2"),
            cash_out=None if venue.tier == 4 and r.random() < 0.1 else (
                "Enabled" if r.random() < 0.03 else "Disabled"),
            abandoned=r.random() < 0.012,
            jackpot=number == jackpot_leg,
        ))
        minute += gap
    weather = r.choice(_WEATHER) if venue.australian or venue.location in (
        "NZL", "HKG", "JPN") or venue.tier == 5 else None
    track: str | None = None
    if weather is not None:
        if venue.race_type == "R":
            track = ("AWT" if r.random() < 0.3 else "SOFT") if venue.location == "JPN" else (
                "GOOD" if venue.location == "HKG" else
                ("FIRM" if venue.tier == 5 else r.choice(_R_TRACK[weather])))
        else:
            track = r.choice(("GOOD", "GOOD", "FAST")) if venue.race_type == "H" else "GOOD"
    rail = r.choice(_RAILS) if venue.race_type == "R" and weather is not None and (
        venue.australian or venue.location == "JPN") else None
    return MeetingPlan(venue, day, tuple(races), weather, track, rail, tuple(exotics))


def plan_day(seed: int, day: date) -> tuple[MeetingPlan, ...]:
    """Every meeting on `day`, tote meetings first (by code, Australian first, first start)."""
    plans = [plan_meeting(seed, day, v) for v in VENUES if meets_on(v, seed, day)]
    order = {"R": 0, "H": 1, "G": 2}
    plans.sort(key=lambda m: (m.venue.fixed_odds_only, order[m.venue.race_type],
                              not m.venue.australian, m.races[0].start, m.venue.name))
    return tuple(plans)
