"""Racing futures (R12 and its races): all-in fixed-odds markets on coming feature races.

The meetings list shape is observed; the futures race detail is an unverified shape modelled on
the race detail (fixed odds only, no pools).
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.sandbox.world import names
from app.sandbox.world.links import Links, join
from app.sandbox.world.util import SYDNEY, iso, local_instant, num, to_ladder, unit

Body = dict[str, Any]
MEETING_NAME = "Racing Futures"
# (name, month, day, distance, state); the date is that day's next occurrence.
_EVENTS = (
    ("Golden Slipper (All In)", 3, 21, 1200, "NSW"),
    ("Doncaster Mile (All In)", 4, 4, 1600, "NSW"),
    ("Stradbroke Handicap (All In)", 6, 13, 1400, "QLD"),
    ("The Everest (All In)", 10, 17, 1200, "NSW"),
    ("Caulfield Cup (All In)", 10, 17, 2400, "VIC"),
    ("Cox Plate (All In)", 10, 24, 2040, "VIC"),
    ("Melbourne Cup (All In)", 11, 3, 3200, "VIC"),
)
_TZ = {"NSW": "Australia/Sydney", "VIC": "Australia/Melbourne", "QLD": "Australia/Brisbane"}


def _events(today: date) -> list[tuple[str, date, int, str]]:
    out = []
    for name, month, day, distance, state in _EVENTS:
        when = date(today.year, month, day)
        if when < today:
            when = date(today.year + 1, month, day)
        out.append((name, when, distance, state))
    out.sort(key=lambda e: (e[1], e[0]))
    return out


def race_path(name: str) -> str:
    """The futures race detail path."""
    return join("racing", "dates", "futures", "meetings", "R", MEETING_NAME, "races", name)


def meetings(today: date, links: Links) -> Body:
    """`/racing/dates/futures/meetings`."""
    races = []
    for name, when, _distance, state in _events(today):
        start = local_instant(when, 16 * 60, _zone(state))
        races.append({"raceName": name, "meetingDate": when.isoformat(),
                      "raceStartTime": iso(start), "_links": {"self": links(race_path(name))}})
    return {"meetings": [{"meetingName": MEETING_NAME, "raceType": "R", "races": races}]}


def _zone(state: str) -> ZoneInfo:
    return ZoneInfo(_TZ[state])


#: Days of daily price history a futures runner carries (flucs).
_FLUC_DAYS = 4


def _price(base: float, seed: int, event: str, number: int, day: date) -> float:
    """A runner's fixed price on `day`: its base price moved by that day's news."""
    move = math.exp(0.5 * (unit(seed, event, number, day.isoformat(), "move") - 0.5))
    return to_ladder(base * move)


def _fixed_odds(seed: int, event: str, number: int, base: float, today: date,
                favourite: bool) -> Body:
    days = [today - timedelta(days=back) for back in range(_FLUC_DAYS + 1)]
    prices = [_price(base, seed, event, number, day) for day in days]
    win, before = prices[0], prices[1]
    update = datetime.combine(today, time(9), tzinfo=SYDNEY)
    return {
        "returnWin": num(win), "returnWinTime": iso(update),
        "returnWinOpen": num(to_ladder(base)), "returnWinOpenDaily": num(before),
        "returnPlace": 0, "isFavouriteWin": favourite, "isFavouritePlace": False,
        "bettingStatus": "Open",
        "propositionNumber": 900000 + int(unit(seed, event, "prop") * 90000) * 10 + number,
        "flucs": [{"returnWin": num(price), "returnWinTime": iso(update - timedelta(days=i))}
                  for i, price in enumerate(prices[1:], start=1)],
        "percentageChange": round((win - before) / before * 100),
        "allowPlace": False,
    }


def race(seed: int, today: date, name: str, links: Links) -> Body | None:
    """A futures race detail (unverified shape), or None when there is no such race.

    Prices move once a day; `returnWinOpen` is the price the market opened at and
    `returnWinOpenDaily` the previous day's.
    """
    for number, (event, when, distance, state) in enumerate(_events(today), start=1):
        if event != name:
            continue
        r = random.Random(f"{seed}:futures:{event}:{when.isoformat()}")
        strengths = [math.exp(r.gauss(0, 1.0)) for _ in range(r.randint(24, 40))]
        total = sum(strengths)
        used: set[str] = set()
        entrants = []
        for i, strength in enumerate(strengths, start=1):
            runner = names.runner_name(r, "R")
            while runner in used:
                runner = names.runner_name(r, "R")
            used.add(runner)
            entrants.append((i, runner, 1 / (strength / total * 1.35)))
        key = f"{event}:{when.isoformat()}"
        now_prices = {i: _price(base, seed, key, i, today) for i, _, base in entrants}
        favourite = min(now_prices, key=lambda i: (now_prices[i], i))
        runners = [{
            "runnerName": runner, "runnerNumber": i,
            "fixedOdds": _fixed_odds(seed, key, i, base, today, i == favourite),
            "parimutuel": {"returnWin": 0, "returnPlace": 0, "bettingStatus": "Closed"},
        } for i, runner, base in entrants]
        start = local_instant(when, 16 * 60, _zone(state))
        return {
            "raceNumber": number, "raceName": event, "raceDistance": distance,
            "meeting": {"meetingName": MEETING_NAME, "venueMnemonic": None,
                        "meetingDate": when.isoformat(), "location": state, "raceType": "R"},
            "hasParimutuel": False, "hasFixedOdds": True, "allIn": True,
            "raceStartTime": iso(start), "raceStatus": "Normal", "results": [],
            "runners": runners,
            "fixedOddsUpdateTime": iso(datetime.combine(today, time(9), tzinfo=SYDNEY)),
            "_links": {"self": links(race_path(event))},
        }
    return None
