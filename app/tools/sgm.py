"""Same-game multi pricing: legs picked from one match's markets, priced by Tabcorp."""

from __future__ import annotations

import math
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.services import Services
from app.tab.pricing import price_same_game_multi
from app.tab.shapes import record_list
from app.tools.base import structured
from app.tools.calls import call_for, source, upstream_tool
from app.tools.models.sports import SgmLeg, SgmPrice
from app.tools.shaping.sports import proposition
from app.tools.sports import Competition, MatchName, Sport
from app.tools.sports_lookup import check_names, find_match, find_place
from app.tools.sports_names import listing

MAX_LEGS = 12
_MATCH = "sports/.../match"
_DROPPED_NOTE = ("Tabcorp dropped the legs under 'dropped' (it will not combine them with the "
                 "others, e.g. a second pick of one market): the price covers the other legs.")


def legs_of(match: dict[str, Any]) -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
    """Every proposition of the match by id, with its market."""
    found = {}
    for market in record_list(match.get("markets"), "markets", _MATCH):
        for item in record_list(market.get("propositions"), "propositions", _MATCH):
            shaped = proposition(item)
            if shaped is not None and shaped.id is not None:
                found[shaped.id] = (market, item)
    return found


def _leg(proposition_id: int, market: dict[str, Any], item: dict[str, Any]) -> SgmLeg:
    shaped = proposition(item)
    return SgmLeg(id=proposition_id, market=str(market.get("name") or ""), name=shaped.name,
                  price=shaped.price)


def checked_legs(legs: list[int], known: dict[int, tuple[dict[str, Any], dict[str, Any]]],
                  match: str) -> list[SgmLeg]:
    """The legs as the match prices them, or a `ToolError` saying which to send instead."""
    repeated = sorted({leg for leg in legs if legs.count(leg) > 1})
    if repeated:
        raise ToolError(f"legs {repeated} appear more than once; send each proposition id once")
    unknown = [leg for leg in legs if leg not in known]
    if unknown:
        offered = [f"{pid} ({item.get('name')})" for pid, (_, item) in known.items()]
        raise ToolError(f"legs {unknown} are not propositions of {match}; send ids of its "
                        f"propositions from match_markets, e.g. {listing(offered)}")
    chosen = []
    for leg in legs:
        market, item = known[leg]
        if market.get("sameGame") is False:
            combinable = sorted({str(m.get("name")) for m, _ in known.values()
                                 if m.get("sameGame") is not False})
            raise ToolError(f"leg {leg} is in {market.get('name')!r}, which is not offered for "
                            f"same-game multis; markets that are: {listing(combinable)}")
        if str(item.get("bettingStatus") or market.get("bettingStatus")) != "Open":
            raise ToolError(f"leg {leg} ({item.get('name')}) is not open for betting; pick open "
                            "propositions from match_markets")
        chosen.append(_leg(leg, market, item))
    return chosen


@upstream_tool(title="Same-game multi price")
async def sgm_price(
    services: Services, ctx: Context, sport: Sport, competition: Competition, match: MatchName,
    legs: Annotated[list[int], Field(description="Proposition ids from match_markets.",
                                     min_length=2, max_length=MAX_LEGS)],
) -> Annotated[CallToolResult, SgmPrice]:
    """Price a same-game multi from one match's proposition ids: Tabcorp's combined price,
    legs it drops, or why it refuses (refusal wording unverified)."""
    call = call_for(services, ctx)
    check_names(match=match)
    _, fetched = await find_match(call, await find_place(call, sport, competition), match)
    body = fetched.data if isinstance(fetched.data, dict) else {}
    name = str(body.get("name") or match)
    chosen = checked_legs(legs, legs_of(body), name)
    quote, priced = await price_same_game_multi(call.client, legs,
                                                jurisdiction=call.jurisdiction)
    if quote.refusal is not None:
        raise ToolError(f"Tabcorp will not price this multi: {quote.refusal}. Change the legs "
                        "named (match_markets lists the open ones).")
    kept = [leg for leg in chosen if leg.id not in quote.redundant]
    dropped = [leg for leg in chosen if leg.id in quote.redundant]
    prices = [leg.price for leg in kept if leg.price]
    return structured(SgmPrice(
        match=name, price=quote.price, legs=kept, dropped=dropped or None,
        legs_product=round(math.prod(prices), 2) if len(prices) == len(kept) else None,
        note=_DROPPED_NOTE if dropped else None, source=source(fetched, priced)))
