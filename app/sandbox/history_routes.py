"""The sandbox's results history routes (`/v1/historical-results-service/…`).

The jurisdiction is a path segment here (a bad one is a 400 `INVALID_SYNTAX_ERROR`); a date or
race the history does not hold is a 404 whose body carries `NOT_FOUND_ERROR`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.sandbox.routes import JURISDICTIONS, SERVICE_ROOT, error_body, error_response
from app.sandbox.world import BadRequest, World
from app.sandbox.world import history as hist
from app.sandbox.world.errors import WorldError
from app.sandbox.world.links import Links

HISTORY_ROOT = "/v1/historical-results-service"

Handler = Callable[[World, Links, str, dict[str, Any]], dict[str, Any]]


def _route(world: World, path: str, handler: Handler) -> Route:
    async def endpoint(request: Request) -> Response:
        params = request.path_params
        jurisdiction = params["jurisdiction"]
        base = str(request.base_url).rstrip("/")
        try:
            if jurisdiction not in JURISDICTIONS:
                raise BadRequest(f"jurisdiction '{jurisdiction}' is not supported",
                                 "jurisdiction", jurisdiction)
            info = Links(base + SERVICE_ROOT, jurisdiction)
            body = handler(world, info, base + HISTORY_ROOT, params)
        except WorldError as exc:
            return error_response(exc)
        return JSONResponse(body)

    return Route(HISTORY_ROOT + path, endpoint, methods=["GET"])


async def _unknown_path(request: Request) -> Response:
    return JSONResponse(error_body("NOT_FOUND_ERROR", "Resource not found", "path",
                                   request.url.path), status_code=404)


def history_routes(world: World) -> list[BaseRoute]:
    """The day and race routes of the results history, and an enveloped 404 for the rest."""
    return [
        _route(world, "/{jurisdiction}/racing/{date}", lambda w, info, base, p: hist.meetings(
            w, base, info.jurisdiction, p["date"])),
        _route(world, "/{jurisdiction}/racing/{date}/{venue}/{race_type}/races/{race}",
               lambda w, info, base, p: hist.race(w, info, base, p["date"], p["venue"],
                                                  p["race_type"], p["race"])),
        Route(HISTORY_ROOT + "/{rest:path}", _unknown_path),
    ]
