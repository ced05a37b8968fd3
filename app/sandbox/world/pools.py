"""A race detail's tote pools and bet types, and the R8 approximates body."""

from __future__ import annotations

from app.sandbox.world import dividends, lifecycle
from app.sandbox.world.market import pool_progress
from app.sandbox.world.meetings import ExoticPlan
from app.sandbox.world.race_view import Body, RaceView, pool_host
from app.sandbox.world.racing import leg, multi_status, pool_final, pool_total, single_status
from app.sandbox.world.util import iso, num

_SINGLE_PRODUCTS = ("Win", "Place", "Quinella", "Exacta", "Duet", "Trifecta", "FirstFour")
#: The pools that publish approximates (R8).
APPROXIMATE_PRODUCTS = ("Quinella", "Exacta", "Duet")


def _single_products(view: RaceView) -> list[str]:
    return [p for p in _SINGLE_PRODUCTS if not (p == "Place" and view.places == 0)]


def _pool_tail(view: RaceView, total: int | float, jackpot: float,
               substitute: str | int = "NYD") -> Body:
    host, host_name = pool_host(view.links.jurisdiction)
    return {"poolTotal": total, "jackpot": num(jackpot), "cominglingHost": host,
            "cominglingHostName": host_name, "cominglingGuests": True, "substitute": substitute}


def _win_history(view: RaceView) -> list[Body]:
    last = len(view.tote.moments) - 1
    return [{"poolTotal": pool_total(view.ref.seed, view.meeting, view.race, "Win", moment),
             "poolTotalTime": iso(moment), "specialDisplayIndicator": i == last}
            for i, moment in enumerate(view.tote.moments[1:], start=1)]


def _single_pool(view: RaceView, product: str) -> Body:
    body: Body = {"wageringProduct": product, "legNumber": 1,
                  "poolStatusCode": single_status(view.status),
                  "cashOutEligibility": "Disabled",
                  "legs": [leg(view.meeting, 1, view.race.number)]}
    if product == "Win":
        body["poolHistory"] = _win_history(view)
    if product in APPROXIMATE_PRODUCTS:
        body["_links"] = {"approximates": view.links(f"{view.path}/pools/{product}/approximates")}
    total = pool_total(view.ref.seed, view.meeting, view.race, product, view.now)
    body.update(_pool_tail(view, total, 0))
    return body


def _running_double(view: RaceView) -> Body | None:
    n = view.race.number
    nxt = view.meeting.race(n + 1)
    if nxt is None:
        return None
    statuses = [view.status, lifecycle.race_status(nxt.start, view.now, nxt.abandoned)]
    total = pool_final(view.ref.seed, view.meeting, n, "RunningDouble") * pool_progress(
        view.now, view.race.start)
    return {"wageringProduct": "RunningDouble", "legNumber": 1,
            "poolStatusCode": multi_status(statuses), "cashOutEligibility": "Disabled",
            "legs": [leg(view.meeting, 1, n), leg(view.meeting, 2, n + 1)],
            **_pool_tail(view, num(total), 0)}


def _exotic(view: RaceView, pool: ExoticPlan) -> Body:
    statuses = []
    for number in pool.legs:
        race = view.meeting.race(number)
        assert race is not None
        statuses.append(lifecycle.race_status(race.start, view.now, race.abandoned))
    first = view.meeting.race(pool.legs[0])
    assert first is not None
    body: Body = {"wageringProduct": pool.product}
    if pool.name:
        body["name"] = pool.name
    body.update({"legNumber": pool.legs.index(view.race.number) + 1,
                 "poolStatusCode": multi_status(statuses),
                 "cashOutEligibility": pool.cash_out,
                 "legs": [leg(view.meeting, i, r) for i, r in enumerate(pool.legs, 1)]})
    substitute: str | int = "NYD"
    if pool.product == "Big6":
        leg_field, _ = view.leg_of(pool.legs[0])
        substitute = max(leg_field.starters(), key=lambda e: e.strength).number
    body.update(_pool_tail(view, num(pool.final_total * pool_progress(view.now, first.start)),
                           pool.jackpot, substitute))
    return body


def pools(view: RaceView) -> list[Body]:
    """The race's `pools`: its own, the running double and every exotic it is a leg of."""
    items = [_single_pool(view, product) for product in _single_products(view)]
    double = _running_double(view)
    if double is not None:
        items.append(double)
    items += [_exotic(view, pool) for pool in view.meeting.exotics
              if view.race.number in pool.legs]
    return items


def bet_types(view: RaceView) -> list[Body]:
    """The race's `betTypes`: every product whose first leg is this race."""
    n = view.race.number
    first = {"raceNumber": n, "venueMnemonic": view.meeting.venue.mnemonic,
             "raceType": view.meeting.venue.race_type}
    products = _single_products(view)
    if view.meeting.race(n + 1) is not None:
        products.append("RunningDouble")
    items: list[Body] = [{"wageringProduct": p, "firstLeg": dict(first)} for p in products]
    for pool in view.meeting.exotics:
        if pool.legs[0] == n:
            item: Body = {"wageringProduct": pool.product}
            if pool.name:
                item["name"] = pool.name
            item["firstLeg"] = dict(first)
            items.append(item)
    return items


def approximates_body(view: RaceView, product: str) -> Body:
    """R8 body (unverified shape beyond `approximates`)."""
    chances = {e.number: view.tote.chances[0][e.number] for e in view.starters
               if e.number in view.tote.chances[0]}
    return {
        "wageringProduct": product,
        "poolTotal": pool_total(view.ref.seed, view.meeting, view.race, product, view.now),
        "approximates": dividends.approximates(product, chances),
        "_links": {"self": view.links(f"{view.path}/pools/{product}/approximates")},
    }
