"""The race detail body (R4): assembles runners, pools, markets and results in upstream order."""

from __future__ import annotations

from datetime import timedelta

from app.sandbox.world import commentary, lifecycle
from app.sandbox.world.extra_markets import extra_markets, same_race_multi
from app.sandbox.world.pools import bet_types, pools
from app.sandbox.world.race_results import multi_leg_approximates, race_dividends
from app.sandbox.world.race_view import Body, RaceView, second
from app.sandbox.world.racing import sky_racing
from app.sandbox.world.runner_detail import fast_form, favourite, fixed_win, runner
from app.sandbox.world.util import iso, money, unit


def _heading(view: RaceView) -> Body:
    """The race's identity and its meeting, the body's first keys."""
    meeting, race, venue = view.meeting, view.race, view.meeting.venue
    body: Body = {
        "raceNumber": race.number,
        "spectrumId": venue.name.replace(" ", "_")[:9] + "0",
        "raceName": race.name,
        "raceDistance": race.distance,
        "trackDirection": ("clockwise" if venue.location in ("NSW", "QLD", "ACT", "HKG")
                           and venue.race_type == "R" else "anticlockwise"),
        "meeting": {"meetingName": venue.name, "venueMnemonic": venue.mnemonic,
                    "meetingDate": meeting.day.isoformat(), "location": venue.location,
                    "raceType": venue.race_type, "weatherCondition": meeting.weather,
                    "trackCondition": meeting.track,
                    "sellCode": {"meetingCode": venue.sell_code,
                                 "scheduledType": venue.race_type}},
    }
    if race.sky:
        body["skyRacing"] = sky_racing(meeting, race)
    body.update({
        "hasParimutuel": True, "hasFixedOdds": view.status == lifecycle.NORMAL,
        "broadcastChannel": race.broadcast,
        "broadcastChannels": [race.broadcast] if race.broadcast else [],
        "hasForm": True, "hasEarlySpeedRatings": venue.race_type == "R", "allIn": False,
    })
    if race.cash_out is not None:
        body["cashOutEligibility"] = race.cash_out
    return body


def _resulted_time(view: RaceView) -> str:
    race = view.race
    delay = int(unit(view.ref.seed, view.ref.day, view.meeting.venue.key, race.number,
                     "resulted") * 50)
    return iso(lifecycle.resulted_at(race.start) + timedelta(seconds=delay))


def race_detail(view: RaceView) -> Body:
    """The whole race detail, keys in the upstream's order."""
    race, venue = view.race, view.meeting.venue
    favourite_now = favourite({e.number: fixed_win(view, e.number) for e in view.starters})
    tote_favourite = favourite({e.number: view.tote.win(e.number) for e in view.starters})
    badges = fast_form(view)
    normal = view.status == lifecycle.NORMAL
    body = _heading(view)
    body.update({
        "allowBundle": False, "willHaveFixedOdds": True, "fixedOddsOnlineBetting": True,
        "raceStartTime": iso(race.start), "raceClassConditions": race.race_class,
        "apprenticesCanClaim": venue.race_type == "R", "prizeMoney": money(race.prize),
        "raceStatus": view.status, "substitute": "NR",
        "results": view.field.results() if lifecycle.has_result(view.status) else [],
        "pools": pools(view),
        "allowMulti": True, "allowParimutuelPlace": view.places > 0,
        "parimutuelPlaceStatus": "Open" if normal else "Closed",
        "allowFixedOddsPlace": view.places > 0,
        "numberOfPlaces": view.places, "numberOfFixedOddsPlaces": view.places,
        "runners": [runner(view, e.number, favourite_now, tote_favourite, badges)
                    for e in view.field.entrants],
        "oddsUpdateTime": iso(view.tote.moments[0]),
        "fixedOddsUpdateTime": second(view.book.ticks[view.tick]),
        "raceComments": commentary.comments(view),
        "tips": commentary.tips(view),
        "ratings": commentary.ratings(view),
        "multiLegApproximates": multi_leg_approximates(view),
        "betTypes": bet_types(view),
        "extraMarkets": extra_markets(view, favourite_now),
        "sameRaceMultiMarkets": same_race_multi(view),
        "isPromotionAvailable": False, "isPromotionAvailableInVenueMode": False,
    })
    if view.status == lifecycle.PAYING:
        body["dividends"] = race_dividends(view)
        body["resultedTime"] = _resulted_time(view)
    return body
