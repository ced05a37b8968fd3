"""The race detail body (R4): runners with fixed and tote prices, pools, markets and results."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from app.sandbox.world import dividends, lifecycle
from app.sandbox.world.field import RaceField
from app.sandbox.world.links import Links
from app.sandbox.world.market import (
    Book,
    place_price,
    pool_progress,
    top_k_chance,
    tote_chances,
    tote_schedule,
    tote_win,
)
from app.sandbox.world.meetings import ExoticPlan, MeetingPlan
from app.sandbox.world.racing import (
    RaceRef,
    leg,
    multi_status,
    pool_final,
    pool_total,
    race_path,
    single_status,
    sky_racing,
)
from app.sandbox.world.runners import RunnerInfo, rider
from app.sandbox.world.util import SYDNEY, iso, money, num, to_ladder, unit

Body = dict[str, Any]
#: (field, book) of another race of the same meeting, by race number.
LegOf = Callable[[int], tuple[RaceField, Book]]

_SINGLE_PRODUCTS = ("Win", "Place", "Quinella", "Exacta", "Duet", "Trifecta", "FirstFour")
APPROXIMATE_PRODUCTS = ("Quinella", "Exacta", "Duet")
_HOSTS = {"NSW": ("NSW", "NSW TAB"), "ACT": ("NSW", "NSW TAB"), "QLD": ("QLD", "QLD TAB")}
_RATING_TYPES = ("Rating", "Last12Months", "Recent", "Distance", "Class", "Time", "Overall")


def pool_host(jurisdiction: str) -> tuple[str, str]:
    """(cominglingHost, cominglingHostName) of the pools a jurisdiction bets into."""
    return _HOSTS.get(jurisdiction, ("VIC", "VIC TAB"))


def places_for(starters: int) -> int:
    """Dividend places paid for a field of `starters`."""
    return 3 if starters >= 8 else 2 if starters >= 5 else 0


def _second(instant: datetime) -> str:
    return iso(instant.replace(microsecond=0))


@dataclass
class Tote:
    """Tote-implied chances at the current snapshot and the five before it (newest first)."""

    moments: list[datetime]
    chances: list[dict[int, float]]

    def win(self, number: int, index: int = 0) -> float:
        """Tote win return of a runner at a snapshot (0 when not in the pool)."""
        chance = self.chances[index].get(number)
        return tote_win(chance) if chance else 0.0


def tote_for(ref: RaceRef, book: Book, jurisdiction: str, moment: datetime | None = None) -> Tote:
    """Tote snapshots of a race seen at `moment` (default: the reference's instant)."""
    host = pool_host(jurisdiction)[0]
    key = f"{ref.seed}:{ref.day}:{ref.meeting.venue.key}:{ref.race.number}:tote:{host}"
    points = tote_schedule(moment or ref.now, ref.race.start)
    return Tote(points, [tote_chances(book, ref.race.start, p, key) for p in points])


class RaceDetail:
    """Renders one race detail at one instant for one jurisdiction."""

    def __init__(self, ref: RaceRef, field: RaceField, book: Book, infos: dict[int, RunnerInfo],
                 links: Links, leg_of: LegOf) -> None:
        self.ref = ref
        self.meeting: MeetingPlan = ref.meeting
        self.race = ref.race
        self.field = field
        self.book = book
        self.infos = infos
        self.links = links
        self.leg_of = leg_of
        self.now = ref.now
        self.status = ref.status
        self.tick = book.index_at(self.now, self.race.start)
        self.tote = tote_for(ref, book, links.jurisdiction)
        self.starters = [e for e in field.entrants if e.scratched_at(self.now) is None
                         and not e.vacant]
        self.places = places_for(len(self.starters))
        self.path = race_path(self.meeting, self.race.number)

    # -- prices ---------------------------------------------------------------------------
    def _fixed_win(self, number: int) -> float:
        history = self.book.history(number, self.tick)
        return history[-1][0] if history else 0.0

    def _favourite(self, prices: dict[int, float]) -> int | None:
        live = {n: p for n, p in prices.items() if p > 0}
        return min(live, key=lambda n: (live[n], n)) if live else None

    def _tote_place(self, number: int, index: int = 0) -> float:
        win = self.tote.win(number, index)
        if not win or not self.places:
            return 0.0
        return round(max(1.0, place_price(win, self.places, len(self.starters))), 1)

    # -- runners --------------------------------------------------------------------------
    def _fixed_odds(self, number: int, favourite: int | None, result_status: str | None) -> Body:
        entrant = self.field.entrant(number)
        assert entrant is not None
        history = [] if entrant.vacant else self.book.history(number, self.tick)
        win = history[-1][0] if history else 0.0
        day_open = datetime(self.meeting.day.year, self.meeting.day.month, self.meeting.day.day,
                            9, tzinfo=SYDNEY)
        before_day = [p for p, t in history if t < day_open]
        scratched = entrant.scratched_at(self.now)
        if scratched:
            status = scratched
        elif result_status:
            status = result_status
        elif self.status == lifecycle.NORMAL:
            status = "Reserve" if entrant.emergency and entrant.scratch_status else "Open"
        else:
            status = "Closed"
        flucs = []
        for price, when in reversed(history[:-1][-4:]):
            fluc: Body = {"returnWin": num(price), "returnWinTime": _second(when)}
            if when < day_open:
                fluc["isPreviousDay"] = True
            flucs.append(fluc)
        place = (to_ladder(place_price(win, self.places, len(self.starters)))
                 if win and self.places else 0.0)
        base = int(unit(self.ref.seed, self.ref.day, self.meeting.venue.key, self.race.number,
                        "proposition") * 800000) + 100000
        body: Body = {
            "returnWin": num(win),
            "returnWinTime": _second(history[-1][1]) if history else _second(self.race.start),
            "returnWinOpen": num(history[0][0]) if history else 0,
            "returnWinOpenDaily": num(before_day[-1] if before_day else
                                      (history[0][0] if history else 0)),
            "returnPlace": num(place),
            "isFavouriteWin": number == favourite,
            "isFavouritePlace": number == favourite,
            "bettingStatus": status,
            "propositionNumber": base + number,
            "differential": None,
            "flucs": flucs,
            "returnHistory": [{"returnWin": num(p), "returnWinTime": iso(t)}
                              for p, t in history],
            "percentageChange": (round((win - history[-2][0]) / history[-2][0] * 100)
                                 if len(history) > 1 else 0),
            "allowPlace": self.places > 0,
        }
        if scratched and entrant.scratch_time is not None:
            late = scratched == "LateScratched" and win > 0
            deduction = round(87 / win) if late else 0
            body["winDeduction"] = deduction
            body["placeDeduction"] = round(deduction * 0.45)
            body["scratchedTime"] = _second(entrant.scratch_time)
        return body

    def _parimutuel(self, number: int, favourite: int | None) -> Body:
        entrant = self.field.entrant(number)
        assert entrant is not None
        scratched = entrant.scratched_at(self.now) is not None or entrant.vacant
        win = 0.0 if scratched else self.tote.win(number)
        movers = []
        if not scratched:
            for i in range(1, len(self.tote.moments)):
                movers.append({"returnWin": num(self.tote.win(number, i)),
                               "returnWinTime": iso(self.tote.moments[i]),
                               "specialDisplayIndicator": i == len(self.tote.moments) - 1})
        before = self.tote.win(number, 1) if not scratched else 0.0
        if scratched:
            status = "Scratched"
        else:
            status = "Open" if self.status == lifecycle.NORMAL else "Closed"
        return {
            "returnWin": num(win),
            "returnPlace": num(0.0 if scratched else self._tote_place(number)),
            "returnExact2": 0,
            "isFavouriteWin": number == favourite,
            "isFavouritePlace": number == favourite,
            "isFavouriteExact2": False,
            "bettingStatus": status,
            "marketMovers": movers,
            "percentageChange": round((win - before) / before * 100) if before and win else 0,
        }

    def _fast_form(self) -> dict[int, list[Body]]:
        live = [e.number for e in self.field.entrants if not e.vacant]
        if not live:
            return {}
        badges: dict[int, list[Body]] = {}
        by_rating = sorted(live, key=lambda n: (-self.infos[n].dfs_rating, n))
        leader = max(live, key=lambda n: (self.infos[n].early_speed, -n))
        badges.setdefault(leader, []).append(
            {"type": "LikelyLeader", "keywords": None, "ranking": None})
        rocket = by_rating[min(len(by_rating) - 1, 3)]
        badges.setdefault(rocket, []).append({"type": "Rocket", "keywords": None, "ranking": None})
        star = by_rating[-1]
        badges.setdefault(star, []).append(
            {"type": "SectionalStar", "keywords": None, "ranking": None})
        for rank, n in enumerate(by_rating[:3], start=1):
            badges.setdefault(n, []).append({"type": "TopRated", "keywords": None,
                                             "ranking": rank})
        return badges

    def _silk(self, number: int) -> str:
        return self.links.raw("/racing/silk/" + quote(self.infos[number].silks, safe=""))

    def _runner(self, number: int, favourite: int | None, tote_favourite: int | None,
                badges: dict[int, list[Body]]) -> Body:
        entrant = self.field.entrant(number)
        assert entrant is not None
        info = self.infos[number]
        result_status = None
        position = 0
        if self.status == lifecycle.PAYING and entrant.scratched_at(self.now) is None:
            position = self.field.position(number)
            result_status = ("Winner" if position == 1 else
                             "Placing" if 1 < position <= max(self.places, 1) else "Loser")
        elif self.status == lifecycle.INTERIM:
            position = self.field.position(number)
        body: Body = {
            "runnerName": entrant.name,
            "runnerNumber": number,
            "fixedOdds": self._fixed_odds(number, favourite, result_status),
            "parimutuel": self._parimutuel(number, tote_favourite),
            "silkURL": self._silk(number),
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
        body["_links"] = {"form": self.links(f"{self.path}/form/{number}")}
        if lifecycle.has_result(self.status):
            body["finishingPosition"] = position
        return body

    # -- pools ----------------------------------------------------------------------------
    def _pools(self) -> list[Body]:
        host, host_name = pool_host(self.links.jurisdiction)
        single = single_status(self.status)
        n = self.race.number
        items = []
        products = [p for p in _SINGLE_PRODUCTS if not (p == "Place" and self.places == 0)]
        for product in products:
            body: Body = {"wageringProduct": product, "legNumber": 1, "poolStatusCode": single,
                          "cashOutEligibility": "Disabled",
                          "legs": [leg(self.meeting, 1, n)]}
            if product == "Win":
                history = []
                for i, moment in enumerate(self.tote.moments[1:], start=1):
                    history.append({"poolTotal": pool_total(self.ref.seed, self.meeting,
                                                            self.race, "Win", moment),
                                    "poolTotalTime": iso(moment),
                                    "specialDisplayIndicator": i == len(self.tote.moments) - 1})
                body["poolHistory"] = history
            if product in APPROXIMATE_PRODUCTS:
                body["_links"] = {"approximates": self.links(
                    f"{self.path}/pools/{product}/approximates")}
            body.update(self._pool_tail(pool_total(self.ref.seed, self.meeting, self.race,
                                                   product, self.now), 0, host, host_name))
            items.append(body)
        if self.meeting.race(n + 1) is not None:
            nxt = self.meeting.race(n + 1)
            assert nxt is not None
            statuses = [self.status, lifecycle.race_status(nxt.start, self.now, nxt.abandoned)]
            total = pool_final(self.ref.seed, self.meeting, n, "RunningDouble") * pool_progress(
                self.now, self.race.start)
            items.append({"wageringProduct": "RunningDouble", "legNumber": 1,
                          "poolStatusCode": multi_status(statuses),
                          "cashOutEligibility": "Disabled",
                          "legs": [leg(self.meeting, 1, n), leg(self.meeting, 2, n + 1)],
                          **self._pool_tail(num(total), 0, host, host_name)})
        for pool in self.meeting.exotics:
            if n in pool.legs:
                items.append(self._exotic(pool, host, host_name))
        return items

    def _pool_tail(self, total: int | float, jackpot: float, host: str, host_name: str,
                   substitute: str | int = "NYD") -> Body:
        return {"poolTotal": total, "jackpot": num(jackpot), "cominglingHost": host,
                "cominglingHostName": host_name, "cominglingGuests": True,
                "substitute": substitute}

    def _exotic(self, pool: ExoticPlan, host: str, host_name: str) -> Body:
        statuses = []
        for number in pool.legs:
            race = self.meeting.race(number)
            assert race is not None
            statuses.append(lifecycle.race_status(race.start, self.now, race.abandoned))
        first = self.meeting.race(pool.legs[0])
        assert first is not None
        body: Body = {"wageringProduct": pool.product}
        if pool.name:
            body["name"] = pool.name
        body.update({"legNumber": pool.legs.index(self.race.number) + 1,
                     "poolStatusCode": multi_status(statuses),
                     "cashOutEligibility": pool.cash_out,
                     "legs": [leg(self.meeting, i, r) for i, r in enumerate(pool.legs, 1)]})
        substitute: str | int = "NYD"
        if pool.product == "Big6":
            leg_field, _ = self.leg_of(pool.legs[0])
            substitute = max(leg_field.starters(), key=lambda e: e.strength).number
        body.update(self._pool_tail(num(pool.final_total * pool_progress(self.now, first.start)),
                                    pool.jackpot, host, host_name, substitute))
        return body

    def _bet_types(self) -> list[Body]:
        n = self.race.number
        first = {"raceNumber": n, "venueMnemonic": self.meeting.venue.mnemonic,
                 "raceType": self.meeting.venue.race_type}
        products = [p for p in _SINGLE_PRODUCTS if not (p == "Place" and self.places == 0)]
        if self.meeting.race(n + 1) is not None:
            products.append("RunningDouble")
        items: list[Body] = [{"wageringProduct": p, "firstLeg": dict(first)} for p in products]
        for pool in self.meeting.exotics:
            if pool.legs[0] == n:
                item: Body = {"wageringProduct": pool.product}
                if pool.name:
                    item["name"] = pool.name
                item["firstLeg"] = dict(first)
                items.append(item)
        return items

    # -- markets and commentary -----------------------------------------------------------
    def _chances_now(self) -> dict[int, float]:
        return self.book.chances[self.tick]

    def _market_base(self, market_id: int, name: str, short: str, option: str,
                     message: str | None) -> Body:
        return {"id": market_id, "name": name, "shortName": short, "betOption": option,
                "message": message, "informationMessage": None}

    def _extra_markets(self, favourite: int | None) -> list[Body]:
        chances = self._chances_now()
        if favourite is None or len(self.starters) < 5:
            return []
        venue = self.meeting.venue
        market_id = 139000000 + int(unit(self.ref.seed, self.ref.day, venue.key,
                                         self.race.number, "favout") * 900000)
        title = f"{venue.name}-R{self.race.number}"
        body = self._market_base(market_id, f"{title}-Fav Out", f"{title}-FavOut",
                                 "Favourite Out", "Must finish 1st or 2nd behind N/A Runner")
        open_ = self.status == lifecycle.NORMAL
        body.update({"cashOutEligibility": "Disabled", "refundsAndDeductions": True,
                     "closeTime": iso(self.race.start),
                     "bettingStatus": "Open" if open_ else "Closed",
                     "allowWin": True, "allowPlace": False, "allowEachWay": False,
                     "allowMulti": True, "allowMultiWin": True, "allowMultiPlace": False,
                     "allowMultiEachWay": False, "numberOfPlaces": 0, "allowBundle": False})
        rest = 1 - chances.get(favourite, 0.0)
        props = []
        prop_base = int(unit(self.ref.seed, self.ref.day, venue.key, self.race.number,
                             "favout-props") * 5000000) + 1000000
        for sort, e in enumerate((e for e in self.field.entrants if not e.vacant), start=1):
            live = e.scratched_at(self.now) is None and e.number in chances
            reserve = e.number == favourite
            price = (to_ladder(1 / (chances[e.number] / rest * 1.16))
                     if live and not reserve else 0.0)
            props.append({
                "id": str(prop_base + e.number), "name": e.name.replace("'", ""),
                "returnWin": num(price), "returnPlace": 0 if reserve or not live else 1.01,
                "bettingStatus": "Reserve" if reserve else ("Open" if live else "Scratched"),
                "allowPlace": False, "sortOrder": sort,
                "number": prop_base // 10 + e.number, "runnerNumber": e.number,
                "isOpen": live and not reserve and open_, "silkURL": self._silk(e.number),
                "_links": {"form": self.links(f"{self.path}/form/{e.number}")}})
        body["propositions"] = props
        return [body]

    def _same_race_multi(self) -> list[Body]:
        chances = self._chances_now()
        venue = self.meeting.venue
        title = f"{venue.name}-R{self.race.number}"
        base_id = 139000000 + int(unit(self.ref.seed, self.ref.day, venue.key, self.race.number,
                                       "srm") * 900000)
        prop_base = 150000 + int(unit(self.ref.seed, self.ref.day, venue.key, self.race.number,
                                      "srm-props") * 800000)
        open_ = self.status == lifecycle.NORMAL
        markets = []
        for k in range(1, 5):
            body = self._market_base(base_id + k, f"{title}-Top{k}", f"{title}-Top{k}",
                                     f"Top {k}", None)
            body.update({"refundsAndDeductions": True,
                         "bettingStatus": "Open" if open_ else "Closed", "allowMulti": True})
            props = []
            for e in self.field.entrants:
                if e.vacant:
                    continue
                live = e.scratched_at(self.now) is None and e.number in chances
                price = (to_ladder(1 / min(0.99, top_k_chance(chances[e.number], k) * 1.12))
                         if live else 0.0)
                props.append({"name": e.name, "returnWin": num(price), "returnPlace": 1.01,
                              "bettingStatus": "Open" if live else "Scratched",
                              "allowPlace": False, "number": prop_base + 20 * k + e.number,
                              "runnerNumber": e.number})
            body["propositions"] = props
            markets.append(body)
        return markets

    def _top(self, salt: str, count: int = 4) -> list[int]:
        venue = self.meeting.venue
        live = [e.number for e in self.starters]
        key = (self.ref.seed, self.ref.day, venue.key, self.race.number, salt)
        chances = self._chances_now()
        ranked = sorted(live, key=lambda n: -(chances.get(n, 0.0) * (0.5 + unit(*key, n))))
        return ranked[:count]

    def _comments(self) -> str:
        picks = self._top("comment")
        lines = []
        for n in picks:
            entrant = self.field.entrant(n)
            assert entrant is not None
            info = self.infos[n]
            last = info.last5 or "debut"
            draw = "draws well" if entrant.barrier <= 5 else "has to overcome a wide draw"
            verdict = "a leading chance" if n == picks[0] else "can figure in the finish"
            lines.append(f"{n}. {entrant.name} comes here with form of {last} and {draw}; "
                         f"{verdict}.")
        return json.dumps({"comment": " ".join(lines), "runners": picks, "exclusive": True},
                          separators=(",", ":"))

    def _tips(self) -> Body:
        tipster = rider(self.ref.seed, "TIPSTER", "X", self.race.number % 6)
        return {"tipType": "Special", "tipster": tipster.title,
                "tipRunnerNumbers": self._top("tips")}

    def _multi_leg_approximates(self) -> list[Body]:
        n = self.race.number
        previous = self.meeting.race(n - 1)
        if previous is None or self.status != lifecycle.NORMAL:
            return []
        prev_status = lifecycle.race_status(previous.start, self.now, previous.abandoned)
        if not lifecycle.has_result(prev_status):
            return []
        prev_field, prev_book = self.leg_of(n - 1)
        winner = prev_field.results()[0][0]
        prev_ref = RaceRef(self.ref.seed, self.meeting, previous, self.now)
        prev_tote = tote_for(prev_ref, prev_book, self.links.jurisdiction, previous.start)
        p_winner = prev_tote.chances[0].get(winner, 0.0)
        winner_entrant = prev_field.entrant(winner)
        assert winner_entrant is not None
        approximates = [{"selection": e.number, "return": dividends.payout(
            "RunningDouble", p_winner * self.tote.chances[0].get(e.number, 0.0))}
            for e in self.starters]
        return [{"wageringProduct": "RunningDouble", "approximateSets": [{
            "results": [{"legNumber": 1, "result": winner, "runnerName": winner_entrant.name}],
            "approximates": approximates}]}]

    # -- results --------------------------------------------------------------------------
    def _final_chances(self, number: int) -> tuple[RaceField, dict[int, float]] | None:
        race = self.meeting.race(number)
        if race is None or race.abandoned:
            return None
        leg_field, leg_book = (self.field, self.book) if number == self.race.number else (
            self.leg_of(number))
        ref = RaceRef(self.ref.seed, self.meeting, race, self.now)
        tote = tote_for(ref, leg_book, self.links.jurisdiction, race.start)
        return leg_field, tote.chances[0]

    def _dividends(self) -> list[Body]:
        final = self._final_chances(self.race.number)
        assert final is not None
        _, chances = final
        results = self.field.results()
        final_tote = tote_for(self.ref, self.book, self.links.jurisdiction, self.race.start)
        starters = len(self.starters)
        place_returns = {}
        for n in chances:
            win = tote_win(final_tote.chances[0][n])
            place_returns[n] = num(round(max(1.0, place_price(win, self.places, starters)), 1))
        items = dividends.race_dividends(results, chances, place_returns, self.places, starters)
        n = self.race.number
        multis: list[tuple[str, tuple[int, ...]]] = []
        if n > 1:
            multis.append(("RunningDouble", (n - 1, n)))
        multis += [(p.product, p.legs) for p in self.meeting.exotics if p.legs[-1] == n]
        for product, legs in multis:
            chance = 1.0
            winners = []
            for number in legs:
                found = self._final_chances(number)
                if found is None:
                    break
                leg_field, leg_chances = found
                winner = leg_field.results()[0][0]
                winners.append(winner)
                chance *= leg_chances.get(winner, 0.0)
            else:
                items.append(dividends.multi_dividend(product, winners, chance))
        return items

    # -- the body -------------------------------------------------------------------------
    def body(self) -> Body:
        """The whole race detail, keys in the upstream's order."""
        meeting, race, venue = self.meeting, self.race, self.meeting.venue
        live_prices = {e.number: self._fixed_win(e.number) for e in self.starters}
        favourite = self._favourite(live_prices)
        tote_prices = {e.number: self.tote.win(e.number) for e in self.starters}
        tote_favourite = self._favourite(tote_prices)
        badges = self._fast_form()
        resulted = lifecycle.has_result(self.status)
        normal = self.status == lifecycle.NORMAL
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
            "hasParimutuel": True, "hasFixedOdds": normal,
            "broadcastChannel": race.broadcast,
            "broadcastChannels": [race.broadcast] if race.broadcast else [],
            "hasForm": True, "hasEarlySpeedRatings": venue.race_type == "R", "allIn": False,
        })
        if race.cash_out is not None:
            body["cashOutEligibility"] = race.cash_out
        body.update({
            "allowBundle": False, "willHaveFixedOdds": True, "fixedOddsOnlineBetting": True,
            "raceStartTime": iso(race.start), "raceClassConditions": race.race_class,
            "apprenticesCanClaim": venue.race_type == "R", "prizeMoney": money(race.prize),
            "raceStatus": self.status, "substitute": "NR",
            "results": self.field.results() if resulted else [],
            "pools": self._pools(),
            "allowMulti": True, "allowParimutuelPlace": self.places > 0,
            "parimutuelPlaceStatus": "Open" if normal else "Closed",
            "allowFixedOddsPlace": self.places > 0,
            "numberOfPlaces": self.places, "numberOfFixedOddsPlaces": self.places,
            "runners": [self._runner(e.number, favourite, tote_favourite, badges)
                        for e in self.field.entrants],
            "oddsUpdateTime": iso(self.tote.moments[0]),
            "fixedOddsUpdateTime": _second(self.book.ticks[self.tick]),
            "raceComments": self._comments(),
            "tips": self._tips(),
            "ratings": [{"ratingType": t, "ratingRunnerNumbers": self._top(t)}
                        for t in _RATING_TYPES],
            "multiLegApproximates": self._multi_leg_approximates(),
            "betTypes": self._bet_types(),
            "extraMarkets": self._extra_markets(favourite),
            "sameRaceMultiMarkets": self._same_race_multi(),
            "isPromotionAvailable": False, "isPromotionAvailableInVenueMode": False,
        })
        if self.status == lifecycle.PAYING:
            body["dividends"] = self._dividends()
            body["resultedTime"] = iso(lifecycle.resulted_at(race.start) + timedelta(
                seconds=int(unit(self.ref.seed, self.ref.day, venue.key, race.number,
                                 "resulted") * 50)))
        return body


def approximates_body(detail: RaceDetail, product: str) -> Body:
    """R8 body (unverified shape beyond `approximates`)."""
    chances = {e.number: detail.tote.chances[0][e.number] for e in detail.starters
               if e.number in detail.tote.chances[0]}
    return {
        "wageringProduct": product,
        "poolTotal": pool_total(detail.ref.seed, detail.meeting, detail.race, product,
                                detail.now),
        "approximates": dividends.approximates(product, chances),
        "_links": {"self": detail.links(f"{detail.path}/pools/{product}/approximates")},
    }


