"""Seeding, hashing, time and number formatting shared by the generators."""

from __future__ import annotations

import bisect
import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.sandbox.world.errors import BadRequest

SYDNEY = ZoneInfo("Australia/Sydney")


def key(*parts: object) -> str:
    """The sub-seed string for one object: every part joined with ':'."""
    return ":".join(str(p) for p in parts)


def rng(*parts: object) -> random.Random:
    """A private random stream for one object, independent of any other object's stream."""
    return random.Random(key(*parts))


def unit(*parts: object) -> float:
    """A hash-derived number in [0, 1): a cheap one-off draw for one object."""
    digest = hashlib.blake2b(key(*parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def pick(options: tuple[str, ...] | list[str], *parts: object) -> str:
    """A hash-derived choice among `options`."""
    return options[int(unit(*parts) * len(options))]


def iso(instant: datetime) -> str:
    """UTC ISO-8601 with milliseconds and a Z, as the upstream writes times."""
    text = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    return text[:-3] + "Z"


def sydney_date(instant: datetime) -> date:
    """The Australian (Sydney) calendar date of an instant: what "today" means upstream."""
    return instant.astimezone(SYDNEY).date()


def local_instant(day: date, minutes: int, tz: ZoneInfo) -> datetime:
    """`minutes` after local midnight of `day` in `tz`, as an aware UTC datetime."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
    return (midnight + timedelta(minutes=minutes)).astimezone(UTC)


def parse_day(text: str, today: date) -> date:
    """A path date (`YYYY-MM-DD`, `today`, `tomorrow`) as a date; BadRequest when malformed."""
    if text == "today":
        return today
    if text == "tomorrow":
        return today + timedelta(days=1)
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"Invalid date '{text}'", "date", text) from None


def num(value: float, places: int = 2) -> int | float:
    """A JSON number as the upstream writes it: whole values without a decimal point."""
    rounded = round(value, places)
    return int(rounded) if rounded == int(rounded) else rounded


def money(amount: float) -> str:
    """Prize money as the upstream writes it, e.g. "$60000.00"."""
    return f"${amount:.2f}"


def _ladder() -> list[float]:
    steps: list[float] = []
    for lo, hi, step in ((1.01, 2.0, 0.01), (2.0, 3.0, 0.05), (3.0, 5.0, 0.1),
                         (5.0, 10.0, 0.5), (10.0, 30.0, 1.0)):
        value = lo
        while value < hi - 1e-9:
            steps.append(round(value, 2))
            value += step
    steps += [30.0, 31.0, 34.0, 36.0, 41.0, 46.0, 51.0, 56.0, 61.0, 67.0, 71.0, 81.0, 91.0,
              101.0, 126.0, 151.0, 201.0, 251.0, 301.0, 351.0, 401.0, 501.0]
    return steps


#: The fixed-odds price ladder (every price a bookmaker can offer).
LADDER = _ladder()


def to_ladder(price: float) -> float:
    """The nearest ladder price (by ratio) to `price`."""
    if price <= LADDER[0]:
        return LADDER[0]
    if price >= LADDER[-1]:
        return LADDER[-1]
    i = bisect.bisect_left(LADDER, price)
    lo, hi = LADDER[i - 1], LADDER[i]
    return lo if price / lo < hi / price else hi


def approx_normal(u1: float, u2: float, u3: float) -> float:
    """A cheap, bounded, roughly standard-normal value from three uniforms."""
    return (u1 + u2 + u3 - 1.5) * 2.0
