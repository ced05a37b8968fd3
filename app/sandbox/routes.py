"""The sandbox's info-service data routes: the upstream's paths, parameters and error bodies.

Every route requires a valid `jurisdiction` query parameter (missing, `WA` or unknown → 400
`INVALID_SYNTAX_ERROR`), computes absolute `_links` from the request's own base URL, and answers
world failures with the upstream envelope `{"error": {"code", "message", "details"}}`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.sandbox.world import BadRequest, NotFound, World
from app.sandbox.world.errors import WorldError
from app.sandbox.world.links import Links

SERVICE_ROOT = "/v1/tab-info-service"
#: The sandbox keeps its own copy: it imports nothing from the server.
JURISDICTIONS = ("NSW", "VIC", "QLD", "SA", "TAS", "ACT", "NT")

Params = Mapping[str, str]
Handler = Callable[[World, Links, Params, Params], dict[str, Any]]

_RACE = "/racing/dates/{date}/meetings/{race_type}/{venue}/races/{race}"
_COMP = "/sports/{sport}/competitions/{competition}"


def error_body(code: str, message: str, path: str | None = None,
               value: object = None) -> dict[str, Any]:
    """The upstream error envelope."""
    details = [{"message": message, "path": path, "value": value}]
    return {"error": {"code": code, "message": message, "details": details}}


def error_response(exc: WorldError) -> JSONResponse:
    """Render a world failure as the upstream does."""
    return JSONResponse(error_body(exc.code, str(exc), exc.path, exc.value), status_code=exc.status)


def _jurisdiction(query: Params) -> str:
    value = query.get("jurisdiction")
    if value is None or value == "":
        raise BadRequest("jurisdiction is a required parameter", "jurisdiction", value)
    if value not in JURISDICTIONS:
        raise BadRequest(f"jurisdiction '{value}' is not supported", "jurisdiction", value)
    return value


def int_param(query: Params, name: str, default: int | None, minimum: int = 0) -> int | None:
    """An optional integer query parameter (400 when it is not a number >= minimum)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer", name, raw) from None
    if value < minimum:
        raise BadRequest(f"{name} must be at least {minimum}", name, raw)
    return value


def bool_param(query: Params, name: str, default: bool = False) -> bool:
    """An optional boolean query parameter (`true`/`false`, case-insensitive)."""
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise BadRequest(f"{name} must be true or false", name, raw)


def _route(world: World, path: str, handler: Handler) -> Route:
    async def endpoint(request: Request) -> Response:
        query = request.query_params
        try:
            links = Links(str(request.base_url).rstrip("/") + SERVICE_ROOT, _jurisdiction(query))
            body = handler(world, links, request.path_params, query)
        except WorldError as exc:
            return error_response(exc)
        return JSONResponse(body)

    return Route(SERVICE_ROOT + path, endpoint, methods=["GET"])


def _race_detail(w: World, ln: Links, p: Params, q: Params) -> dict[str, Any]:
    # The real racecard advertises fixedOdds in its selfTemplate but answers 404 when it is sent.
    if bool_param(q, "fixedOdds"):
        raise NotFound("Race not found", "fixedOdds", q.get("fixedOdds"))
    return w.race(p["date"], p["race_type"], p["venue"], p["race"], ln)


def _next_to_go(w: World, ln: Links, _p: Params, q: Params) -> dict[str, Any]:
    return w.next_to_go(ln, max_races=int_param(q, "maxRaces", None, 1),
                        include_recently_closed=bool_param(q, "includeRecentlyClosed"))


def _sports_next_to_go(w: World, ln: Links, _p: Params, q: Params) -> dict[str, Any]:
    return w.sports_next_to_go(
        ln, limit=int_param(q, "limit", None, 1), window=q.get("next"),
        open_only=bool_param(q, "openOnly"), sort_by_time=bool_param(q, "sortByTime", True),
        sort_by_close_time=bool_param(q, "sortByCloseTime"),
        futures_only=bool_param(q, "futuresOnly"))


def _handlers() -> list[tuple[str, Handler]]:
    return [
        ("/racing/dates", lambda w, ln, p, q: w.dates(ln)),
        ("/racing/dates/{date}/meetings", lambda w, ln, p, q: w.meetings(p["date"], ln)),
        ("/racing/dates/{date}/meetings/{race_type}/{venue}/races",
         lambda w, ln, p, q: w.meeting_races(p["date"], p["race_type"], p["venue"], ln)),
        (_RACE, _race_detail),
        (_RACE + "/form", lambda w, ln, p, q: w.race_form(
            p["date"], p["race_type"], p["venue"], p["race"], ln)),
        (_RACE + "/form/{runner}", lambda w, ln, p, q: w.runner_form(
            p["date"], p["race_type"], p["venue"], p["race"], p["runner"], ln)),
        (_RACE + "/pools/{product}/approximates", lambda w, ln, p, q: w.approximates(
            p["date"], p["race_type"], p["venue"], p["race"], p["product"], ln)),
        ("/racing/next-to-go/races", _next_to_go),
        ("/racing/jackpots", lambda w, ln, p, q: w.jackpots(ln)),
        ("/racing/dates/{date}/jackpot-pools", lambda w, ln, p, q: w.jackpot_pools(p["date"], ln)),
        ("/sports", lambda w, ln, p, q: w.sports(ln)),
        ("/sports/nextToGo", _sports_next_to_go),
        ("/sports/results", lambda w, ln, p, q: w.sports_results(ln)),
        ("/sports/results/{sport}", lambda w, ln, p, q: w.sports_results(ln, p["sport"])),
        ("/sports/results/{sport}/competitions/{competition}",
         lambda w, ln, p, q: w.sports_results(ln, p["sport"], p["competition"])),
        ("/sports/results/{sport}/competitions/{competition}/matches/{match}",
         lambda w, ln, p, q: w.sports_result_match(p["sport"], p["competition"], p["match"], ln)),
        ("/sports/{sport}", lambda w, ln, p, q: w.sport(p["sport"], ln)),
        ("/sports/{sport}/competitions", lambda w, ln, p, q: w.competitions(p["sport"], ln)),
        (_COMP, lambda w, ln, p, q: w.competition(
            p["sport"], p["competition"], ln, int_param(q, "numTopMarkets", None, 1))),
        (_COMP + "/matches", lambda w, ln, p, q: w.competition_matches(
            p["sport"], p["competition"], ln)),
        (_COMP + "/matches/{match}", lambda w, ln, p, q: w.match(
            p["sport"], p["competition"], p["match"], ln)),
        (_COMP + "/matches/{match}/markets", lambda w, ln, p, q: w.match_markets(
            p["sport"], p["competition"], p["match"], ln)),
        (_COMP + "/tournaments/{tournament}", lambda w, ln, p, q: w.tournament(
            p["sport"], p["competition"], p["tournament"], ln)),
        (_COMP + "/tournaments/{tournament}/matches/{match}",
         lambda w, ln, p, q: w.tournament_match(
             p["sport"], p["competition"], p["tournament"], p["match"], ln)),
        ("/sports/{sport}/footy/rounds", lambda w, ln, p, q: w.footy_rounds(
            p["sport"], ln, q.get("series"))),
        ("/sports/{sport}/footy/rounds/{round}", lambda w, ln, p, q: w.footy_round(
            p["sport"], p["round"], ln, q.get("series"))),
    ]


async def _unknown_path(request: Request) -> Response:
    return JSONResponse(error_body("RESOURCE_NOT_FOUND_ERROR", "Resource not found",
                                   "path", request.url.path), status_code=404)


def data_routes(world: World) -> list[BaseRoute]:
    """All info-service GET routes under SERVICE_ROOT, plus an enveloped 404 for unknown paths."""
    routes: list[BaseRoute] = [_route(world, path, handler) for path, handler in _handlers()]
    routes.append(Route(SERVICE_ROOT + "/{rest:path}", _unknown_path))
    routes.append(Route(SERVICE_ROOT, _unknown_path))
    return routes
