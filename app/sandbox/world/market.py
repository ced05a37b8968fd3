"""Fixed-odds and tote markets: a deterministic price path per race, read at the clock's instant.

The fixed-odds book is a list of ticks (update instants). At each tick every priced runner has a
ladder price derived from its true chance, a backward random walk (so prices wander early and
converge on the true market at the jump) and an overround of roughly 113-119%. Tote prices are
snapshots on a fixed schedule (every 30 minutes, then every minute in the last hour) with a
take-out of 14.5%, perturbed per snapshot and per pool host.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.sandbox.world.field import RaceField
from app.sandbox.world.util import approx_normal, rng, to_ladder, unit

MARKET_OPENS_BEFORE = timedelta(days=4)
TOTE_TAKE_OUT = 0.145
_MINUTE = timedelta(minutes=1)
_HALF_HOUR = timedelta(minutes=30)


@dataclass(frozen=True)
class Book:
    """The fixed-odds price path of one race."""

    ticks: tuple[datetime, ...]
    prices: tuple[dict[int, float], ...]  # per tick: runner number -> win price (priced runners)
    chances: tuple[dict[int, float], ...]  # per tick: runner number -> market chance

    def index_at(self, now: datetime, start: datetime) -> int:
        """The last tick at or before `now` (prices freeze at the jump)."""
        moment = min(now, start)
        return max(0, bisect.bisect_right(self.ticks, moment) - 1)

    def history(self, number: int, upto: int) -> list[tuple[float, datetime]]:
        """Every change of one runner's win price up to tick `upto`, oldest first."""
        changes: list[tuple[float, datetime]] = []
        for k in range(upto + 1):
            price = self.prices[k].get(number)
            if price is not None and (not changes or changes[-1][0] != price):
                changes.append((price, self.ticks[k]))
        return changes


def make_book(seed: int, day: str, venue_key: str, number: int, field: RaceField,
              start: datetime) -> Book:
    """Generate the fixed-odds price path of one race."""
    r = rng(seed, day, venue_key, number, "book")
    opens = start - MARKET_OPENS_BEFORE + timedelta(minutes=r.randint(0, 240))
    # Few moves while the market is young, more on race day, most in the last two hours.
    phases = ((opens, start - timedelta(days=1), r.randint(5, 8), 1.0),
              (start - timedelta(days=1), start - timedelta(hours=2), r.randint(4, 7), 1.0),
              (start - timedelta(hours=2), start - timedelta(seconds=30), r.randint(7, 12), 0.5))
    moments = [opens]
    for begin, end, count, power in phases:
        span = (end - begin).total_seconds()
        moments += [begin + timedelta(seconds=span * (r.random() ** power),
                                      milliseconds=r.randint(0, 999)) for _ in range(count)]
    for e in field.entrants:
        if e.scratch_time is not None and opens < e.scratch_time < start:
            moments.append(e.scratch_time + timedelta(seconds=5))
    moments.sort()
    priced = [e for e in field.entrants if not e.vacant]
    walk = {e.number: 0.0 for e in priced}
    walks: list[dict[int, float]] = []
    for k in range(len(moments) - 1, -1, -1):
        walks.append(dict(walk))
        scale = 0.03 + 0.12 * (1 - k / len(moments))
        for n in walk:
            walk[n] += r.gauss(0.0, scale)
    walks.reverse()
    prices: list[dict[int, float]] = []
    chances: list[dict[int, float]] = []
    for k, moment in enumerate(moments):
        active = [e for e in priced if e.scratch_time is None or e.scratch_time > moment]
        weights = {e.number: e.strength * math.exp(walks[k][e.number]) for e in active}
        total = sum(weights.values())
        chance = {n: w / total for n, w in weights.items()}
        overround = 1.13 + 0.06 * r.random()
        prices.append({n: to_ladder(1 / (c * overround)) for n, c in chance.items()})
        chances.append(chance)
    return Book(tuple(moments), tuple(prices), tuple(chances))


def tote_schedule(now: datetime, start: datetime) -> list[datetime]:
    """The current tote snapshot instant followed by the five before it (newest first)."""
    moment = min(now, start)
    last_hour = start - timedelta(hours=1)
    points = []
    t = moment
    for _ in range(6):
        if t >= last_hour:
            snap = start - _MINUTE * math.ceil((start - t) / _MINUTE)
            step = _MINUTE
        else:
            snap = last_hour - _HALF_HOUR * math.ceil((last_hour - t) / _HALF_HOUR)
            step = _HALF_HOUR
        points.append(snap)
        t = snap - step
    return points


def tote_chances(book: Book, start: datetime, moment: datetime, key: str) -> dict[int, float]:
    """Tote-implied chances at a snapshot: the book's chances plus per-snapshot noise."""
    base = book.chances[book.index_at(moment, start)]
    stamp = moment.isoformat()
    weights = {}
    for n, c in base.items():
        noise = approx_normal(unit(key, stamp, n, 1), unit(key, stamp, n, 2),
                              unit(key, stamp, n, 3))
        weights[n] = c * math.exp(0.08 * noise)
    total = sum(weights.values())
    return {n: w / total for n, w in weights.items()}


def tote_win(chance: float) -> float:
    """Tote win return for a chance (after take-out), one decimal, at least 1.0."""
    return max(1.0, round((1 - TOTE_TAKE_OUT) / chance, 1))


def place_divisor(starters: int) -> float:
    """How much shorter a place price is than the win price in a field of this size."""
    return 2.2 + 0.28 * max(starters, 5)


def place_price(win: float, places: int, starters: int) -> float:
    """A place return implied by a win return."""
    if places == 0:
        return 0.0
    divisor = place_divisor(starters) * (0.75 if places == 2 else 1.0)
    return max(1.01, 1 + (win - 1) / divisor)


def top_k_chance(chance: float, k: int) -> float:
    """Approximate chance of finishing in the first `k`."""
    if k <= 1:
        return chance
    return min(0.97, k * chance / (1 + (k - 1) * chance))


def pool_progress(now: datetime, start: datetime) -> float:
    """Share of the final pool already invested at `now` (most money comes late)."""
    opens = start - timedelta(hours=12)
    if now <= opens:
        return 0.0
    if now >= start:
        return 1.0
    share = (now - opens) / (start - opens)
    return float(share ** 4)
