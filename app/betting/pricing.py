"""Turning a runner on a race card and the pricing enquiry's answer into a `Quote`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from app.betting.money import amount
from app.betting.quotes import Quote, Runner

RUNNER_FIELDS = tuple(field.name for field in fields(Runner))


class QuoteProblem(Exception):
    """The bet cannot be quoted; the message says why in words."""


@dataclass(frozen=True, slots=True)
class Selection(Runner):
    """The runner a bet is on, with its race card prices."""

    card_win: float | None
    card_place: float | None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def selection_of(race: dict[str, Any], runner_number: int) -> Selection:
    """The runner numbered `runner_number` in a race detail body, open for fixed odds."""
    meeting = _object(race.get("meeting"))
    runners = [r for r in race.get("runners") or [] if isinstance(r, dict)]
    found = [r for r in runners if r.get("runnerNumber") == runner_number]
    if not found:
        numbers = ", ".join(str(r.get("runnerNumber")) for r in runners)
        raise QuoteProblem(f"there is no runner number {runner_number} in this race "
                           f"(runners: {numbers})")
    runner = found[0]
    fixed = _object(runner.get("fixedOdds"))
    proposition = fixed.get("propositionNumber")
    if fixed.get("bettingStatus") != "Open" or not isinstance(proposition, int):
        raise QuoteProblem(f"{runner_number}. {runner.get('runnerName')} is not open for fixed-odds"
                           f" betting ({fixed.get('bettingStatus') or 'no fixed odds'})")
    return Selection(proposition, runner_number, str(runner.get("runnerName", "")),
                     str(meeting.get("meetingName", "")), int(race.get("raceNumber", 0)),
                     str(meeting.get("raceType", "")), str(race.get("raceStartTime", "")),
                     amount(fixed.get("returnWin")), amount(fixed.get("returnPlace")))


def enquiry_body(selection: Selection, bet_type: str, stake_cents: int) -> dict[str, Any]:
    """The pricing enquiry for one fixed-odds bet on `selection`."""
    leg = {"type": "PLACE" if bet_type == "PLACE" else "WIN",
           "propositionId": selection.proposition_id}
    return {"bets": [{"type": "FIXED_ODDS", "betType": bet_type,
                      "stake": f"{stake_cents // 100}.{stake_cents % 100:02d}",
                      "legs": [leg]}]}


def _decimal(value: Any) -> float | None:
    return amount(value.get("decimal")) if isinstance(value, dict) else amount(value)


def priced_quote(answer: Any, selection: Selection, bet_type: str, stake_cents: int, *,
                 key_id: str, expires_at: float, nonce: str) -> tuple[Quote, list[str]]:
    """The quote the enquiry's answer prices, and what changed from the race card."""
    bets = answer.get("bets") if isinstance(answer, dict) else None
    bet = bets[0] if isinstance(bets, list) and bets and isinstance(bets[0], dict) else {}
    errors = [e for e in bet.get("errors") or [] if isinstance(e, dict)]
    if errors or bet.get("status") == "error":
        reasons = "; ".join(str(e.get("message") or e.get("code")) for e in errors)
        raise QuoteProblem(f"TAB will not price this bet: {reasons or 'no reason given'}")
    legs = [leg for leg in bet.get("legs") or [] if isinstance(leg, dict)]
    odds = _decimal(legs[0].get("odds")) if legs else None
    if odds is None:
        raise QuoteProblem("TAB's pricing answer carried no price; try again shortly")
    place = _decimal(legs[0].get("placeOdds")) if bet_type == "EACH_WAY" else None
    token = legs[0].get("decoToken")
    runner = {name: getattr(selection, name) for name in RUNNER_FIELDS}
    quote = Quote(**runner, key_id=key_id, bet_type=bet_type, stake_cents=stake_cents,
                  odds=odds, place_odds=place, deco_token=token if isinstance(token, str) else None,
                  expires_at=expires_at, nonce=nonce)
    card = selection.card_place if bet_type == "PLACE" else selection.card_win
    changes = [f"the price is {odds:.2f}, not the race card's {card:.2f}"] if (
        card is not None and abs(card - odds) > 1e-9) else []
    return quote, changes


def potential_return(quote: Quote) -> float:
    """What the bet returns if it wins (each way: win and place both paying)."""
    stake = quote.stake_cents / 100
    total = stake * quote.odds + (stake * quote.place_odds if quote.place_odds else 0)
    return round(total, 2)


def in_words(quote: Quote) -> str:
    """The bet restated in one sentence."""
    kind = {"WIN": "to win", "PLACE": "for a place", "EACH_WAY": "each way"}[quote.bet_type]
    price = (f"at {quote.odds:.2f} win / {quote.place_odds:.2f} place" if quote.place_odds
             else f"at {quote.odds:.2f}")
    return (f"${quote.stake_cents / 100:.2f} {kind} on {quote.runner_number}. "
            f"{quote.runner_name}, {quote.venue} race {quote.race_number}, {price}: costs "
            f"${quote.cost_cents / 100:.2f}, returns ${potential_return(quote):.2f} if it wins")
