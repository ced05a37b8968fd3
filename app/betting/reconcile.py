"""Finding out whether a bet whose answer was lost stands, from the account's own bets."""

from __future__ import annotations

from typing import Any

from app.betting.money import amount, australian_day, cents, parse_time
from app.betting.quotes import Quote
from app.tab.account_client import AccountClient


def _bets(body: Any) -> list[dict[str, Any]]:
    items = body.get("bets") if isinstance(body, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _same_bet(item: dict[str, Any], quote: Quote) -> bool:
    raw = item.get("legs")
    legs = raw if isinstance(raw, list) else []
    stake = amount(item.get("stake"))
    return (stake is not None and cents(stake) == quote.stake_cents
            and item.get("betType") == quote.bet_type
            and any(isinstance(leg, dict) and leg.get("propositionId") == quote.proposition_id
                    for leg in legs))


def find_placed(body: Any, transaction_id: str, quote: Quote) -> dict[str, Any] | bool | None:
    """The bet `transaction_id` placed; False when the bets prove it was not placed; None when
    they cannot tell (no transaction ids and no bet with the same selection and stake)."""
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
