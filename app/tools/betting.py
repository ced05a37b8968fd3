"""The betting toolset: `bet_quote` prices a bet and restates it; `bet_place` places a quote.

Placing takes only the quote id: the quote is the exact bet, signed, bound to the caller's API
key and short-lived, so a person's yes to the restated quote is what gets placed. Caps, the
journal and reconciliation live in `app.betting`.
"""

from __future__ import annotations

from typing import Annotated, Literal, NoReturn

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Resolve
from mcp_types import CallToolResult
from pydantic import Field

from app.betting.audit import audit
from app.betting.caps import CapRefused, Limits
from app.betting.desk import Desk, Outcome
from app.betting.money import cents, parse_time, times
from app.betting.pricing import (
    QuoteProblem,
    enquiry_body,
    in_words,
    potential_return,
    priced_quote,
    selection_of,
)
from app.betting.quotes import Quote, QuoteExpired, QuoteRefused
from app.domain.toolsets import ACCOUNT_READ
from app.services import Services
from app.tools.approval import Approval, ask_approval, declined, was_asked
from app.tools.base import OutputModel, structured
from app.tools.calls import call_for, session_config, upstream_tool
from app.tools.care import CARE_LINE
from app.tools.racing import fetch_race


def key_id(ctx: Context) -> str:
    """The id of the API key the request came with (never the key)."""
    state = ctx.request_context.request.scope.get("state", {}) if (
        ctx.request_context.request is not None) else {}
    return str(state.get("api_key_id") or "anonymous")


def limits_for(desk: Desk, ctx: Context) -> Limits:
    """The server's limits, lowered by the session's own where it sets lower ones."""
    session = session_config(ctx)
    if session is None:
        return desk.limits
    return desk.limits.lowered(session.bet_max_stake, session.bet_max_daily)


def desk_for(services: Services, ctx: Context) -> Desk:
    """The betting desk, refusing a session that brought its own account credentials."""
    session = session_config(ctx)
    if session is not None and session.has_credentials:
        raise ToolError("betting acts only on the server's own account; this session brought "
                        "its own credentials, so it cannot bet through this server")
    if services.account is None or services.account.desk is None:
        raise ToolError("betting is off on this server")
    return services.account.desk


class BetQuote(OutputModel):
    """Exactly what `bet_place` would place; amounts in dollars."""

    quote_id: str
    expires_in_s: int
    bet: str
    bet_type: str
    selection: str
    race: str
    start: dict[str, str] | None
    stake: float
    odds: float
    place_odds: float | None = None
    total_cost: float
    potential_return: float
    changes: list[str]
    approval: str
    care: str = CARE_LINE


class BetResult(OutputModel):
    """What became of the bet: placed, failed, price_moved, not_placed or unknown."""

    status: str
    placed: bool
    message: str
    bet: str
    ticket: str | None = None
    care: str = CARE_LINE


@upstream_tool(title="Quote a bet", behaviour=ACCOUNT_READ)
async def bet_quote(
    services: Services,
    ctx: Context,
    venue: Annotated[str, Field(max_length=80)],
    race_number: Annotated[int, Field(ge=1, le=99)],
    runner_number: Annotated[int, Field(ge=1, le=40)],
    stake: Annotated[float, Field(gt=0, le=10_000, description="Dollars per bet")],
    bet_type: Literal["WIN", "PLACE", "EACH_WAY"] = "WIN",
    date: str = "today",
) -> Annotated[CallToolResult, BetQuote]:
    """Price a fixed-odds bet on a runner (nothing is placed) and restate exactly what
    bet_place would place. Show the restated bet to the person; place only on their yes."""
    desk = desk_for(services, ctx)
    caller = key_id(ctx)
    stake_cents = cents(stake)
    _, _, race = await fetch_race(call_for(services, ctx), date, venue, race_number, None)
    try:
        selection = selection_of(race, runner_number)
        answer = await desk.client.enquiry(enquiry_body(selection, bet_type, stake_cents))
        quote, changes = priced_quote(answer, selection, bet_type, stake_cents, key_id=caller,
                                      expires_at=desk.signer.new_expiry(),
                                      nonce=desk.signer.nonce())
        await desk.check_caps(quote, limits_for(desk, ctx))
    except (QuoteProblem, CapRefused) as exc:
        audit("quote", key_id=caller, outcome="refused", cost=stake_cents / 100,
              reason=str(exc))
        raise ToolError(f"Not quoted: {exc}.") from None
    quote_id = desk.signer.issue(quote)
    audit("quote", key_id=caller, outcome="quoted", cost=quote.cost_cents / 100,
          runner=quote.runner_name, odds=quote.odds)
    return structured(BetQuote(
        quote_id=quote_id, expires_in_s=desk.signer.ttl, bet=in_words(quote),
        bet_type=quote.bet_type, selection=f"{quote.runner_number}. {quote.runner_name}",
        race=f"{quote.venue} race {quote.race_number}",
        start=times(parse_time(quote.race_start)), stake=quote.stake_cents / 100,
        odds=quote.odds, place_odds=quote.place_odds, total_cost=quote.cost_cents / 100,
        potential_return=potential_return(quote), changes=changes,
        approval=(f"Ask the person to approve exactly this bet; then call bet_place with "
                  f"quote_id within {desk.signer.ttl} s. Nothing is placed until then.")))


@upstream_tool(title="Place a quoted bet")
async def bet_place(
    services: Services, ctx: Context, quote_id: Annotated[str, Field(max_length=4000)],
    approval: Annotated[ElicitationResult[Approval], Resolve(ask_approval)],
) -> Annotated[CallToolResult, BetResult]:
    """Place the bet a bet_quote restated, after the person said yes to it. Places at most
    once per quote_id however often it is called; a moved price is never accepted."""
    desk = desk_for(services, ctx)
    caller = key_id(ctx)
    try:
        quote = desk.signer.verify(quote_id, caller)
    except QuoteExpired as exc:
        recorded = await desk.recorded_outcome(quote_id, exc.quote)
        if recorded is None:
            _refuse(caller, exc)
        return _result(recorded, exc.quote)  # an attempt made in time: what became of it
    except QuoteRefused as exc:
        _refuse(caller, exc)
    if declined(approval):
        audit("approval", key_id=caller, outcome="declined", cost=quote.cost_cents / 100,
              runner=quote.runner_name)
        return structured(BetResult(status="declined", placed=False, bet=in_words(quote),
                                    message="Not placed: the person did not approve the bet."))
    audit("approval", key_id=caller, outcome="approved", cost=quote.cost_cents / 100,
          runner=quote.runner_name, odds=quote.odds,
          by="elicitation" if was_asked(approval) else "quote id")
    try:
        outcome = await desk.place(quote_id, quote, limits_for(desk, ctx))
    except CapRefused as exc:
        audit("failure", key_id=caller, outcome="over_limit", cost=quote.cost_cents / 100,
              reason=str(exc))
        raise ToolError(f"Not placed: {exc}.") from None
    return _result(outcome, quote)


def _refuse(caller: str, error: QuoteRefused) -> NoReturn:
    audit("approval", key_id=caller, outcome="refused", reason=str(error))
    raise ToolError(f"Not placed: {error}.") from None


def _result(outcome: Outcome, quote: Quote) -> CallToolResult:
    return structured(BetResult(status=outcome.status, placed=outcome.status == "placed",
                                message=outcome.message, bet=in_words(quote),
                                ticket=outcome.bet_id))
