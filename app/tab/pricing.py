"""The pricing service's same-game-multi enquiry (public, on the info service's host).

`POST /v1/pricing-service/enquiry` with the body the observed clients send; the answer's
`bets[0].status`, `legs[0].odds.decimal` and `legs[0].redundantPropositions` are observed too.
How a refusal reads is not: a status other than "ok" is read as a refusal, its reason taken
from `errors[].message` (or `message`) when given. The paths live in `PRICING_PATHS` so a
correction is made in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app.tab import segments
from app.tab.client import Fetched, TabClient
from app.tab.errors import BadResponse, sanitize
from app.tab.paths import Route

PRICING_PATHS = {"enquiry": "/v1/pricing-service/enquiry"}
ENQUIRY = Route(PRICING_PATHS["enquiry"], PRICING_PATHS["enquiry"])
CHANNEL = "web"


@dataclass(frozen=True, slots=True)
class SgmQuote:
    """The enquiry's answer: a combined price with the legs it dropped, or a refusal."""

    price: float | None
    redundant: tuple[int, ...]
    refusal: str | None


def enquiry_body(proposition_ids: Sequence[int], jurisdiction: str) -> dict[str, Any]:
    """The enquiry body for one same-game multi of `proposition_ids`."""
    legs = [{"type": "SAME_GAME_MULTI",
             "propositions": [{"type": "WIN", "propositionId": pid} for pid in proposition_ids]}]
    return {"clientDetails": {"jurisdiction": segments.jurisdiction(jurisdiction),
                              "channel": CHANNEL},
            "bets": [{"type": "FIXED_ODDS", "legs": legs}], "returnValidationMatrix": True}


async def price_same_game_multi(client: TabClient, proposition_ids: Sequence[int], *,
                                jurisdiction: str) -> tuple[SgmQuote, Fetched]:
    """Ask the pricing service for one same-game multi's price."""
    fetched = await client.post(ENQUIRY, enquiry_body(proposition_ids, jurisdiction))
    return read_quote(fetched.data), fetched


def _unexpected(what: str) -> BadResponse:
    return BadResponse(f"The TAB pricing service answered without {what}; try again shortly.",
                       content_type="application/json", excerpt="")


def _first(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, list) or not value or not isinstance(value[0], dict):
        raise _unexpected(what)
    return value[0]


def _ids(values: Any) -> tuple[int, ...]:
    """Proposition ids, given bare or as `{propositionId}` objects."""
    found = []
    for value in values if isinstance(values, list) else []:
        item = value.get("propositionId") if isinstance(value, dict) else value
        if isinstance(item, int | str) and not isinstance(item, bool) and str(item).isdigit():
            found.append(int(item))
    return tuple(found)


def _reason(bet: dict[str, Any]) -> str:
    errors = bet.get("errors")
    messages = [str(e.get("message")) for e in errors if isinstance(e, dict)
                and e.get("message")] if isinstance(errors, list) else []
    if not messages and isinstance(bet.get("message"), str):
        messages = [bet["message"]]
    text = "; ".join(messages) or f"status {bet.get('status')!r}"
    return sanitize(text, 300)


def read_quote(data: Any) -> SgmQuote:
    """The quote an enquiry answer gives (a `BadResponse` when its shape is unexpected)."""
    bet = _first(data.get("bets") if isinstance(data, dict) else None, "a bet")
    if str(bet.get("status", "")).lower() != "ok":
        return SgmQuote(None, (), _reason(bet))
    leg = _first(bet.get("legs"), "a priced leg")
    odds = leg.get("odds")
    decimal = odds.get("decimal") if isinstance(odds, dict) else None
    try:
        price = float(decimal) if isinstance(decimal, int | float | str) else None
    except ValueError:
        price = None
    if price is None or price <= 1:
        raise _unexpected("a price")
    return SgmQuote(price, _ids(leg.get("redundantPropositions")), None)
