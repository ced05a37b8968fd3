"""Finding a betting proposition in the sandbox world by its `propositionId`.

The race card numbers each runner's fixed-odds proposition (`fixedOdds.propositionNumber`) and
each same-race-multi proposition (`sameRaceMultiMarkets[].propositions[].number`) from a per-race
base. The index here recomputes those bases per day to narrow an id to a few candidate races;
each candidate is then confirmed against the race card itself, which stays the one source of
prices, statuses and results.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.world import Links, NotFound, World
from app.sandbox.world.util import unit

Body = dict[str, Any]

#: Days around today (Sydney) whose races can take bets: the fields published ahead.
BETTABLE_DAYS = range(-1, 4)
MAX_RUNNER = 30
SRM_MARKETS = range(1, 5)
_INTERNAL_BASE = "http://sandbox.internal" + SERVICE_ROOT


@dataclass(frozen=True)
class RaceKey:
    """One race: the four parts of its info-service path."""

    day: date
    race_type: str
    venue: str  # the mnemonic
    number: int

    def label(self) -> str:
        """`2026-09-23 R/WFM R2`, for messages and descriptions."""
        return f"{self.day.isoformat()} {self.race_type}/{self.venue} R{self.number}"


@dataclass(frozen=True)
class Selection:
    """A proposition as the race card shows it now."""

    proposition_id: int
    race: RaceKey
    market: str  # "WIN" for a runner's fixed-odds proposition, "TOP1".."TOP4" for same-race multi
    runner_number: int
    runner_name: str
    venue_name: str
    race_start: str
    race_status: str
    betting_status: str
    win_odds: float
    place_odds: float


def race_body(world: World, race: RaceKey, jurisdiction: str = "NSW") -> Body:
    """The race card of `race` as the info service answers it now."""
    links = Links(_INTERNAL_BASE, jurisdiction)
    return world.race(race.day.isoformat(), race.race_type, race.venue, str(race.number), links)


def _runner_selection(body: Body, race: RaceKey, proposition_id: int) -> Selection | None:
    for runner in body["runners"]:
        fixed = runner["fixedOdds"]
        if fixed.get("propositionNumber") == proposition_id:
            return Selection(proposition_id, race, "WIN", runner["runnerNumber"],
                             runner["runnerName"], body["meeting"]["meetingName"],
                             body["raceStartTime"], body["raceStatus"], fixed["bettingStatus"],
                             float(fixed["returnWin"]), float(fixed["returnPlace"]))
    return None


def _multi_selection(body: Body, race: RaceKey, proposition_id: int) -> Selection | None:
    for market in body.get("sameRaceMultiMarkets", []):
        for prop in market["propositions"]:
            if prop["number"] != proposition_id:
                continue
            status = prop["bettingStatus"]
            if market["bettingStatus"] != "Open" and status == "Open":
                status = market["bettingStatus"]
            top = market["betOption"].replace(" ", "").upper()  # "Top 2" -> "TOP2"
            return Selection(proposition_id, race, top, prop["runnerNumber"], prop["name"],
                             body["meeting"]["meetingName"], body["raceStartTime"],
                             body["raceStatus"], status, float(prop["returnWin"]), 0.0)
    return None


def selection_in(body: Body, race: RaceKey, proposition_id: int) -> Selection | None:
    """The proposition `proposition_id` on the race card `body`, if it is there."""
    return (_runner_selection(body, race, proposition_id)
            or _multi_selection(body, race, proposition_id))


class Catalogue:
    """Resolves proposition ids of the bettable days to selections."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._lock = threading.Lock()
        self._bases: dict[date, tuple[dict[int, list[RaceKey]], dict[int, list[RaceKey]]]] = {}

    def _day_bases(self, day: date) -> tuple[dict[int, list[RaceKey]], dict[int, list[RaceKey]]]:
        with self._lock:
            found = self._bases.get(day)
        if found is not None:
            return found
        runners: dict[int, list[RaceKey]] = {}
        multis: dict[int, list[RaceKey]] = {}
        seed, text = self.world.seed, day.isoformat()
        for meeting in self.world.day_plan(day):
            venue = meeting.venue
            if venue.mnemonic is None:
                continue
            for race in meeting.races:
                key = RaceKey(day, venue.race_type, venue.mnemonic, race.number)
                # The same draws the race card numbers its propositions with.
                base = int(unit(seed, text, venue.key, race.number, "proposition") * 800000)
                runners.setdefault(base + 100000, []).append(key)
                multi = int(unit(seed, text, venue.key, race.number, "srm-props") * 800000)
                multis.setdefault(multi + 150000, []).append(key)
        with self._lock:
            if len(self._bases) > 8:
                self._bases.clear()
            self._bases[day] = (runners, multis)
        return runners, multis

    def _candidates(self, proposition_id: int) -> list[RaceKey]:
        today = self.world.today()
        races: list[RaceKey] = []
        for offset in BETTABLE_DAYS:
            runners, multis = self._day_bases(today + timedelta(days=offset))
            for n in range(1, MAX_RUNNER + 1):
                races += runners.get(proposition_id - n, [])
                for k in SRM_MARKETS:
                    races += multis.get(proposition_id - 20 * k - n, [])
        return list(dict.fromkeys(races))

    def find(self, proposition_id: int, jurisdiction: str = "NSW",
             odds_hint: float | None = None) -> Selection | None:
        """The selection with this id (open races first, then one whose price is `odds_hint`)."""
        found: list[Selection] = []
        for race in self._candidates(proposition_id):
            try:
                body = race_body(self.world, race, jurisdiction)
            except NotFound:
                continue
            selection = selection_in(body, race, proposition_id)
            if selection is not None:
                found.append(selection)
        if not found:
            return None
        found.sort(key=lambda s: (s.race_status != "Normal", s.win_odds != odds_hint,
                                  s.race_start))
        return found[0]
