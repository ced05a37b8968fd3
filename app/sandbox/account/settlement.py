"""What a bet returns once its race pays (or is abandoned), read from the race card."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from app.sandbox.account.ledger import Bet, Leg
from app.sandbox.account.money import times
from app.sandbox.account.sports import legs_won

Body = dict[str, Any]
PAYING, ABANDONED = "Paying", "Abandoned"
SCRATCHED = ("Scratched", "LateScratched")
#: Exotic products whose dividend ignores the order of the selections.
UNORDERED = ("Quinella", "Duet")


def _runner(body: Body, number: int) -> Body:
    return next(r for r in body["runners"] if r["runnerNumber"] == number)


def _scratched(body: Body, number: int) -> bool:
    return str(_runner(body, number)["fixedOdds"]["bettingStatus"]) in SCRATCHED


def _position(body: Body, number: int) -> int:
    return int(_runner(body, number).get("finishingPosition") or 0)


def _fixed_leg_wins(body: Body, leg: Leg, places: int) -> bool:
    position = _position(body, leg.runner_numbers[0][0])
    if leg.type == "WIN":
        return position == 1
    if leg.type == "PLACE":
        return 1 <= position <= places
    return 1 <= position <= int(leg.type.removeprefix("TOP"))


def _fixed_return(bet: Bet, body: Body) -> tuple[str, int]:
    places = int(body.get("numberOfFixedOddsPlaces") or 0)
    if any(_scratched(body, leg.runner_numbers[0][0]) for leg in bet.legs):
        return "REFUNDED", bet.cost_cents
    leg = bet.legs[0]
    if bet.bet_type == "EACH_WAY":
        position = _position(body, leg.runner_numbers[0][0])
        won = times(bet.stake_cents, leg.odds or 0) if position == 1 else 0
        if 1 <= position <= places:
            won += times(bet.stake_cents, leg.place_odds or 0)
        return ("WON" if won else "LOST"), won
    if all(_fixed_leg_wins(body, each, places) for each in bet.legs):
        return "WON", times(bet.stake_cents, bet.odds or 0)
    return "LOST", 0


def _combinations(leg: Leg) -> list[tuple[int, ...]]:
    if leg.type in UNORDERED:
        return list(itertools.combinations(sorted(leg.runner_numbers[0]), 2))
    return [c for c in itertools.product(*leg.runner_numbers) if len(set(c)) == len(c)]


def combination_count(leg: Leg) -> int:
    """How many distinct combinations an exotic leg covers."""
    return len(_combinations(leg))


def _tote_return(bet: Bet, body: Body) -> tuple[str, int]:
    leg = bet.legs[0]
    dividend = next((d for d in body.get("dividends", [])
                     if d["wageringProduct"] == leg.type), None)
    if dividend is None:
        return "REFUNDED", bet.cost_cents
    covered = set(_combinations(leg))
    paid = 0.0
    for item in dividend["poolDividends"]:
        selections = tuple(int(n) for n in item["selections"] if str(n).isdigit())
        if leg.type in UNORDERED:
            selections = tuple(sorted(selections))
        if selections in covered:
            paid += float(item["amount"])
    # Flexi: the stake buys stake/combinations units of each covered combination.
    won = int(bet.stake_cents * paid / max(1, bet.combinations))
    return ("WON" if won else "LOST"), won


def settle_same_game(bet: Bet, result: Body) -> tuple[str, int]:
    """(outcome, cents returned) of a same-game multi from its match's result."""
    if legs_won(result, [(leg.market, leg.runner_name) for leg in bet.legs]):
        return "WON", times(bet.stake_cents, bet.odds or 0)
    return "LOST", 0


def settle(bet: Bet, body: Body) -> tuple[str, int] | None:
    """(outcome, cents returned) once the race card shows the race paying; else None."""
    status = body["raceStatus"]
    if status == ABANDONED:
        return "REFUNDED", bet.cost_cents
    if status != PAYING:
        return None
    if bet.kind == "PARIMUTUEL":
        return _tote_return(bet, body)
    return _fixed_return(bet, body)


def settled_time(body: Body, now: datetime) -> datetime:
    """When a race's bets settled: its `resultedTime`, or `now` when it has none."""
    text = body.get("resultedTime")
    if not isinstance(text, str):
        return now
    return min(now, datetime.fromisoformat(text.replace("Z", "+00:00")))
