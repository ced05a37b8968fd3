"""A race detail's fixed-odds side markets: Favourite Out and the same-race-multi Top-k."""

from __future__ import annotations

from app.sandbox.world import lifecycle
from app.sandbox.world.market import top_k_chance
from app.sandbox.world.race_view import Body, RaceView
from app.sandbox.world.util import iso, num, to_ladder, unit


def _market_id(view: RaceView, salt: str, scale: int) -> int:
    """A stable id for one of the race's markets (`salt` names the market)."""
    return int(unit(view.ref.seed, view.ref.day, view.meeting.venue.key, view.race.number,
                    salt) * scale)


def _market_base(market_id: int, name: str, short: str, option: str,
                 message: str | None) -> Body:
    return {"id": market_id, "name": name, "shortName": short, "betOption": option,
            "message": message, "informationMessage": None}


def _title(view: RaceView) -> str:
    return f"{view.meeting.venue.name}-R{view.race.number}"


def _fav_out_propositions(view: RaceView, favourite: int) -> list[Body]:
    chances = view.chances_now()
    rest = 1 - chances.get(favourite, 0.0)
    open_ = view.status == lifecycle.NORMAL
    prop_base = _market_id(view, "favout-props", 5000000) + 1000000
    props = []
    for sort, e in enumerate((e for e in view.field.entrants if not e.vacant), start=1):
        live = e.scratched_at(view.now) is None and e.number in chances
        reserve = e.number == favourite
        price = (to_ladder(1 / (chances[e.number] / rest * 1.16))
                 if live and not reserve else 0.0)
        props.append({
            "id": str(prop_base + e.number), "name": e.name.replace("'", ""),
            "returnWin": num(price), "returnPlace": 0 if reserve or not live else 1.01,
            "bettingStatus": "Reserve" if reserve else ("Open" if live else "Scratched"),
            "allowPlace": False, "sortOrder": sort,
            "number": prop_base // 10 + e.number, "runnerNumber": e.number,
            "isOpen": live and not reserve and open_, "silkURL": view.silk(e.number),
            "_links": {"form": view.form_link(e.number)}})
    return props


def extra_markets(view: RaceView, favourite: int | None) -> list[Body]:
    """`extraMarkets`: the Favourite Out market (fields of five or more with a favourite)."""
    if favourite is None or len(view.starters) < 5:
        return []
    title = _title(view)
    market_id = 139000000 + _market_id(view, "favout", 900000)
    body = _market_base(market_id, f"{title}-Fav Out", f"{title}-FavOut", "Favourite Out",
                        "Must finish 1st or 2nd behind N/A Runner")
    open_ = view.status == lifecycle.NORMAL
    body.update({"cashOutEligibility": "Disabled", "refundsAndDeductions": True,
                 "closeTime": iso(view.race.start),
                 "bettingStatus": "Open" if open_ else "Closed",
                 "allowWin": True, "allowPlace": False, "allowEachWay": False,
                 "allowMulti": True, "allowMultiWin": True, "allowMultiPlace": False,
                 "allowMultiEachWay": False, "numberOfPlaces": 0, "allowBundle": False})
    body["propositions"] = _fav_out_propositions(view, favourite)
    return [body]


def _top_k_propositions(view: RaceView, k: int, prop_base: int) -> list[Body]:
    chances = view.chances_now()
    props = []
    for e in view.field.entrants:
        if e.vacant:
            continue
        live = e.scratched_at(view.now) is None and e.number in chances
        price = (to_ladder(1 / min(0.99, top_k_chance(chances[e.number], k) * 1.12))
                 if live else 0.0)
        props.append({"name": e.name, "returnWin": num(price), "returnPlace": 1.01,
                      "bettingStatus": "Open" if live else "Scratched",
                      "allowPlace": False, "number": prop_base + 20 * k + e.number,
                      "runnerNumber": e.number})
    return props


def same_race_multi(view: RaceView) -> list[Body]:
    """`sameRaceMultiMarkets`: Top 1 to Top 4."""
    title = _title(view)
    base_id = 139000000 + _market_id(view, "srm", 900000)
    prop_base = 150000 + _market_id(view, "srm-props", 800000)
    open_ = view.status == lifecycle.NORMAL
    markets = []
    for k in range(1, 5):
        body = _market_base(base_id + k, f"{title}-Top{k}", f"{title}-Top{k}", f"Top {k}", None)
        body.update({"refundsAndDeductions": True,
                     "bettingStatus": "Open" if open_ else "Closed", "allowMulti": True})
        body["propositions"] = _top_k_propositions(view, k, prop_base)
        markets.append(body)
    return markets
