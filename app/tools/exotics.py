"""`exotic_cost`: combinations, cost, flexi percentage and approximate return of an exotic."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.services import Services
from app.tab.errors import NotFound
from app.tab.fetched import Fetched
from app.tab.shapes import records
from app.tools.base import OutputModel, structured
from app.tools.calls import Call, call_for, source, upstream_tool
from app.tools.racing import APPROXIMATE_PRODUCTS, locate
from app.wagering.exotics import (
    FIELD,
    BetError,
    BetType,
    ExoticBet,
    ProductName,
    exotic_bet,
)
from app.wagering.flexi import ApproximateReturn, Pricing, approximate_return, price


class ExoticCost(OutputModel):
    """approx_*: $ back if the bet's lowest/highest priced combination wins."""

    combinations: int
    cost: float
    flexi_pct: float
    approx_low: float | None = None
    approx_high: float | None = None
    note: str | None = None
    source: dict[str, Any] | None = None


@upstream_tool(title="Exotic bet cost")
async def exotic_cost(
    services: Services,
    ctx: Context,
    product: ProductName,
    legs: Annotated[list[list[int | Literal["F"]]], Field(
        description="Runners per place or per race; boxed: [box]; standout: "
                    f"[standouts, others]; '{FIELD}': the field (give field_sizes)",
        max_length=6)],
    bet_type: BetType = "legs",
    field_sizes: Annotated[tuple[int, ...], Field(
        description="Runners per race")] = (),
    amount: Annotated[float, Field(description="$ per combination, or the total if flexi")
                      ] = 1,
    flexi: bool = False,
    venue: Annotated[str, Field(description="With race_number: adds the approximate return",
                                max_length=80)] = "",
    race_number: Annotated[int | None, Field(ge=1, le=99)] = None,
) -> Annotated[CallToolResult, ExoticCost]:
    """Combinations, cost and flexi % (total/combinations, rounded down; min $1, 1%) of an
    exotic bet, and today's approximate return. E.g. product='Trifecta', bet_type='boxed',
    legs=[[1,4,7]]."""
    try:
        bet = exotic_bet(product, bet_type, legs, field_sizes or None)
        pricing = price(bet, outlay=amount) if flexi else price(bet, stake=amount)
    except BetError as exc:
        raise ToolError(str(exc)) from None
    result = ExoticCost(combinations=pricing.combinations,
                        cost=pricing.cost, flexi_pct=pricing.flexi_pct)
    if venue:
        if race_number is None:
            raise ToolError("give race_number with venue to see the approximate return.")
        await _add_approximates(call_for(services, ctx), result, bet, pricing,
                                venue, race_number)
    return structured(result)


async def approximate(call: Call, bet: ExoticBet, pricing: Pricing, venue: str,
                      race_number: int, date: str = "today"
                      ) -> tuple[ApproximateReturn | None, str | None, Fetched | None]:
    """The approximate return of `bet` from its race's pool approximates: (the return, or a
    note saying why there is none, and the fetch it came from)."""
    product = bet.product.name
    if product not in APPROXIMATE_PRODUCTS:
        return None, (f"Tabcorp publishes no per-combination approximates for {product} "
                      f"(only for {', '.join(APPROXIMATE_PRODUCTS)}); the race card shows "
                      "multi-leg approximates."), None
    meeting, day = await locate(call, date, venue, None, race_number)
    try:
        fetched = await call.client.approximates(
            day, meeting["raceType"], meeting["venueMnemonic"], race_number, product,
            jurisdiction=call.jurisdiction)
    except NotFound:
        return None, f"no {product} approximates are published for this race.", None
    found = approximate_return(bet, pricing, records(
        fetched.data, "approximates", "racing/.../pools/{product}/approximates"))
    if found is None:
        return None, "none of the bet's combinations has an approximate yet.", fetched
    return found, None, fetched


async def _add_approximates(call: Call, result: ExoticCost, bet: ExoticBet, pricing: Pricing,
                            venue: str, race_number: int) -> None:
    """Fill the approximate return of `bet` from its race's pool approximates."""
    found, result.note, fetched = await approximate(call, bet, pricing, venue, race_number)
    if fetched is not None:
        result.source = source(fetched).model_dump(mode="json")
    if found is not None:
        result.approx_low, result.approx_high = found.lowest, found.highest
