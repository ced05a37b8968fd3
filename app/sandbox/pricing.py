"""The pricing service's same-game-multi enquiry: `POST /v1/pricing-service/enquiry`.

The request body and the answer's `bets[].status`, `bets[].legs[].odds.decimal` and
`redundantPropositions` follow the observed traffic. A proposition id is the `id` the match's
markets give it. The rest is this sandbox's own reading, unverified upstream: a second
proposition of a market already in the multi is dropped (listed under
`redundantPropositions`, the price left unchanged), and a multi the service will not price
answers `status: "error"` with `errors: [{code, message, propositionId}]` (an unknown or
closed proposition, legs of two matches, a market not offered for same-game multis).

The combined price is below the product of the legs' prices, as the real one is: each leg
after the first scales it by a correlation factor, stronger when the leg backs a side an
earlier leg already backs. The result is snapped to the price ladder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.sandbox.routes import JURISDICTIONS, error_body
from app.sandbox.world import World
from app.sandbox.world import sports as fixtures
from app.sandbox.world.sports_catalogue import SPORTS
from app.sandbox.world.util import to_ladder

ENQUIRY_PATH = "/v1/pricing-service/enquiry"
#: Price factor of a leg backing a side an earlier leg backs, and of any other extra leg.
SAME_SIDE_FACTOR = 0.75
OTHER_LEG_FACTOR = 0.88
MAX_PROPOSITIONS = 12

Body = dict[str, Any]


class BadEnquiry(ValueError):
    """A body the service cannot read (answered 400)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Selection:
    """A proposition as its match's markets show it now."""

    proposition_id: int
    match: str
    market: Body
    proposition: Body

    @property
    def price(self) -> float:
        """The proposition's decimal price."""
        return float(self.proposition["returnWin"])

    @property
    def side(self) -> str | None:
        """HOME or AWAY when the proposition backs a side."""
        position = self.proposition.get("position")
        return position if position in ("HOME", "AWAY") else None


def open_selections(world: World, now: datetime) -> dict[int, Selection]:
    """Every proposition of every open match, by id."""
    found: dict[int, Selection] = {}
    for sport in SPORTS:
        for comp in sport.competitions:
            for match in fixtures.open_matches(world.seed, comp, now):
                label = f"{comp.sport}/{comp.name}/{match.name}"
                for market in fixtures.markets(world.seed, match, now):
                    for prop in market["propositions"]:
                        found[int(prop["id"])] = Selection(int(prop["id"]), label, market, prop)
    return found


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise BadEnquiry(f"{path} must be a non-empty list", path)
    return value


def _proposition_ids(body: object) -> list[list[int]]:
    """Each bet's proposition ids, or `BadEnquiry` naming the first wrong part."""
    if not isinstance(body, dict):
        raise BadEnquiry("the body must be a JSON object", "$")
    details = body.get("clientDetails")
    if not isinstance(details, dict) or details.get("jurisdiction") not in JURISDICTIONS:
        raise BadEnquiry("clientDetails.jurisdiction must be one of "
                         + ", ".join(JURISDICTIONS), "clientDetails.jurisdiction")
    bets = []
    for b, bet in enumerate(_list(body.get("bets"), "bets")):
        legs = _list(bet.get("legs") if isinstance(bet, dict) else None, f"bets[{b}].legs")
        leg = legs[0]
        if len(legs) != 1 or not isinstance(leg, dict) or leg.get("type") != "SAME_GAME_MULTI":
            raise BadEnquiry("a same-game multi is one leg of type SAME_GAME_MULTI",
                             f"bets[{b}].legs")
        props = _list(leg.get("propositions"), f"bets[{b}].legs[0].propositions")
        ids = [p.get("propositionId") if isinstance(p, dict) else None for p in props]
        if len(ids) > MAX_PROPOSITIONS or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in ids):
            raise BadEnquiry(f"up to {MAX_PROPOSITIONS} propositions, each with an integer "
                             "propositionId", f"bets[{b}].legs[0].propositions")
        bets.append([i for i in ids if isinstance(i, int)])
    return bets


def _refusal(code: str, message: str, proposition_id: int | None) -> Body:
    return {"status": "error",
            "errors": [{"code": code, "message": message, "propositionId": proposition_id}]}


def combined_price(kept: list[Selection]) -> float:
    """The multi's price: the legs' product scaled per extra leg, on the ladder."""
    price = kept[0].price
    sides = {kept[0].side}
    for leg in kept[1:]:
        same_side = leg.side is not None and leg.side in sides
        price *= leg.price * (SAME_SIDE_FACTOR if same_side else OTHER_LEG_FACTOR)
        sides.add(leg.side)
    product = 1.0
    for leg in kept:
        product *= leg.price
    return min(product, max(1.01, to_ladder(price)))


def price_bet(ids: list[int], selections: dict[int, Selection]) -> Body:
    """One bet of the enquiry answered: priced, or refused with the reason."""
    chosen: list[Selection] = []
    for proposition_id in ids:
        selection = selections.get(proposition_id)
        if selection is None:
            return _refusal("PROPOSITION_NOT_FOUND", f"proposition {proposition_id} is not "
                            "open", proposition_id)
        if selection.proposition.get("bettingStatus") != "Open":
            return _refusal("PROPOSITION_CLOSED", f"proposition {proposition_id} is closed",
                            proposition_id)
        if not selection.market.get("sameGame"):
            return _refusal("SAME_GAME_NOT_OFFERED", f"market {selection.market['name']!r} "
                            "is not offered for same-game multis", proposition_id)
        if chosen and selection.match != chosen[0].match:
            return _refusal("NOT_SAME_GAME", "every proposition must be of the same match",
                            proposition_id)
        chosen.append(selection)
    kept: dict[str, Selection] = {}
    redundant: list[int] = []
    for selection in chosen:
        if selection.market["id"] in kept:
            redundant.append(selection.proposition_id)
        else:
            kept[selection.market["id"]] = selection
    legs = list(kept.values())
    price = combined_price(legs)
    return {"status": "ok", "legs": [{
        "type": "SAME_GAME_MULTI", "odds": {"decimal": f"{price:.2f}"},
        "propositions": [{"type": "WIN", "propositionId": leg.proposition_id,
                          "odds": {"decimal": f"{leg.price:.2f}"}} for leg in legs],
        "redundantPropositions": redundant}]}


def enquiry_route(world: World) -> Route:
    """The enquiry endpoint (public: no bearer needed)."""

    async def endpoint(request: Request) -> Response:
        try:
            bets = _proposition_ids(await _json(request))
        except BadEnquiry as exc:
            return JSONResponse(error_body("INVALID_SYNTAX_ERROR", str(exc), exc.path),
                                status_code=400)
        selections = open_selections(world, world.clock.now())
        return JSONResponse({"bets": [price_bet(ids, selections) for ids in bets]})

    return Route(ENQUIRY_PATH, endpoint, methods=["POST"])


async def _json(request: Request) -> object:
    try:
        return await request.json()
    except ValueError:
        raise BadEnquiry("the body must be JSON", "$") from None
