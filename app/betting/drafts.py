"""What the person asked for, resolved against the race card or the match before pricing: the
selections by number and name, the event and its start, the stake the betslip will send.

Every read of an upstream body goes through `app.tab.shapes`, so a body of the wrong shape is
the same plain error here as anywhere. A selection that cannot be bet raises `QuoteProblem`
saying what to send instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.betting.money import amount
from app.betting.quotes import EXOTICS, Pick
from app.tab.shapes import body_object, nested_object, record_list, records
from app.wagering.exotics import BetError, exotic_bet
from app.wagering.flexi import price

_RACE = "racing/.../races/{raceNumber}"
#: Wire bet type -> the wagering product it is a pool of.
PRODUCTS = {"QUINELLA": "Quinella", "EXACTA": "Exacta", "DUET": "Duet",
            "TRIFECTA": "Trifecta", "FIRST4": "FirstFour"}
#: How many runner lists each exotic takes: one per place, one for the unordered pairs.
PLACES = {"QUINELLA": 1, "DUET": 1, "EXACTA": 2, "TRIFECTA": 3, "FIRST4": 4}
MAX_PICKS = 24
MAX_SAME_GAME_LEGS = 12
#: A sports leg's "market: outcome" is cut to this length, keeping quote ids short.
NAME_CHARS = 120


class QuoteProblem(Exception):
    """The bet cannot be quoted; the message says why and what to send instead."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A bet resolved against its race or match, before the upstream prices it."""

    bet_type: str
    event: str
    event_type: str
    start: str
    picks: tuple[Pick, ...]
    stake_cents: int  # what the betslip sends (a tote bet's whole outlay)
    combinations: int = 1
    race: dict[str, Any] | None = None  # a tote bet's race on the wire
    card_odds: float | None = None  # a single's race-card price, to tell a change
    flexi_pct: float | None = None


def _race_facts(race: dict[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
    meeting = nested_object(body_object(race, _RACE), "meeting", _RACE)
    event = f"{meeting.get('meetingName', '')} race {race.get('raceNumber', '')}"
    return event, str(meeting.get("raceType", "")), str(race.get("raceStartTime", "")), meeting


def _runners(race: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {r["runnerNumber"]: r for r in records(race, "runners", _RACE)
            if isinstance(r.get("runnerNumber"), int)}


def _runner(runners: dict[int, dict[str, Any]], number: int) -> dict[str, Any]:
    runner = runners.get(number)
    if runner is None or runner.get("vacantBox"):
        raise QuoteProblem(f"there is no runner number {number} in this race (runners: "
                           f"{', '.join(map(str, sorted(runners)))})")
    return runner


def single(race: dict[str, Any], bet_type: str, runner_number: int,
           stake_cents: int) -> Draft:
    """A fixed-odds win, place or each-way bet on one runner, open for fixed odds."""
    event, race_type, start, _ = _race_facts(race)
    runner = _runner(_runners(race), runner_number)
    fixed = nested_object(runner, "fixedOdds", _RACE)
    proposition = fixed.get("propositionNumber")
    name = str(runner.get("runnerName", ""))
    if fixed.get("bettingStatus") != "Open" or not isinstance(proposition, int):
        raise QuoteProblem(f"{runner_number}. {name} is not open for fixed-odds betting "
                           f"({fixed.get('bettingStatus') or 'no fixed odds'})")
    card = amount(fixed.get("returnPlace" if bet_type == "PLACE" else "returnWin"))
    return Draft(bet_type, event, race_type, start,
                 (Pick(proposition, runner_number, name),), stake_cents, card_odds=card)


def _srm_markets(race: dict[str, Any]) -> dict[int, dict[int, dict[str, Any]]]:
    """Same-race multi propositions by top-k (1 = win) and runner number."""
    found: dict[int, dict[int, dict[str, Any]]] = {}
    for market in record_list(race.get("sameRaceMultiMarkets"), "sameRaceMultiMarkets", _RACE):
        option = str(market.get("betOption", "")).replace(" ", "").upper()  # "Top 2" -> TOP2
        if not option.startswith("TOP") or not option[3:].isdigit():
            continue
        open_market = market.get("bettingStatus", "Open") == "Open"
        for prop in record_list(market.get("propositions"), "propositions", _RACE):
            if open_market and isinstance(prop.get("runnerNumber"), int):
                found.setdefault(int(option[3:]), {})[prop["runnerNumber"]] = prop
    return found


def same_race_multi(race: dict[str, Any], places: list[list[int]], stake_cents: int) -> Draft:
    """A same-race multi: `places[k-1]` are the runners picked to finish in the top k."""
    event, race_type, start, _ = _race_facts(race)
    markets, runners = _srm_markets(race), _runners(race)
    if not markets:
        raise QuoteProblem("this race offers no same-race multi")
    picks = []
    for top, numbers in enumerate(places, start=1):
        offered = markets.get(top)
        for number in numbers:
            _runner(runners, number)
            prop = (offered or {}).get(number)
            if prop is None or prop.get("bettingStatus", "Open") != "Open" or not isinstance(
                    prop.get("number"), int):
                where = "to win" if top == 1 else f"in the top {top}"
                open_ = sorted(n for n, p in (offered or {}).items()
                               if p.get("bettingStatus", "Open") == "Open")
                raise QuoteProblem(f"runner {number} is not open {where} in this race's "
                                   f"same-race multi (open: {open_ or 'none'})")
            picks.append(Pick(prop["number"], number, str(prop.get("name") or ""), top,
                              amount(prop.get("returnWin"))))
    if len(picks) < 2:
        raise QuoteProblem("a same-race multi takes at least two selections, e.g. "
                           "selections=[[4],[7]] (4 to win, 7 in the top 2)")
    return Draft("SAME_RACE_MULTI", event, race_type, start, tuple(picks), stake_cents)


def exotic(race: dict[str, Any], bet_type: str, places: list[list[int]], stake: float,
           flexi: bool) -> Draft:
    """A tote exotic: runners per place (one list for quinella and duet), at `stake` per
    combination, or `stake` in all as a flexi bet."""
    event, race_type, start, meeting = _race_facts(race)
    wanted = PLACES[bet_type]
    if len(places) != wanted:
        example = "[[1,2,3]]" if wanted == 1 else str([[1], [2, 3], [2, 3, 4], [5]][:wanted])
        raise QuoteProblem(f"{bet_type} takes {wanted} list(s) of runner numbers "
                           f"({'the runners, any order' if wanted == 1 else 'one per place'}"
                           f"; boxed: the same list in every place), e.g. "
                           f"selections={example.replace(' ', '')}")
    try:
        bet = exotic_bet(PRODUCTS[bet_type], "boxed" if wanted == 1 else "legs", places)
        pricing = price(bet, outlay=stake) if flexi else price(bet, stake=stake)
    except BetError as exc:
        raise QuoteProblem(str(exc).rstrip(".")) from None
    runners = _runners(race)
    picks = []
    for place, numbers in enumerate(places, start=1):
        for number in numbers:
            runner = _runner(runners, number)
            status = nested_object(runner, "parimutuel", _RACE).get("bettingStatus")
            if status == "Scratched":
                raise QuoteProblem(f"{number}. {runner.get('runnerName')} is scratched; "
                                   "leave it out")
            picks.append(Pick(None, number, str(runner.get("runnerName", "")), place))
    wire = {"meetingDate": meeting.get("meetingDate"), "raceType": race_type,
            "venueMnemonic": meeting.get("venueMnemonic"), "raceNumber": race.get("raceNumber")}
    return Draft(bet_type, event, race_type, start, tuple(picks), pricing.cost_cents,
                 pricing.combinations, wire, flexi_pct=pricing.flexi_pct)


def same_game_multi(match: str, sport: str, start: str,
                    legs: list[tuple[int, str, str, float | None]], stake_cents: int) -> Draft:
    """A same-game multi from checked legs: (proposition id, market, outcome, price)."""
    picks = tuple(Pick(pid, None, f"{market}: {name}"[:NAME_CHARS], 1, odds)
                  for pid, market, name, odds in legs)
    return Draft("SAME_GAME_MULTI", match, sport, start, picks, stake_cents)


def check_shape(bet_type: str, places: list[list[int]]) -> None:
    """Refuse selections whose shape does not fit the bet type, saying what to send."""
    flat = [n for group in places for n in group]
    if len(flat) > MAX_PICKS:
        raise QuoteProblem(f"at most {MAX_PICKS} selections in one bet")
    if bet_type in ("WIN", "PLACE", "EACH_WAY") and (len(places) != 1 or len(flat) != 1):
        raise QuoteProblem(f"{bet_type} is on one runner: send selections=[[4]]")
    if bet_type == "SAME_RACE_MULTI" and not 1 <= len(places) <= 4:
        raise QuoteProblem("SAME_RACE_MULTI takes up to four lists: runners to win, in the top "
                           "2, top 3, top 4, e.g. selections=[[4],[7]]")
    if bet_type == "SAME_GAME_MULTI" and (
            len(places) != 1 or not 2 <= len(flat) <= MAX_SAME_GAME_LEGS):
        raise QuoteProblem(f"SAME_GAME_MULTI takes one list of 2 to {MAX_SAME_GAME_LEGS} "
                           "proposition ids from match_markets, e.g. selections=[[101,205]]")
    if bet_type not in EXOTICS and len(set(flat)) != len(flat):
        raise QuoteProblem("a runner or proposition appears twice; send each once")
