"""Finding out whether a bet whose answer was lost stands, from the account's own bets.

By transaction id where the bets carry one; else by what the bet was: its type and stake, and
the same propositions (fixed odds, multis) or the same race and runners per place (tote).
"""

from __future__ import annotations

from typing import Any

from app.betting.money import amount, australian_day, cents, parse_time
from app.betting.quotes import Quote
from app.tab.account_client import AccountClient
from app.tab.shapes import record_list, records, value_list

MY_BETS = "account-service/tab/accounts/{account}/my-bets"


def _bets(body: Any) -> list[dict[str, Any]]:
    return records(body, "bets", MY_BETS)


def _same_selections(legs: list[dict[str, Any]], quote: Quote) -> bool:
    if not quote.tote:
        found = {leg.get("propositionId") for leg in legs}
        for leg in legs:  # a multi may list its propositions inside one leg
            found |= {p.get("propositionId") for p in record_list(
                leg.get("propositions"), "bets[].legs[].propositions", MY_BETS)}
        return bool(quote.proposition_ids) and found - {None} == set(quote.proposition_ids)
    race = quote.race or {}
    return any(leg.get("raceNumber") == race.get("raceNumber")
               and leg.get("venueMnemonic") == race.get("venueMnemonic")
               and [sorted(p) for p in value_list(leg.get("selections"), "selections", MY_BETS)
                    if isinstance(p, list)] == [sorted(p) for p in quote.positions]
               for leg in legs)


def _same_bet(item: dict[str, Any], quote: Quote) -> bool:
    stake = amount(item.get("stake"))
    return (stake is not None and cents(stake) == quote.stake_cents
            and item.get("betType") == quote.bet_type
            and _same_selections(record_list(item.get("legs"), "bets[].legs", MY_BETS), quote))


def find_placed(body: Any, transaction_id: str, quote: Quote) -> dict[str, Any] | bool | None:
    """The bet `transaction_id` placed; False when the bets prove it was not placed; None when
    they cannot tell (no transaction ids and not exactly one bet with the same selections and
    stake)."""
    bets = _bets(body)
    if any("transactionId" in item for item in bets):
        found = [item for item in bets if item.get("transactionId") == transaction_id]
        return found[0] if found else False
    matches = [item for item in bets if _same_bet(item, quote)]
    return matches[0] if len(matches) == 1 else None


async def placed_bet(client: AccountClient, transaction_id: str,
                     quote: Quote) -> dict[str, Any] | bool | None:
    """`find_placed` over the account's latest bets (raises `TabError` if they cannot be read)."""
    return find_placed(await client.bets("all", 100), transaction_id, quote)


async def staked_today(client: AccountClient, day: str) -> float:
    """What the account has staked on Australian day `day`, over every channel."""
    total = 0.0
    for item in _bets(await client.bets("all", 200)):
        placed = parse_time(item.get("placedTime"))
        cost = amount(item.get("totalCost", item.get("stake")))
        if placed is not None and cost is not None and australian_day(placed) == day:
            total += cost
    return round(total, 2)
