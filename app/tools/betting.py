"""The betting toolset: `bet_quote` prices a bet and restates it; `bet_place` places a quote.

Placing takes only the quote id: the quote is the exact bet, signed, bound to the caller's API
key and short-lived, so a person's yes to the restated quote is what gets placed. Caps, the
journal and reconciliation live in `app.betting`.
"""

from __future__ import annotations

from typing import Annotated, NoReturn

from mcp.server.elicitation import ElicitationResult
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Resolve
from mcp_types import CallToolResult
from pydantic import Field

from app.betting.audit import audit
from app.betting.caps import CapRefused, Limits
from app.betting.desk import Desk, Outcome
from app.betting.drafts import Draft, QuoteProblem
from app.betting.money import parse_time, times
from app.betting.pricing import (
    enquiry_body,
    in_words,
    potential_return,
    priced_quote,
    selection_lines,
)
from app.betting.quotes import Quote, QuoteExpired, QuoteRefused, cost_cents
from app.domain.toolsets import ACCOUNT_READ
from app.services import Services
from app.tools.approval import Approval, ask_approval, declined, was_asked
from app.tools.base import OutputModel, structured
from app.tools.bet_drafts import BetKind, QuoteArgs, draft_for, tote_approximate
from app.tools.calls import session_config, upstream_tool
from app.tools.care import CARE_LINE


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
    """Exactly what `bet_place` would place; amounts in dollars. A tote bet has no odds: it
    pays the dividend (flexi_pct of a $1 unit per combination)."""

    quote_id: str
    expires_in_s: int
    bet: str
    bet_type: str
    selections: list[str]
    event: str
    start: dict[str, str] | None
    stake: float
    odds: float | None = None
    place_odds: float | None = None
    pays: str | None = None
    approx_return: str | None = None
    combinations: int | None = None
    flexi_pct: float | None = None
    total_cost: float
    potential_return: float | None = None
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


_SELECTIONS = ("WIN/PLACE/EACH_WAY: [[runner]]. SAME_RACE_MULTI: runners [[to win],[top 2],"
               "[top 3],[top 4]]. QUINELLA/DUET: [[runners]]; EXACTA/TRIFECTA/FIRST4: runners "
               "per place (boxed: same list each place). SAME_GAME_MULTI: [[proposition ids]] "
               "from match_markets.")


def _quote_result(quote_id: str, quote: Quote, changes: list[str], ttl: int,
                  approx: str | None) -> CallToolResult:
    flexi = round(quote.stake_cents / max(1, quote.combinations), 2) if quote.tote else None
    return structured(BetQuote(
        quote_id=quote_id, expires_in_s=ttl, bet=in_words(quote), bet_type=quote.bet_type,
        selections=selection_lines(quote), event=quote.event,
        start=times(parse_time(quote.start)), stake=quote.stake_cents / 100, odds=quote.odds,
        place_odds=quote.place_odds, pays="tote: pays the dividend" if quote.tote else None,
        approx_return=approx, combinations=quote.combinations if quote.tote else None,
        flexi_pct=flexi, total_cost=quote.cost_cents / 100,
        potential_return=potential_return(quote), changes=changes,
        approval=(f"Ask the person to approve exactly this bet; then call bet_place with "
                  f"quote_id within {ttl} s. Nothing is placed until then.")))


@upstream_tool(title="Quote a bet", behaviour=ACCOUNT_READ)
async def bet_quote(
    services: Services,
    ctx: Context,
    stake: Annotated[float, Field(gt=0, le=10_000, description=(
        "Dollars per bet; exotics: per combination, or the total with flexi"))],
    selections: Annotated[list[list[int]], Field(min_length=1, max_length=4,
                                                 description=_SELECTIONS)],
    bet_type: BetKind = "WIN",
    venue: Annotated[str, Field(max_length=80)] = "",
    race_number: Annotated[int | None, Field(ge=1, le=99)] = None,
    date: str = "today",
    sport: Annotated[str, Field(max_length=100)] = "",
    competition: Annotated[str, Field(max_length=150)] = "",
    match: Annotated[str, Field(max_length=200)] = "",
    flexi: bool = False,
) -> Annotated[CallToolResult, BetQuote]:
    """Price a bet (nothing is placed) and restate exactly what bet_place would place. Racing
    bets name venue and race_number; SAME_GAME_MULTI names sport, competition, match. Show
    the restated bet to the person; place only on their yes."""
    desk = desk_for(services, ctx)
    caller = key_id(ctx)
    args = QuoteArgs(bet_type, stake, selections, venue, race_number, date, sport, competition,
                     match, flexi)
    draft: Draft | None = None
    try:
        draft = await draft_for(services, ctx, args)
        answer = await desk.client.enquiry(enquiry_body(draft))
        quote, changes = priced_quote(answer, draft, key_id=caller,
                                      expires_at=desk.signer.new_expiry(),
                                      nonce=desk.signer.nonce())
        await desk.check_caps(quote, limits_for(desk, ctx))
    except (QuoteProblem, CapRefused) as exc:
        cost = None if draft is None else cost_cents(bet_type, draft.stake_cents) / 100
        audit("quote", key_id=caller, outcome="refused", bet_type=bet_type, stake=stake,
              cost=cost, reason=str(exc))
        raise ToolError(f"Not quoted: {exc}.") from None
    quote_id = desk.signer.issue(quote)
    audit("quote", key_id=caller, outcome="quoted", bet_type=quote.bet_type,
          cost=quote.cost_cents / 100, selections=quote.label, odds=quote.odds)
    approx = await tote_approximate(services, ctx, quote, args) if quote.tote else None
    return _quote_result(quote_id, quote, changes, desk.signer.ttl, approx)


@upstream_tool(title="Place a quoted bet")
async def bet_place(
    services: Services, ctx: Context, quote_id: Annotated[str, Field(max_length=8000)],
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
              selections=quote.label)
        return structured(BetResult(status="declined", placed=False, bet=in_words(quote),
                                    message="Not placed: the person did not approve the bet."))
    audit("approval", key_id=caller, outcome="approved", cost=quote.cost_cents / 100,
          selections=quote.label, odds=quote.odds,
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
