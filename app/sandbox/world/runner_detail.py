"""A race detail's runners: fixed-odds and tote prices, fast-form badges, particulars."""

from __future__ import annotations

from datetime import datetime

from app.sandbox.world import lifecycle
from app.sandbox.world.field import Entrant
from app.sandbox.world.market import place_price
from app.sandbox.world.race_view import Body, RaceView, second
from app.sandbox.world.util import SYDNEY, iso, num, to_ladder, unit


def fixed_win(view: RaceView, number: int) -> float:
    """A runner's current fixed-odds win price (0 when it has none)."""
    history = view.book.history(number, view.tick)
    return history[-1][0] if history else 0.0


def favourite(prices: dict[int, float]) -> int | None:
    """The runner with the shortest live price (lowest number on a tie)."""
    live = {n: p for n, p in prices.items() if p > 0}
    return min(live, key=lambda n: (live[n], n)) if live else None


def tote_place(view: RaceView, number: int, index: int = 0) -> float:
    """A runner's tote place return at a snapshot (0 when places are not paid)."""
    win = view.tote.win(number, index)
    if not win or not view.places:
        return 0.0
    return round(max(1.0, place_price(win, view.places, len(view.starters))), 1)


def _fixed_status(view: RaceView, entrant: Entrant, result_status: str | None) -> str:
    scratched = entrant.scratched_at(view.now)
    if scratched:
        return scratched
    if result_status:
        return result_status
    if view.status == lifecycle.NORMAL:
        return "Reserve" if entrant.emergency and entrant.scratch_status else "Open"
    return "Closed"


def _flucs(history: list[tuple[float, datetime]], day_open: datetime) -> list[Body]:
    flucs = []
    for price, when in reversed(history[:-1][-4:]):
        fluc: Body = {"returnWin": num(price), "returnWinTime": second(when)}
        if when < day_open:
            fluc["isPreviousDay"] = True
        flucs.append(fluc)
    return flucs


def fixed_odds(view: RaceView, number: int, favourite: int | None,
               result_status: str | None) -> Body:
    """A runner's `fixedOdds` block."""
    entrant = view.field.entrant(number)
    assert entrant is not None
    history = [] if entrant.vacant else view.book.history(number, view.tick)
    win = history[-1][0] if history else 0.0
    day = view.meeting.day
    day_open = datetime(day.year, day.month, day.day, 9, tzinfo=SYDNEY)
    before_day = [p for p, t in history if t < day_open]
    scratched = entrant.scratched_at(view.now)
    place = (to_ladder(place_price(win, view.places, len(view.starters)))
             if win and view.places else 0.0)
    base = int(unit(view.ref.seed, view.ref.day, view.meeting.venue.key, view.race.number,
                    "proposition") * 800000) + 100000
    body: Body = {
        "returnWin": num(win),
        "returnWinTime": second(history[-1][1]) if history else second(view.race.start),
        "returnWinOpen": num(history[0][0]) if history else 0,
        "returnWinOpenDaily": num(before_day[-1] if before_day else
                                  (history[0][0] if history else 0)),
        "returnPlace": num(place),
        "isFavouriteWin": number == favourite,
        "isFavouritePlace": number == favourite,
        "bettingStatus": _fixed_status(view, entrant, result_status),
        "propositionNumber": base + number,
        "differential": None,
        "flucs": _flucs(history, day_open),
        "returnHistory": [{"returnWin": num(p), "returnWinTime": iso(t)} for p, t in history],
        "percentageChange": (round((win - history[-2][0]) / history[-2][0] * 100)
                             if len(history) > 1 else 0),
        "allowPlace": view.places > 0,
    }
    if scratched and entrant.scratch_time is not None:
        late = scratched == "LateScratched" and win > 0
        deduction = round(87 / win) if late else 0
        body["winDeduction"] = deduction
        body["placeDeduction"] = round(deduction * 0.45)
        body["scratchedTime"] = second(entrant.scratch_time)
    return body


def parimutuel(view: RaceView, number: int, favourite: int | None) -> Body:
    """A runner's `parimutuel` (tote) block."""
    entrant = view.field.entrant(number)
    assert entrant is not None
    scratched = entrant.scratched_at(view.now) is not None or entrant.vacant
    win = 0.0 if scratched else view.tote.win(number)
    movers = []
    if not scratched:
        last = len(view.tote.moments) - 1
        for i in range(1, len(view.tote.moments)):
            movers.append({"returnWin": num(view.tote.win(number, i)),
                           "returnWinTime": iso(view.tote.moments[i]),
                           "specialDisplayIndicator": i == last})
    before = view.tote.win(number, 1) if not scratched else 0.0
    if scratched:
        status = "Scratched"
    else:
        status = "Open" if view.status == lifecycle.NORMAL else "Closed"
    return {
        "returnWin": num(win),
        "returnPlace": num(0.0 if scratched else tote_place(view, number)),
        "returnExact2": 0,
        "isFavouriteWin": number == favourite,
        "isFavouritePlace": number == favourite,
        "isFavouriteExact2": False,
        "bettingStatus": status,
        "marketMovers": movers,
        "percentageChange": round((win - before) / before * 100) if before and win else 0,
    }


def fast_form(view: RaceView) -> dict[int, list[Body]]:
    """Fast-form badges by runner number (leader, rocket, sectional star, top rated)."""
    live = [e.number for e in view.field.entrants if not e.vacant]
    if not live:
        return {}
    infos = view.infos
    badges: dict[int, list[Body]] = {}
    by_rating = sorted(live, key=lambda n: (-infos[n].dfs_rating, n))
    leader = max(live, key=lambda n: (infos[n].early_speed, -n))
    badges.setdefault(leader, []).append(
        {"type": "LikelyLeader", "keywords": None, "ranking": None})
    rocket = by_rating[min(len(by_rating) - 1, 3)]
    badges.setdefault(rocket, []).append({"type": "Rocket", "keywords": None, "ranking": None})
    star = by_rating[-1]
    badges.setdefault(star, []).append(
        {"type": "SectionalStar", "keywords": None, "ranking": None})
    for rank, n in enumerate(by_rating[:3], start=1):
        badges.setdefault(n, []).append({"type": "TopRated", "keywords": None, "ranking": rank})
    return badges


def _result_of(view: RaceView, entrant: Entrant) -> tuple[int, str | None]:
    """(finishing position, fixed-odds result status) of a runner at the view's status."""
    if view.status == lifecycle.PAYING and entrant.scratched_at(view.now) is None:
        position = view.field.position(entrant.number)
        status = ("Winner" if position == 1 else
                  "Placing" if 1 < position <= max(view.places, 1) else "Loser")
        return position, status
    if view.status == lifecycle.INTERIM:
        return view.field.position(entrant.number), None
    return 0, None


def runner(view: RaceView, number: int, favourite: int | None, tote_favourite: int | None,
           badges: dict[int, list[Body]]) -> Body:
    """One entry of the race detail's `runners`."""
    entrant = view.field.entrant(number)
    assert entrant is not None
    info = view.infos[number]
    position, result_status = _result_of(view, entrant)
    body: Body = {
        "runnerName": entrant.name,
        "runnerNumber": number,
        "fixedOdds": fixed_odds(view, number, favourite, result_status),
        "parimutuel": parimutuel(view, number, tote_favourite),
        "silkURL": view.silk(number),
        "trainerName": "" if entrant.vacant else info.trainer.short,
        "vacantBox": entrant.vacant,
        "trainerFullName": "" if entrant.vacant else info.trainer.full,
        "barrierNumber": entrant.barrier,
        "riderDriverName": info.rider.short if info.rider else None,
        "riderDriverFullName": info.rider.full if info.rider else None,
        "handicapWeight": 0 if entrant.vacant else num(info.weight),
        "harnessHandicap": info.harness_handicap,
        "blinkers": info.blinkers,
        "claimAmount": num(info.claim),
        "last5Starts": None if entrant.vacant else info.last5,
        "tcdwIndicators": None if entrant.vacant else info.tcdw,
        "emergency": entrant.emergency,
        "penalty": None,
        "dfsFormRating": info.dfs_rating,
        "techFormRating": 0,
        "totalRatingPoints": info.rating_points,
        "earlySpeedRating": info.early_speed,
        "earlySpeedRatingBand": info.speed_band,
    }
    if number in badges:
        body["fastForm"] = badges[number]
    body["_links"] = {"form": view.form_link(number)}
    if lifecycle.has_result(view.status):
        body["finishingPosition"] = position
    return body
