"""Same-game multis: sports propositions by id, their combined price, and their settlement.

A proposition id is the `number` the match markets give it. One proposition per market
combines; a second one of the same market is dropped and listed under
`redundantPropositions`, leaving the price unchanged (as the notes describe the real service).
The legs of one match are related, so the combined price is below the product of the legs.
Settlement reads the sandbox's own (unverified-shape) sports results.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.world import Links, NotFound, World
from app.sandbox.world import sports as fixtures
from app.sandbox.world.sports_catalogue import SPORTS
from app.sandbox.world.util import to_ladder

Body = dict[str, Any]
SGM_CORRELATION = 0.7
_LINKS = Links("http://sandbox.internal" + SERVICE_ROOT, "NSW")


@dataclass(frozen=True)
class MatchKey:
    """One match: the parts of its info-service path."""

    sport: str
    competition: str
    match: str

    def label(self) -> str:
        """`AFL Football/AFL/Adelaide v Geelong`, for messages and descriptions."""
        return f"{self.sport}/{self.competition}/{self.match}"


@dataclass(frozen=True)
class SportSelection:
    """A sports proposition as its match's markets show it now."""

    proposition_id: int
    match: MatchKey
    market: str  # the market's name
    name: str
    odds: float
    betting_status: str
    start: str


class SportsCatalogue:
    """Resolves sports proposition ids of open matches to selections."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._lock = threading.Lock()
        self._index: dict[int, MatchKey] = {}

    def _rebuild(self, now: datetime) -> None:
        index: dict[int, MatchKey] = {}
        for sport in SPORTS:
            for comp in sport.competitions:
                for match in fixtures.open_matches(self.world.seed, comp, now):
                    key = MatchKey(comp.sport, comp.name, match.name)
                    for market in fixtures.markets(self.world.seed, match, now):
                        for prop in market["propositions"]:
                            index[int(prop["number"])] = key
        with self._lock:
            self._index = index

    def find(self, proposition_id: int) -> SportSelection | None:
        """The open-match proposition with this id, if any."""
        with self._lock:
            key = self._index.get(proposition_id)
        if key is None:
            self._rebuild(self.world.clock.now())
            with self._lock:
                key = self._index.get(proposition_id)
        if key is None:
            return None
        try:
            body = self.world.match_markets(key.sport, key.competition, key.match, _LINKS)
            start = self.world.match(key.sport, key.competition, key.match, _LINKS)["startTime"]
        except NotFound:
            return None
        for market in body["markets"]:
            for prop in market["propositions"]:
                if int(prop["number"]) == proposition_id:
                    return SportSelection(proposition_id, key, market["name"], prop["name"],
                                          float(prop["returnWin"]), prop["bettingStatus"], start)
        return None


def combine(selections: list[SportSelection]) -> tuple[list[SportSelection], list[int], float]:
    """(kept legs, redundant proposition ids, combined price) of one same-game multi."""
    kept: dict[str, SportSelection] = {}
    redundant: list[int] = []
    for selection in selections:
        if selection.market in kept:
            redundant.append(selection.proposition_id)
        else:
            kept[selection.market] = selection
    product = 1.0
    for selection in kept.values():
        product *= selection.odds
    price = product if len(kept) == 1 else to_ladder(max(1.01, product * SGM_CORRELATION))
    return list(kept.values()), redundant, price


def match_result(world: World, key: MatchKey) -> Body | None:
    """The match's result body once it is over (None before)."""
    try:
        return world.sports_result_match(key.sport, key.competition, key.match, _LINKS)
    except NotFound:
        return None


def legs_won(result: Body, legs: list[tuple[str, str]]) -> bool:
    """Whether every (market, proposition name) leg is among the result's winners."""
    winners = {(m["marketName"], p["name"]) for m in result["results"]
               for p in m["winningPropositions"]}
    return all(leg in winners for leg in legs)
