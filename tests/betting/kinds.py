"""Finding races and matches the multi and exotic bets can be quoted on, straight from the
sandbox (what tab-mcp should price)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.sandbox.world_support import parse_time, race_paths
from tests.support.stack import Stack

TEAM_COMPETITIONS = (("AFL Football", "AFL"), ("Rugby League", "NRL"), ("Basketball", "NBA"))


@dataclass(frozen=True)
class Race:
    """A race at least 30 minutes away: where it is and its race card."""

    venue: str
    number: int
    card: dict[str, Any]

    def srm(self, top: int) -> list[dict[str, Any]]:
        """The open propositions of the race's Top-`top` same-race multi market."""
        for market in self.card.get("sameRaceMultiMarkets", []):
            if market["betOption"] == f"Top {top}" and market["bettingStatus"] == "Open":
                return [p for p in market["propositions"] if p["bettingStatus"] == "Open"]
        return []

    def tote_runners(self) -> list[int]:
        """Runner numbers open on the tote."""
        return [r["runnerNumber"] for r in self.card["runners"]
                if not r["vacantBox"] and r["parimutuel"]["bettingStatus"] != "Scratched"]


def races(stack: Stack, race_type: str = "R") -> Iterator[Race]:
    """Races at least 30 minutes away, soonest meeting first."""
    meetings = stack.upstream("/racing/dates/today/meetings")
    now = datetime.now(UTC)
    for meeting, race, path in race_paths(meetings, race_type):
        if race["raceStatus"] == "Normal" and (
                parse_time(race["raceStartTime"]) - now).total_seconds() >= 1800:
            yield Race(meeting["meetingName"], race["raceNumber"], stack.upstream(path))


def srm_race(stack: Stack) -> Race:
    """A race whose same-race multi is open to win and in the top 2."""
    return next(r for r in races(stack) if len(r.srm(1)) >= 2 and len(r.srm(2)) >= 2)


def tote_race(stack: Stack) -> Race:
    """A race with at least four runners open on the tote."""
    return next(r for r in races(stack) if len(r.tote_runners()) >= 4)


@dataclass(frozen=True)
class Match:
    """An upcoming team match and its markets (head to head first, then line, total)."""

    sport: str
    competition: str
    name: str
    markets: list[dict[str, Any]]


def team_match(stack: Stack) -> Match:
    """An upcoming match with at least two open same-game markets of two open outcomes."""
    now = datetime.now(UTC)
    for sport, competition in TEAM_COMPETITIONS:
        root = f"/sports/{sport}/competitions/{competition}"
        for match in stack.upstream(root + "/matches").get("matches", []):
            if (parse_time(match["startTime"]) - now).total_seconds() < 1800:
                continue
            markets = [m for m in stack.upstream(f"{root}/matches/{match['name']}/markets")
                       ["markets"] if m.get("sameGame") is not False
                       and m["bettingStatus"] == "Open"
                       and sum(p["bettingStatus"] == "Open" for p in m["propositions"]) >= 2]
            if len(markets) >= 2:
                return Match(sport, competition, match["name"], markets)
    raise AssertionError("no upcoming team match")
