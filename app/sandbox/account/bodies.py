"""The JSON bodies of the account and betting endpoints.

Graded H in the notes: the balance body (`accountBalance`, `withdrawalBalance` as "$0.00"
strings, `authentication{…}`) and the authenticate body. Graded M: account-list and the
betslip's `{bets:[{…, errors[]}], errors:[{code, message, odds, oldOdds, propositionId}]}`.
Every other field here (the bet and transaction items, the enquiry's extra fields) is an
unverified shape modelled from those.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from app.sandbox.account.ledger import Account, Bet, Leg, Transaction, potential_return
from app.sandbox.account.money import dollars, odds_text, plain
from app.sandbox.account.pricing import PricedBet
from app.sandbox.account.sports import MatchKey
from app.sandbox.world.util import iso

Body = dict[str, Any]
INACTIVITY = timedelta(minutes=30)


def describe(bet: Bet) -> str:
    """One line naming a bet, e.g. `WIN $10.00 on 4. SWIFT (WARWICK FARM R2 2026-09-23)`."""
    leg = bet.legs[0]
    if isinstance(leg.race, MatchKey):
        picks = " / ".join(f"{each.market}: {each.runner_name}" for each in bet.legs)
        return f"{bet.bet_type} {dollars(bet.stake_cents)} on {picks} ({leg.race.label()})"
    runners = " / ".join(each.runner_name for each in bet.legs)
    if bet.kind == "FIXED_ODDS":
        runners = " / ".join(f"{each.runner_numbers[0][0]}. {each.runner_name}"
                             for each in bet.legs)
    return (f"{bet.bet_type} {dollars(bet.stake_cents)} on {runners} "
            f"({leg.venue_name} R{leg.race.number} {leg.race.day.isoformat()})")


def authentication(token: str, now: datetime, lifetime_s: int) -> Body:
    """The `authentication` object account bodies carry."""
    return {"token": token, "inactivityExpiry": iso(now + INACTIVITY),
            "absoluteExpiry": iso(now + timedelta(seconds=lifetime_s)), "scopes": ["*"]}


def balance(account: Account, auth: Body) -> Body:
    """`GET …/accounts/{n}/balance` (H)."""
    return {"accountBalance": dollars(account.balance_cents),
            "withdrawalBalance": dollars(account.withdrawable_cents), "authentication": auth}


def authenticated(account: Account, auth: Body) -> Body:
    """`POST /account-service/tab/authenticate` (H)."""
    return {
        "accountNumber": int(account.account_number) if account.account_number.isdigit()
        else account.account_number,
        "username": f"sandbox{account.account_number[-3:]}",
        "customerId": account.customer_id,
        "preferences": {"general": {"rounding": "Down"}, "betting": {
            "maxAmount": plain(account.max_bet_cents), "acceptCounterOffer": False,
            "acceptReducedPrice": False, "defaultFlexi": False, "defaultBetType": "WIN"}},
        "jurisdiction": account.jurisdiction, "tier": "Standard",
        "accountBalance": dollars(account.balance_cents),
        "withdrawalBalance": dollars(account.withdrawable_cents),
        "verified": True, "withdrawalBlocked": False, "emailVerified": True,
        "verificationStatus": "Verified", "authentication": auth,
    }


def account_list(account: Account) -> Body:
    """`GET …/customers/{customerId}/account-list` (M)."""
    return {"accounts": [{"accountNumber": account.account_number,
                          "accountBalance": dollars(account.balance_cents),
                          "withdrawalBalance": dollars(account.withdrawable_cents),
                          "accountJurisdiction": account.jurisdiction}],
            "emailVerified": True}


def _leg(leg: Leg, kind: str) -> Body:
    if isinstance(leg.race, MatchKey):
        return {"type": leg.type, "propositionId": leg.proposition_id,
                "sportName": leg.race.sport, "competitionName": leg.race.competition,
                "matchName": leg.race.match, "marketName": leg.market,
                "propositionName": leg.runner_name, "startTime": leg.race_start,
                "odds": odds_text(leg.odds or 0)}
    body: Body = {"type": leg.type, "raceNumber": leg.race.number, "meetingName": leg.venue_name,
                  "meetingDate": leg.race.day.isoformat(), "raceType": leg.race.race_type,
                  "venueMnemonic": leg.race.venue, "raceStartTime": leg.race_start}
    if kind == "FIXED_ODDS":
        body.update({"propositionId": leg.proposition_id,
                     "runnerNumber": leg.runner_numbers[0][0], "runnerName": leg.runner_name,
                     "odds": odds_text(leg.odds or 0)})
        if leg.place_odds is not None:
            body["placeOdds"] = odds_text(leg.place_odds)
    else:
        body.update({"selections": [list(p) for p in leg.runner_numbers],
                     "runnerNames": leg.runner_name})
    return body


def bet(item: Bet) -> Body:
    """One bet of `my-bets` (unverified shape)."""
    potential = item.potential_cents()
    return {
        "betId": item.bet_id, "ticketNumber": str(item.bet_id),
        "transactionId": item.transaction_id, "type": item.kind, "betType": item.bet_type,
        "status": item.status, "result": item.outcome,
        "stake": plain(item.stake_cents), "totalCost": plain(item.cost_cents),
        "odds": odds_text(item.odds) if item.odds is not None else None,
        "potentialReturn": plain(potential) if potential is not None else None,
        "returnAmount": plain(item.return_cents) if item.settled_at else None,
        "combinations": item.combinations, "placedTime": iso(item.placed_at),
        "settledTime": iso(item.settled_at) if item.settled_at else None,
        "description": describe(item), "legs": [_leg(leg, item.kind) for leg in item.legs],
    }


def transaction(item: Transaction) -> Body:
    """One entry of `transactions` (unverified shape)."""
    return {"transactionId": item.transaction_id, "transactionTime": iso(item.time),
            "type": item.type, "amount": dollars(item.amount_cents),
            "balance": dollars(item.balance_cents), "description": item.description,
            "betId": item.bet_id}


def enquiry_bet(priced: PricedBet) -> Body:
    """One priced bet of an enquiry: the notes' `{status, legs:[{odds:{decimal}, …}]}`."""
    place = priced.legs[0].place_odds if priced.legs else None
    potential = potential_return(priced.bet_type, priced.stake_cents, priced.odds, place)
    return {"status": "error" if priced.errors else "ok", "type": priced.kind,
            "betType": priced.bet_type, "legs": priced.leg_bodies,
            # unverified shape from here on
            "stake": plain(priced.stake_cents), "totalCost": plain(priced.cost_cents),
            "potentialReturn": plain(potential) if potential is not None else None,
            "errors": priced.errors}


def betslip_bet(priced: PricedBet, placed: Bet | None, transaction_id: str) -> Body:
    """One bet of a betslip answer: the bet as placed (or refused), with its `errors`."""
    body = bet(placed) if placed is not None else {
        "betId": None, "transactionId": transaction_id, "type": priced.kind,
        "betType": priced.bet_type, "stake": plain(priced.stake_cents),
        "totalCost": plain(priced.cost_cents),
        "odds": odds_text(priced.odds) if priced.odds is not None else None,
        "legs": priced.leg_bodies}
    body["status"] = "Unresulted" if placed is not None else "Rejected"
    body["errors"] = list(priced.errors)
    return body
