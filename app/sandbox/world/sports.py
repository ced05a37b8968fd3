"""Sports fixtures, matches, markets and propositions, and the sports next-to-go list.

Fixtures follow a round-robin per competition: round `k` is the k-th block of `period_days`
days since a fixed epoch, and its pairings come from the circle method over a seeded team order,
so a pairing does not repeat for a whole season. Prices are static per match (a seeded rating
difference), markets close at the start and a match leaves the open lists once it is over.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.sandbox.world import names
from app.sandbox.world.links import Links, join
from app.sandbox.world.sports_catalogue import Competition
from app.sandbox.world.util import iso, num, rng, to_ladder, unit

Body = dict[str, Any]
EPOCH = date(2024, 1, 4)  # a Thursday: weekly rounds run Thursday to Wednesday


@dataclass(frozen=True)
class Match:
    """One fixture."""

    comp: Competition
    round_index: int
    home: str
    away: str
    start: datetime
    tournament: str | None = None

    @property
    def name(self) -> str:
        """`Home v Away` (the tournament name for a golf outright)."""
        if self.comp.kind == "golf":
            return f"{self.tournament} Winner"
        return f"{self.home} v {self.away}"

    @property
    def short_id(self) -> str:
        """A short id in the upstream's style, e.g. `AdevGee`."""
        if self.comp.kind == "golf":
            return f"{self.home[:3]}{self.round_index}"
        return f"{self.home[:3]}v{self.away[:3]}".replace(" ", "")

    @property
    def end(self) -> datetime:
        """When the match is over."""
        return self.start + timedelta(hours=self.comp.duration_hours)

    def key(self, seed: int) -> str:
        """The match's sub-seed."""
        return f"{seed}:{self.comp.cid}:{self.round_index}:{self.home}:{self.away}"


def _round_day(index: int, period: int) -> date:
    return EPOCH + timedelta(days=index * period)


def _pairs(seed: int, comp: Competition, index: int) -> list[tuple[str, str]]:
    teams: list[str | None] = list(comp.teams)
    rng(seed, comp.cid, "order").shuffle(teams)
    if len(teams) % 2:
        teams.append(None)
    n = len(teams)
    r = index % (n - 1)
    rotated = [teams[0], *teams[1:][-r:], *teams[1:][:-r]] if r else list(teams)
    pairs = []
    for i in range(n // 2):
        a, b = rotated[i], rotated[n - 1 - i]
        if a is None or b is None:
            continue
        home, away = (a, b) if (index + i) % 2 == 0 else (b, a)
        pairs.append((home, away))
    return pairs[: comp.per_round]


def _players(seed: int, comp: Competition, index: int, count: int) -> list[str]:
    r = rng(seed, comp.cid, index, "players")
    found: list[str] = []
    while len(found) < count:
        first, last = names.person(r.random(), "player")
        name = f"{first[0]} {last.capitalize()}"
        if name not in found:
            found.append(name)
    return found


def round_matches(seed: int, comp: Competition, index: int) -> list[Match]:
    """Every match of round `index` of a competition."""
    zone = ZoneInfo(comp.zone)
    first_day = _round_day(index, comp.period_days)
    matches = []
    if comp.kind in ("team", "soccer"):
        for i, (home, away) in enumerate(_pairs(seed, comp, index)):
            offset, minutes = comp.slots[i % len(comp.slots)]
            day = first_day + timedelta(days=offset)
            local = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(
                minutes=minutes)
            matches.append(Match(comp, index, home, away, local.astimezone(ZoneInfo("UTC"))))
    elif comp.kind == "tennis":
        # A 16-player knock-out: last 16 over two days, then quarters, semis and the final.
        tournament = comp.tournaments[index % len(comp.tournaments)]
        alive = _players(seed, comp, index, 16)
        day_of = ((0, 0, 0, 0, 1, 1, 1, 1), (2, 2, 2, 2), (3, 3), (4,))
        for stage in day_of:
            winners = []
            for i, offset in enumerate(stage):
                day = first_day + timedelta(days=offset)
                local = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(
                    minutes=11 * 60 + 100 * (i % 4))
                match = Match(comp, index, alive[2 * i], alive[2 * i + 1],
                              local.astimezone(ZoneInfo("UTC")), tournament)
                matches.append(match)
                home_score, away_score = final_score(seed, match)
                winners.append(match.home if home_score > away_score else match.away)
            alive = winners
    else:
        tournament = comp.tournaments[index % len(comp.tournaments)]
        local = datetime(first_day.year, first_day.month, first_day.day, tzinfo=zone) + timedelta(
            hours=7)
        matches.append(Match(comp, index, tournament, "Field", local.astimezone(ZoneInfo("UTC")),
                             tournament))
    return matches


def window_matches(seed: int, comp: Competition, begin: datetime, end: datetime) -> list[Match]:
    """Matches starting in [begin, end), by start time."""
    first = (begin.date() - EPOCH).days // comp.period_days - 1
    last = (end.date() - EPOCH).days // comp.period_days + 1
    found = []
    for index in range(first, last + 1):
        found += [m for m in round_matches(seed, comp, index) if begin <= m.start < end]
    found.sort(key=lambda m: (m.start, m.name))
    return found


def open_matches(seed: int, comp: Competition, now: datetime) -> list[Match]:
    """Matches not yet over (upcoming and in play) in the published window."""
    horizon = timedelta(days=3 if comp.period_days == 1 else 16)
    lookback = timedelta(hours=comp.duration_hours)
    return [m for m in window_matches(seed, comp, now - lookback, now + horizon) if m.end > now]


def finished_matches(seed: int, comp: Competition, now: datetime) -> list[Match]:
    """Matches over within the last week, latest first."""
    found = [m for m in window_matches(seed, comp, now - timedelta(days=7), now) if m.end <= now]
    return sorted(found, key=lambda m: (m.start, m.name), reverse=True)


# -- prices and markets --------------------------------------------------------------------
def home_chance(seed: int, match: Match) -> float:
    """The home side's chance of winning (a seeded rating difference plus home advantage)."""
    diff = (unit(match.key(seed), "rating") - 0.5) * 3.0 + 0.25
    return 1 / (1 + math.exp(-diff))


def _market(seed: int, match: Match, index: int, name: str, option: str, now: datetime,
            propositions: list[Body], places: int = 0) -> Body:
    open_ = now < match.start
    mid = 80000000 + int(unit(match.key(seed), "market", index) * 9000000)
    return {
        "id": str(mid), "name": name, "shortName": name[:30], "betOption": option,
        "betOptionSpectrumId": str(1000 + index), "betOptionPriority": str(index + 1),
        "marketUniqueId": f"{match.comp.spectrum_id}_{mid}", "closeTime": iso(match.start),
        "bettingStatus": "Open" if open_ else "Closed", "isFuture": False,
        "onlineBetting": True, "phoneBettingOnly": False, "inPlay": False,
        "goingInPlay": match.comp.kind != "golf", "allowWin": True, "allowPlace": places > 0,
        "allowEachWay": places > 0, "allowMulti": True, "allowMultiWin": True,
        "allowMultiPlace": False, "allowMultiEachWay": False, "numberOfPlaces": places,
        "cashOutEligibility": "Enabled" if index == 0 else "Disabled", "allowBundle": False,
        "sameGame": match.comp.kind in ("team", "soccer"), "message": None,
        "informationMessage": None, "differential": None,
        "propositions": [dict(p, bettingStatus="Open" if open_ else "Closed", isOpen=open_)
                         for p in propositions],
    }


def _prop(seed: int, match: Match, market: int, order: int, name: str, price: float,
          position: str | None = None, line: float | None = None) -> Body:
    # A wide id space: a same-game multi names its legs by id across every open match.
    pid = 2_000_000 + int(unit(match.key(seed), "prop", market) * 90_000_000) * 10 + order
    body: Body = {"id": str(pid), "name": name, "returnWin": num(price), "returnPlace": 0,
                  "bettingStatus": "Open", "allowPlace": False, "number": pid,
                  "isOpen": True, "sortOrder": order}
    if position is not None:
        body["position"] = position
    if line is not None:
        body["line"] = num(line, 1)
    return body


def markets(seed: int, match: Match, now: datetime) -> list[Body]:
    """A match's markets (head to head or result, line, total; outright for golf)."""
    comp = match.comp
    if comp.kind == "golf":
        r = rng(match.key(seed), "field")
        players = _players(seed, comp, match.round_index, 30)
        strengths = [math.exp(r.gauss(0, 0.9)) for _ in players]
        total = sum(strengths)
        props = [_prop(seed, match, 0, i, p, to_ladder(1 / (s / total * 1.35)))
                 for i, (p, s) in enumerate(zip(players, strengths, strict=True), start=1)]
        return [_market(seed, match, 0, f"{match.tournament} Winner", "Winner", now, props, 4)]
    p = home_chance(seed, match)
    if comp.kind == "soccer":
        draw = 0.26
        home, away = p * (1 - draw), (1 - p) * (1 - draw)
        result = [_prop(seed, match, 0, 1, match.home, to_ladder(1 / (home * 1.07)), "HOME"),
                  _prop(seed, match, 0, 2, "Draw", to_ladder(1 / (draw * 1.07)), "DRAW"),
                  _prop(seed, match, 0, 3, match.away, to_ladder(1 / (away * 1.07)), "AWAY")]
        goals = [_prop(seed, match, 1, 1, f"Over {comp.total}", 1.9, line=comp.total),
                 _prop(seed, match, 1, 2, f"Under {comp.total}", 1.9, line=comp.total)]
        return [_market(seed, match, 0, "Result", "Result", now, result),
                _market(seed, match, 1, "Total Goals Over/Under", "Total Goals Over/Under",
                        now, goals)]
    h2h = [_prop(seed, match, 0, 1, match.home, to_ladder(1 / (p * 1.05)), "HOME"),
           _prop(seed, match, 0, 2, match.away, to_ladder(1 / ((1 - p) * 1.05)), "AWAY")]
    found = [_market(seed, match, 0, "Head To Head", "Head To Head", now, h2h)]
    if comp.kind == "team":
        line = round(-math.log(p / (1 - p)) * comp.total / 12) + 0.5
        lines = [_prop(seed, match, 1, 1, f"{match.home} {line:+.1f}", 1.9, "HOME", line),
                 _prop(seed, match, 1, 2, f"{match.away} {-line:+.1f}", 1.9, "AWAY", -line)]
        total = comp.total + round((unit(match.key(seed), "total") - 0.5) * 10)
        totals = [_prop(seed, match, 2, 1, f"Over {total}", 1.87, line=total),
                  _prop(seed, match, 2, 2, f"Under {total}", 1.87, line=total)]
        found += [_market(seed, match, 1, "Line", "Line", now, lines),
                  _market(seed, match, 2, "Total Points Over/Under", "Total Points Over/Under",
                          now, totals)]
    return found


def match_path(match: Match) -> str:
    """The match's path (under its tournament for tennis and golf)."""
    comp = match.comp
    base = join("sports", comp.sport, "competitions", comp.name)
    if match.tournament is not None:
        base += join("tournaments", match.tournament)
    return base + join("matches", match.name)


def match_body(seed: int, match: Match, now: datetime, links: Links,
               top_markets: int | None = None) -> Body:
    """A match object (P4-P6)."""
    found = markets(seed, match, now)
    if top_markets is not None:
        found = found[:top_markets]
    body: Body = {
        "id": match.short_id, "name": match.name, "startTime": iso(match.start),
    }
    if match.comp.period_days == 7 and match.comp.kind in ("team", "soccer"):
        body["round"] = f"Round {match.round_index % 26 + 1}"
    body["spectrumUniqueId"] = f"{match.comp.spectrum_id}:{match.start:%Y%m%d}:{match.short_id}"
    if match.comp.kind != "golf":
        body["contestants"] = [{"name": match.home, "isHome": True, "position": "HOME"},
                               {"name": match.away, "isHome": False, "position": "AWAY"}]
    else:
        body["contestants"] = []
    body["inPlay"] = match.start <= now < match.end
    body["markets"] = found
    body["_links"] = {"self": links(match_path(match))}
    return body


def parse_window(text: str | None) -> timedelta | None:
    """`12h`, `30m`, `2d` → timedelta; None when absent; ValueError when malformed."""
    if text is None or text == "":
        return None
    units = {"m": 60, "h": 3600, "d": 86400}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(text)
    return timedelta(seconds=int(text[:-1]) * units[text[-1]])


def final_score(seed: int, match: Match) -> tuple[int, int]:
    """The match's final score (points, goals, sets), consistent with its prices."""
    r = random.Random(match.key(seed) + ":score")
    home_wins = r.random() < home_chance(seed, match)
    kind = match.comp.kind
    if kind == "soccer":
        a, b = r.randint(0, 3), r.randint(0, 3)
    elif kind == "tennis":
        a, b = 2, r.randint(0, 1)
    else:
        base = match.comp.total / 2
        a, b = int(r.gauss(base, base * 0.15)), int(r.gauss(base, base * 0.15))
    if kind != "soccer" and (a > b) != home_wins:
        a, b = b, a
    if kind != "soccer" and a == b:
        a += 1 if home_wins else -1
    return a, b
