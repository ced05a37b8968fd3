"""A race detail's result-dependent parts: dividends and the running-double approximates."""

from __future__ import annotations

from app.sandbox.world import dividends, lifecycle
from app.sandbox.world.field import RaceField
from app.sandbox.world.market import place_price, tote_win
from app.sandbox.world.race_view import Body, RaceView, tote_for
from app.sandbox.world.racing import RaceRef
from app.sandbox.world.util import num


def _final_chances(view: RaceView, number: int) -> tuple[RaceField, dict[int, float]] | None:
    """(field, tote chances at the jump) of a race of the meeting; None if abandoned."""
    race = view.meeting.race(number)
    if race is None or race.abandoned:
        return None
    leg_field, leg_book = ((view.field, view.book) if number == view.race.number
                           else view.leg_of(number))
    ref = RaceRef(view.ref.seed, view.meeting, race, view.now)
    tote = tote_for(ref, leg_book, view.links.jurisdiction, race.start)
    return leg_field, tote.chances[0]


def _multi_dividends(view: RaceView) -> list[Body]:
    """Dividends of the multi-race pools that end with this race."""
    n = view.race.number
    multis: list[tuple[str, tuple[int, ...]]] = []
    if n > 1:
        multis.append(("RunningDouble", (n - 1, n)))
    multis += [(p.product, p.legs) for p in view.meeting.exotics if p.legs[-1] == n]
    items = []
    for product, legs in multis:
        chance = 1.0
        winners = []
        for number in legs:
            found = _final_chances(view, number)
            if found is None:
                break
            leg_field, leg_chances = found
            winner = leg_field.results()[0][0]
            winners.append(winner)
            chance *= leg_chances.get(winner, 0.0)
        else:
            items.append(dividends.multi_dividend(product, winners, chance))
    return items


def race_dividends(view: RaceView) -> list[Body]:
    """`dividends` of a paying race: its own pools, then the multi-race pools it ends."""
    final = _final_chances(view, view.race.number)
    assert final is not None
    _, chances = final
    final_tote = tote_for(view.ref, view.book, view.links.jurisdiction, view.race.start)
    starters = len(view.starters)
    place_returns = {}
    for n in chances:
        win = tote_win(final_tote.chances[0][n])
        place_returns[n] = num(round(max(1.0, place_price(win, view.places, starters)), 1))
    items = dividends.race_dividends(view.field.results(), chances, place_returns, view.places,
                                     starters)
    return items + _multi_dividends(view)


def multi_leg_approximates(view: RaceView) -> list[Body]:
    """`multiLegApproximates`: running-double returns once the previous leg has a result."""
    n = view.race.number
    previous = view.meeting.race(n - 1)
    if previous is None or view.status != lifecycle.NORMAL:
        return []
    prev_status = lifecycle.race_status(previous.start, view.now, previous.abandoned)
    if not lifecycle.has_result(prev_status):
        return []
    prev_field, prev_book = view.leg_of(n - 1)
    winner = prev_field.results()[0][0]
    prev_ref = RaceRef(view.ref.seed, view.meeting, previous, view.now)
    prev_tote = tote_for(prev_ref, prev_book, view.links.jurisdiction, previous.start)
    p_winner = prev_tote.chances[0].get(winner, 0.0)
    winner_entrant = prev_field.entrant(winner)
    assert winner_entrant is not None
    approximates = [{"selection": e.number, "return": dividends.payout(
        "RunningDouble", p_winner * view.tote.chances[0].get(e.number, 0.0))}
        for e in view.starters]
    return [{"wageringProduct": "RunningDouble", "approximateSets": [{
        "results": [{"legNumber": 1, "result": winner, "runnerName": winner_entrant.name}],
        "approximates": approximates}]}]
