"""Finding a sport, competition, tournament or match from the name an agent sent.

Names resolve against the sports tree (`/sports`, cached) and, for matches, the competition's
or tournament's match list, through `app.tools.sports_names`; a miss lists what exists one
level up. The names sent upstream are always Tabcorp's own spellings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver.exceptions import ToolError

from app.tab import segments
from app.tab.client import Fetched
from app.tab.errors import NotFound
from app.tab.shapes import record_list, records
from app.tools.calls import Call
from app.tools.sports_names import listing, pick

#: The endpoint label the shape boundary names in its log lines.
_SPORTS = "sports"

#: Tournament bodies read to find a match when no tournament is named.
MAX_TOURNAMENTS = 6


@dataclass(frozen=True, slots=True)
class Place:
    """A competition (or one of its tournaments) by Tabcorp's own names."""

    sport: str
    competition: str
    tournaments: tuple[str, ...] = ()
    tournament: str | None = None


def check_names(**names: str | None) -> None:
    """Reject a name that cannot be a path segment before anything is fetched."""
    for what, value in names.items():
        if value is not None:
            segments.segment(value, what=what, max_len=200)


def _names(items: Any) -> list[str]:
    return [str(item.get("name")) for item in record_list(items, "names", _SPORTS)
            if item.get("name")]


async def sports_tree(call: Call) -> tuple[list[dict[str, Any]], Fetched]:
    """The open sports (with their competitions and tournaments) and the fetch they came from."""
    fetched = await call.client.sports(jurisdiction=call.jurisdiction)
    return records(fetched.data, "sports", _SPORTS), fetched


async def find_sport(call: Call, sport: str) -> tuple[dict[str, Any], Fetched]:
    """The sports-tree entry `sport` names."""
    check_names(sport=sport)
    tree, fetched = await sports_tree(call)
    shown = {str(s.get("displayName")): str(s.get("name")) for s in tree
             if s.get("displayName") and s.get("displayName") != s.get("name")}
    name = pick(sport, _names(tree), what="sport", where="the open sports", aliases=shown)
    return next(s for s in tree if s.get("name") == name), fetched


async def known_names(call: Call, sport: str, competition: str | None = None
                      ) -> tuple[str, str | None]:
    """Tabcorp's spellings of a sport (and competition) for reads beyond the open matches
    (results, FootyTAB): the sport as the tree has it, the competition too when it is open,
    else as sent (a finished season may have results and no open markets)."""
    check_names(sport=sport, competition=competition)
    entry, _ = await find_sport(call, sport)
    sport_name = str(entry.get("name"))
    if competition is None:
        return sport_name, None
    comps = _names(entry.get("competitions"))
    return sport_name, pick(competition, comps, what="competition", where=sport_name,
                            on_miss=competition)


async def find_place(call: Call, sport: str, competition: str,
                     tournament: str | None = None) -> Place:
    """The competition (and tournament) these names mean."""
    check_names(sport=sport, competition=competition, tournament=tournament)
    entry, _ = await find_sport(call, sport)
    sport_name = str(entry.get("name"))
    comps = record_list(entry.get("competitions"), "competitions", _SPORTS)
    comp_name = pick(competition, _names(comps), what="competition", where=sport_name)
    comp = next(c for c in comps if c.get("name") == comp_name)
    tournaments = tuple(_names(comp.get("tournaments")))
    chosen = None
    if tournament is not None:
        if not tournaments:
            raise ToolError(f"{comp_name} has no tournaments; leave tournament out")
        chosen = pick(tournament, tournaments, what="tournament", where=comp_name)
    return Place(sport_name, comp_name, tournaments, chosen)


async def matches_of(call: Call, place: Place) -> Fetched:
    """The body listing `place`'s matches (its tournament's when it has one)."""
    if place.tournament is not None:
        return await call.client.tournament(place.sport, place.competition, place.tournament,
                                            jurisdiction=call.jurisdiction)
    return await call.client.competition(place.sport, place.competition,
                                         jurisdiction=call.jurisdiction)


def match_list(fetched: Fetched) -> list[dict[str, Any]]:
    """The matches of a competition or tournament body."""
    return records(fetched.data, "matches", "sports/.../matches")


async def _fetch_match(call: Call, place: Place, match: str) -> Fetched:
    if place.tournament is not None:
        return await call.client.tournament_match(place.sport, place.competition,
                                                  place.tournament, match,
                                                  jurisdiction=call.jurisdiction)
    return await call.client.match(place.sport, place.competition, match,
                                   jurisdiction=call.jurisdiction)


async def _named_matches(call: Call, place: Place) -> list[tuple[Place, str]]:
    """Every (place, match name) of `place`: of each tournament when none is chosen."""
    places = [place]
    if place.tournament is None and place.tournaments:
        places = [Place(place.sport, place.competition, place.tournaments, name)
                  for name in place.tournaments[:MAX_TOURNAMENTS]]
    found: list[tuple[Place, str]] = []
    for each in places:
        fetched = await matches_of(call, each)
        found += [(each, name) for name in _names(match_list(fetched))]
    return found


async def find_match(call: Call, place: Place, match: str) -> tuple[Place, Fetched]:
    """One match of `place` with every market: tried by the name as sent, then resolved
    against the match list (sides in either order, case and spacing ignored)."""
    check_names(match=match)
    if place.tournament is not None or not place.tournaments:
        try:
            return place, await _fetch_match(call, place, match)
        except NotFound:
            pass
    named = await _named_matches(call, place)
    where = place.tournament or place.competition
    if not named:
        raise ToolError(f"{where} has no open matches; see {place.sport}'s competitions with "
                        "sport_competitions")
    chosen = pick(match, [name for _, name in named], what="match", where=where)
    owner = next(each for each, name in named if name == chosen)
    return owner, await _fetch_match(call, owner, chosen)


def tournament_hint(place: Place) -> str:
    """How to reach a tournament-structured competition's matches."""
    return (f"{place.competition} lists its matches by tournament; pass tournament= one of: "
            f"{listing(place.tournaments)}")
