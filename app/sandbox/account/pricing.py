"""Pricing a bet body against the race cards: the legs, the price, and why it cannot go on.

Shapes beyond the notes' `{type, betType?, stake, legs:[{type, propositionId, odds}]}` are
unverified: each-way as `betType: "EACH_WAY"`, same-race multi as a `SAME_RACE_MULTI` leg with
`propositions[]`, and tote exotics as `type: "PARIMUTUEL"` bets whose one leg names its race and
the runners per position.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from app.sandbox.account.catalogue import Catalogue, RaceKey, Selection, race_body
from app.sandbox.account.ledger import Leg
from app.sandbox.account.money import odds_text, parse_odds, parse_stake
from app.sandbox.account.quotes import MarketAdjustments
from app.sandbox.account.settlement import SCRATCHED, combination_count
from app.sandbox.account.sports import SportsCatalogue, SportSelection, combine
from app.sandbox.world import NotFound
from app.sandbox.world.util import to_ladder

Body = dict[str, Any]

FIXED_BET_TYPES = ("WIN", "PLACE", "EACH_WAY", "SAME_RACE_MULTI", "SAME_GAME_MULTI")
#: Upper-case bet type on the wire -> the pool's wagering product on the race card.
EXOTICS = {"QUINELLA": "Quinella", "EXACTA": "Exacta", "DUET": "Duet", "TRIFECTA": "Trifecta",
           "FIRST4": "FirstFour"}
_POSITIONS = {"Quinella": 1, "Duet": 1, "Exacta": 2, "Trifecta": 3, "FirstFour": 4}
#: Same-race multi legs are related, so the price is less than the product of the legs.
SRM_CORRELATION = 0.8


class BadBet(ValueError):
    """A bet body the service cannot read (answered 400, nothing placed)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


def bet_error(code: str, message: str, proposition_id: int | None = None,
              odds: float | None = None, old_odds: float | None = None) -> Body:
    """One entry of a betslip's `errors` (the notes' `{code, message, odds, oldOdds, ...}`)."""
    return {"code": code, "message": message,
            "odds": odds_text(odds) if odds is not None else None,
            "oldOdds": odds_text(old_odds) if old_odds is not None else None,
            "propositionId": proposition_id}


@dataclass
class PricedBet:
    """A bet body priced now; `errors` empty when it could go on."""

    kind: str
    bet_type: str
    stake_cents: int
    legs: list[Leg] = field(default_factory=list)
    odds: float | None = None
    combinations: int = 1
    errors: list[Body] = field(default_factory=list)
    leg_bodies: list[Body] = field(default_factory=list)
    leg_keys: list[str] = field(default_factory=list)
    #: Per leg: the price the body asked for (`odds`) and the decoToken it carried.
    requested: list[tuple[float | None, str | None]] = field(default_factory=list)

    @property
    def cost_cents(self) -> int:
        """What the bet costs: twice the stake each way, else the stake."""
        return self.stake_cents * (2 if self.bet_type == "EACH_WAY" else 1)


def _int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise BadBet(f"{path} must be a whole number", path)
    return int(value)


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise BadBet(f"{path} must be a non-empty list", path)
    return value


def _object(value: object, path: str) -> Body:
    if not isinstance(value, dict):
        raise BadBet(f"{path} must be an object", path)
    return value


def _leg_from(selection: Selection, leg_type: str, odds: float, place: float | None) -> Leg:
    return Leg(leg_type, selection.race, selection.proposition_id,
               ((selection.runner_number,),), selection.runner_name, selection.venue_name,
               selection.race_start, odds, place)


def _tightness(selection: Selection) -> int:
    return 1 if selection.market == "WIN" else int(selection.market.removeprefix("TOP"))


class Pricer:
    """Prices bet bodies for one sandbox."""

    def __init__(self, catalogue: Catalogue, adjustments: MarketAdjustments,
                 sports: SportsCatalogue) -> None:
        self.catalogue = catalogue
        self.adjustments = adjustments
        self.sports = sports

    def price(self, raw: object, path: str, jurisdiction: str) -> PricedBet:
        """Price one bet of a body (`path` names it in errors, e.g. `bets[0]`)."""
        bet = _object(raw, path)
        kind = bet.get("type", "FIXED_ODDS")
        legs = _list(bet.get("legs"), f"{path}.legs")
        stake = parse_stake(bet.get("stake", "1.00"))
        if stake is None:
            raise BadBet(f"{path}.stake must be an amount like \"10.00\"", f"{path}.stake")
        if kind == "PARIMUTUEL":
            return self._exotic(bet, legs, stake, path, jurisdiction)
        if kind != "FIXED_ODDS":
            raise BadBet(f"{path}.type must be FIXED_ODDS or PARIMUTUEL", f"{path}.type")
        bet_type = str(bet.get("betType") or _object(legs[0], f"{path}.legs[0]").get("type"))
        if bet_type not in FIXED_BET_TYPES:
            raise BadBet(f"{path}.betType must be one of {', '.join(FIXED_BET_TYPES)}",
                         f"{path}.betType")
        if len(legs) != 1:
            raise BadBet(f"{path}.legs must hold exactly one leg (multis across races are not "
                         "offered)", f"{path}.legs")
        priced = PricedBet("FIXED_ODDS", bet_type, stake)
        leg = _object(legs[0], f"{path}.legs[0]")
        token = leg.get("decoToken")
        priced.requested.append((parse_odds(leg.get("odds")),
                                 token if isinstance(token, str) else None))
        if bet_type == "SAME_RACE_MULTI":
            self._same_race_multi(priced, leg, f"{path}.legs[0]", jurisdiction)
        elif bet_type == "SAME_GAME_MULTI":
            self._same_game_multi(priced, leg, f"{path}.legs[0]")
        else:
            self._single(priced, leg, f"{path}.legs[0]", jurisdiction)
        return priced

    def _selection(self, priced: PricedBet, raw_id: object, path: str, jurisdiction: str,
                   hint: float | None = None) -> Selection | None:
        proposition_id = _int(raw_id, path)
        selection = self.catalogue.find(proposition_id, jurisdiction, hint)
        if selection is None:
            priced.errors.append(bet_error("PROPOSITION_NOT_FOUND",
                                           f"no proposition {proposition_id} is open for betting",
                                           proposition_id))
            return None
        if selection.betting_status in SCRATCHED:
            priced.errors.append(bet_error(
                "SELECTION_SCRATCHED", f"{selection.runner_name} has been scratched",
                proposition_id))
            return None
        if (selection.race_status != "Normal" or selection.betting_status != "Open"
                or self.adjustments.is_suspended(proposition_id)):
            priced.errors.append(bet_error(
                "SELECTION_SUSPENDED", f"betting on {selection.runner_name} is suspended "
                f"(race {selection.race_status}, selection {selection.betting_status})",
                proposition_id))
            return None
        return selection

    def _single(self, priced: PricedBet, leg: Body, path: str, jurisdiction: str) -> None:
        selection = self._selection(priced, leg.get("propositionId"), f"{path}.propositionId",
                                    jurisdiction)
        if selection is None:
            return
        win = self.adjustments.price(selection.proposition_id, selection.win_odds)
        place = selection.place_odds
        if priced.bet_type in ("PLACE", "EACH_WAY") and place <= 1:
            priced.errors.append(bet_error("PLACE_NOT_OFFERED", "this race has no place betting",
                                           selection.proposition_id))
            return
        if priced.bet_type == "PLACE":
            win, place = self.adjustments.price(selection.proposition_id, place), place
        priced.odds = win
        ew_place = place if priced.bet_type == "EACH_WAY" else None
        leg_type = "PLACE" if priced.bet_type == "PLACE" else "WIN"
        priced.legs.append(_leg_from(selection, leg_type, win, ew_place))
        body: Body = {"type": leg_type, "propositionId": selection.proposition_id,
                      "odds": {"decimal": odds_text(win)}, "redundantPropositions": []}
        if ew_place is not None:
            body["placeOdds"] = {"decimal": odds_text(ew_place)}  # unverified shape
        priced.leg_bodies.append(body)
        priced.leg_keys.append(f"{priced.bet_type}:{selection.proposition_id}")

    def _same_race_multi(self, priced: PricedBet, leg: Body, path: str,
                         jurisdiction: str) -> None:
        props = _list(leg.get("propositions"), f"{path}.propositions")
        chosen: dict[int, Selection] = {}
        redundant: list[int] = []
        for i, prop in enumerate(props):
            prop = _object(prop, f"{path}.propositions[{i}]")
            selection = self._selection(priced, prop.get("propositionId"),
                                        f"{path}.propositions[{i}].propositionId", jurisdiction)
            if selection is None:
                continue
            if chosen and next(iter(chosen.values())).race != selection.race:
                raise BadBet("a same-race multi takes propositions of one race", path)
            held = chosen.get(selection.runner_number)
            if held is None or _tightness(selection) < _tightness(held):  # Top-k implies Top-k+1
                if held is not None:
                    redundant.append(held.proposition_id)
                chosen[selection.runner_number] = selection
            else:
                redundant.append(selection.proposition_id)
        if priced.errors or not chosen:
            return
        product = 1.0
        for selection in chosen.values():
            odds = self.adjustments.price(selection.proposition_id, selection.win_odds)
            priced.legs.append(_leg_from(selection, selection.market, odds, None))
            product *= odds
        priced.odds = to_ladder(max(1.01, product * SRM_CORRELATION)) if len(chosen) > 1 else (
            priced.legs[0].odds)
        ids = sorted(s.proposition_id for s in chosen.values())
        priced.leg_bodies.append({
            "type": "SAME_RACE_MULTI",
            "propositions": [{"type": "WIN", "propositionId": n} for n in ids],
            "odds": {"decimal": odds_text(priced.odds or 0)},
            "redundantPropositions": sorted(redundant)})
        priced.leg_keys.append("SAME_RACE_MULTI:" + ",".join(map(str, ids)))

    def _sport_selection(self, priced: PricedBet, raw_id: object,
                         path: str) -> SportSelection | None:
        proposition_id = _int(raw_id, path)
        selection = self.sports.find(proposition_id)
        if selection is None:
            priced.errors.append(bet_error("PROPOSITION_NOT_FOUND",
                                           f"no proposition {proposition_id} is open for betting",
                                           proposition_id))
        elif (selection.betting_status != "Open"
              or self.adjustments.is_suspended(proposition_id)):
            priced.errors.append(bet_error(
                "SELECTION_SUSPENDED", f"betting on {selection.name} is suspended "
                f"({selection.betting_status})", proposition_id))
            return None
        return selection

    def _same_game_multi(self, priced: PricedBet, leg: Body, path: str) -> None:
        props = _list(leg.get("propositions"), f"{path}.propositions")
        found = []
        for i, prop in enumerate(props):
            prop = _object(prop, f"{path}.propositions[{i}]")
            selection = self._sport_selection(priced, prop.get("propositionId"),
                                              f"{path}.propositions[{i}].propositionId")
            if selection is not None:
                found.append(selection)
        if len({s.match for s in found}) > 1:
            raise BadBet("a same-game multi takes propositions of one match", path)
        if priced.errors or not found:
            return
        kept, redundant, price = combine(
            [replace(s, odds=self.adjustments.price(s.proposition_id, s.odds)) for s in found])
        priced.odds = price
        for selection in kept:
            priced.legs.append(Leg("WIN", selection.match, selection.proposition_id, (),
                                   selection.name, selection.match.match, selection.start,
                                   selection.odds, market=selection.market))
        ids = [s.proposition_id for s in kept]
        priced.leg_bodies.append({
            "type": "SAME_GAME_MULTI",
            "propositions": [{"type": "WIN", "propositionId": n} for n in ids],
            "odds": {"decimal": odds_text(price)}, "redundantPropositions": redundant})
        priced.leg_keys.append("SAME_GAME_MULTI:" + ",".join(map(str, sorted(ids))))

    def _exotic(self, bet: Body, legs: list[Any], stake: int, path: str,
                jurisdiction: str) -> PricedBet:
        product = EXOTICS.get(str(bet.get("betType")))
        if product is None or len(legs) != 1:
            raise BadBet(f"{path}.betType must be one of {', '.join(EXOTICS)} with one leg",
                         f"{path}.betType")
        leg = _object(legs[0], f"{path}.legs[0]")
        race = self._race(_object(leg.get("race"), f"{path}.legs[0].race"), f"{path}.legs[0]")
        positions = tuple(tuple(_int(n, f"{path}.legs[0].selections") for n in
                                _list(group, f"{path}.legs[0].selections"))
                          for group in _list(leg.get("selections"), f"{path}.legs[0].selections"))
        if len(positions) != _POSITIONS[product]:
            raise BadBet(f"{product} takes {_POSITIONS[product]} list(s) of runner numbers",
                         f"{path}.legs[0].selections")
        priced = PricedBet("PARIMUTUEL", str(bet["betType"]), stake)
        card = self._card(race, jurisdiction)
        names = self._runner_names(priced, card, positions)
        exotic = Leg(product, race, None, positions, names, card["meeting"]["meetingName"],
                     card["raceStartTime"], None)
        priced.combinations = combination_count(exotic)
        if priced.combinations == 0:
            raise BadBet("the selections make no combination", f"{path}.legs[0].selections")
        if card["raceStatus"] != "Normal":
            priced.errors.append(bet_error("SELECTION_SUSPENDED",
                                           f"betting on {race.label()} has closed"))
        priced.legs.append(exotic)
        priced.leg_bodies.append({"type": bet["betType"], "race": leg["race"],
                                  "selections": [list(p) for p in positions], "odds": None,
                                  "combinations": priced.combinations,  # unverified shape
                                  "flexiPercentage": round(stake / priced.combinations, 2)})
        priced.leg_keys.append(f"{product}:{race.label()}:{positions}")
        priced.requested.append((None, None))  # a tote bet is paid at the dividend
        return priced

    @staticmethod
    def _race(raw: Body, path: str) -> RaceKey:
        try:
            day = date.fromisoformat(str(raw.get("meetingDate")))
        except ValueError:
            raise BadBet(f"{path}.race.meetingDate must be YYYY-MM-DD", path) from None
        return RaceKey(day, str(raw.get("raceType")), str(raw.get("venueMnemonic")),
                       _int(raw.get("raceNumber"), f"{path}.race.raceNumber"))

    def _card(self, race: RaceKey, jurisdiction: str) -> Body:
        try:
            return race_body(self.catalogue.world, race, jurisdiction)
        except NotFound as exc:
            raise BadBet(str(exc), "race") from None

    @staticmethod
    def _runner_names(priced: PricedBet, card: Body,
                      positions: tuple[tuple[int, ...], ...]) -> str:
        runners = {r["runnerNumber"]: r for r in card["runners"]}
        names = []
        for number in sorted({n for group in positions for n in group}):
            runner = runners.get(number)
            if runner is None or runner["vacantBox"]:
                raise BadBet(f"runner {number} is not in this race", "selections")
            if runner["parimutuel"]["bettingStatus"] == "Scratched":
                priced.errors.append(bet_error("SELECTION_SCRATCHED",
                                               f"{runner['runnerName']} has been scratched"))
            names.append(f"{number}. {runner['runnerName']}")
        return ", ".join(names)
