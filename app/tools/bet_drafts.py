"""`bet_quote`'s arguments resolved to a `Draft`: the race card for racing bets, the match's
markets for a same-game multi. A wrong combination of arguments is refused with what to send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from app.betting import drafts
from app.betting.drafts import Draft, QuoteProblem
from app.betting.money import cents
from app.betting.quotes import EXOTICS, Quote
from app.services import Services
from app.tab.errors import TabError
from app.tab.shapes import body_object
from app.tools.calls import call_for
from app.tools.exotics import approximate
from app.tools.racing import fetch_race
from app.tools.sgm import checked_legs, legs_of
from app.tools.sports_lookup import check_names, find_match, find_place
from app.wagering.exotics import BetError, exotic_bet
from app.wagering.flexi import Pricing

BetKind = Literal["WIN", "PLACE", "EACH_WAY", "SAME_RACE_MULTI", "QUINELLA", "EXACTA", "DUET",
                  "TRIFECTA", "FIRST4", "SAME_GAME_MULTI"]
_MATCH = "sports/.../match"


@dataclass(frozen=True, slots=True)
class QuoteArgs:
    """What the agent asked to quote."""

    bet_type: str
    stake: float
    selections: list[list[int]]
    venue: str
    race_number: int | None
    date: str
    sport: str
    competition: str
    match: str
    flexi: bool


def _check_args(args: QuoteArgs) -> None:
    """Refuse arguments that do not fit the bet type, saying what to send instead."""
    if args.flexi and args.bet_type not in EXOTICS:
        raise QuoteProblem(f"flexi applies to exotics only; for {args.bet_type} send stake "
                           "without flexi")
    if args.bet_type == "SAME_GAME_MULTI":
        if args.venue or args.race_number is not None:
            raise QuoteProblem("a SAME_GAME_MULTI names a match (sport, competition, match), "
                               "not a venue or race")
        if not (args.sport and args.competition and args.match):
            raise QuoteProblem("a SAME_GAME_MULTI needs sport, competition and match (as "
                               "match_markets takes them)")
    else:
        if args.sport or args.competition or args.match:
            raise QuoteProblem(f"a {args.bet_type} bet names a race (venue, race_number), not "
                               "a sport or match")
        if not args.venue or args.race_number is None:
            raise QuoteProblem(f"a {args.bet_type} bet needs venue and race_number")
    drafts.check_shape(args.bet_type, args.selections)


async def _same_game(services: Services, ctx: Context, args: QuoteArgs) -> Draft:
    call = call_for(services, ctx)
    check_names(match=args.match)
    place, fetched = await find_match(call, await find_place(call, args.sport, args.competition),
                                      args.match)
    body = body_object(fetched.data, _MATCH)
    name = str(body.get("name") or args.match)
    chosen = checked_legs(args.selections[0], legs_of(body), name)
    return drafts.same_game_multi(
        f"{name} ({place.competition})", place.sport, str(body.get("startTime") or ""),
        [(leg.id, leg.market, leg.name, leg.price) for leg in chosen], cents(args.stake))


async def draft_for(services: Services, ctx: Context, args: QuoteArgs) -> Draft:
    """The bet `args` describe, resolved against its race card or match (raises
    `QuoteProblem`, or `ToolError` for a name that does not resolve)."""
    _check_args(args)
    if args.bet_type == "SAME_GAME_MULTI":
        return await _same_game(services, ctx, args)
    assert args.race_number is not None
    _, _, race = await fetch_race(call_for(services, ctx), args.date, args.venue,
                                  args.race_number, None)
    if args.bet_type in EXOTICS:
        return drafts.exotic(race, args.bet_type, args.selections, args.stake, args.flexi)
    if args.bet_type == "SAME_RACE_MULTI":
        return drafts.same_race_multi(race, args.selections, cents(args.stake))
    return drafts.single(race, args.bet_type, args.selections[0][0], cents(args.stake))



async def tote_approximate(services: Services, ctx: Context, quote: Quote,
                           args: QuoteArgs) -> str | None:
    """What a tote quote would return by the pool's approximates now, in words (or why there
    is no approximate); None when they cannot be read."""
    places = quote.positions
    try:
        bet = exotic_bet(drafts.PRODUCTS[quote.bet_type], "boxed" if len(places) == 1 else "legs",
                         places)
        pricing = Pricing(quote.combinations, quote.stake_cents,
                          quote.stake_cents * 100 // max(1, quote.combinations))
        assert args.race_number is not None
        found, note, _ = await approximate(call_for(services, ctx), bet, pricing, args.venue,
                                           args.race_number, args.date)
    except (BetError, TabError, ToolError):
        return None
    if found is None:
        return note
    return (f"about ${found.lowest:.2f} to ${found.highest:.2f} if one of its {found.priced} "
            "priced combinations wins, by the pool's approximates now (the dividend decides)")
