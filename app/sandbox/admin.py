"""The sandbox's control routes under `/_sandbox` (JSON in, JSON out).

They let tests and benchmarks read counters, move the clock, install faults and overrides,
revoke or expire tokens and change credentials. They exist only in the sandbox.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.sandbox.admin_requests import ClientRequest, ClockRequest, ConfigRequest, RevokeRequest
from app.sandbox.oauth import ADMIN_PREFIX
from app.sandbox.options import FaultConfig
from app.sandbox.overrides import Override
from app.sandbox.state import SandboxState
from app.sandbox.validation import ModelT, parse

Endpoint = Callable[[Request], Awaitable[Response]]


class AdminError(ValueError):
    """A malformed admin request (answered 400)."""


def _bad(message: str) -> JSONResponse:
    body = {"error": {"code": "INVALID_SANDBOX_REQUEST", "message": message, "details": []}}
    return JSONResponse(body, status_code=400)


async def _json(request: Request) -> Any:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise AdminError(f"the body is not JSON: {exc}") from exc


async def _body(request: Request, model: type[ModelT]) -> ModelT:
    return parse(model, await _json(request))


def _guarded(endpoint: Endpoint) -> Endpoint:
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ValueError as exc:  # AdminError and the models' own validation errors
            return _bad(str(exc))

    return run


class Admin:
    """The admin endpoints bound to one sandbox's state."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def routes(self) -> list[BaseRoute]:
        """Every admin route."""
        table: list[tuple[str, Endpoint, list[str]]] = [
            ("/stats", self.stats, ["GET"]),
            ("/stats/reset", self.stats_reset, ["POST"]),
            ("/reset", self.reset, ["POST"]),
            ("/clock", self.clock, ["GET", "POST"]),
            ("/faults", self.faults, ["GET", "PUT", "DELETE"]),
            ("/tokens/revoke", self.revoke, ["POST"]),
            ("/tokens/expire", self.expire, ["POST"]),
            ("/config", self.config, ["GET", "PUT"]),
            ("/clients", self.clients, ["GET", "PUT"]),
            ("/overrides", self.overrides, ["GET", "PUT", "DELETE"]),
        ]
        return [Route(ADMIN_PREFIX + path, _guarded(fn), methods=m) for path, fn, m in table]

    async def stats(self, request: Request) -> Response:
        """`GET /_sandbox/stats`: every counter."""
        return JSONResponse(self.state.stats.snapshot())

    async def stats_reset(self, request: Request) -> Response:
        """`POST /_sandbox/stats/reset`: zero the counters."""
        self.state.stats.reset()
        return JSONResponse(self.state.stats.snapshot())

    async def reset(self, request: Request) -> Response:
        """`POST /_sandbox/reset`: drop tokens, faults, overrides, counts; restore the options."""
        self.state.reset()
        return JSONResponse({"reset": True})

    async def clock(self, request: Request) -> Response:
        """`GET|POST /_sandbox/clock`; POST `{"set": ISO}` or `{"advance": seconds}`."""
        clock = self.state.options.clock
        if request.method == "POST":
            move = await _body(request, ClockRequest)
            if move.set is not None:
                clock.set(datetime.fromisoformat(move.set))
            elif move.advance is not None:
                clock.advance(move.advance)
        return JSONResponse({"now": clock.now().isoformat()})

    async def faults(self, request: Request) -> Response:
        """`GET|PUT|DELETE /_sandbox/faults`; PUT takes a list of rules and replaces them all."""
        injector = self.state.faults
        if request.method == "PUT":
            data = await _json(request)
            if isinstance(data, dict):
                data = [data]
            if not isinstance(data, list):
                raise AdminError("send a list of fault rules")
            injector.replace([FaultConfig.from_dict(item) for item in data])
        elif request.method == "DELETE":
            injector.replace([])
        return JSONResponse({"faults": [rule.to_dict() for rule in injector.rules()]})

    async def revoke(self, request: Request) -> Response:
        """`POST /_sandbox/tokens/revoke` with `{"access_token"|"refresh_token": t}` or all."""
        revoke = await _body(request, RevokeRequest)
        tokens = self.state.tokens
        if revoke.all:
            return JSONResponse({"revoked": tokens.revoke_all()})
        if revoke.access_token is not None:
            return JSONResponse({"revoked": int(tokens.revoke_access(revoke.access_token))})
        assert revoke.refresh_token is not None
        return JSONResponse({"revoked": int(tokens.revoke_refresh(revoke.refresh_token))})

    async def expire(self, request: Request) -> Response:
        """`POST /_sandbox/tokens/expire`: every issued access token expires now."""
        return JSONResponse({"expired": self.state.tokens.expire_all()})

    async def config(self, request: Request) -> Response:
        """`GET|PUT /_sandbox/config`: token lifetime and edge settings."""
        tokens, edge = self.state.tokens, self.state.edge
        if request.method == "PUT":
            change = await _body(request, ConfigRequest)
            if change.expires_in is not None:
                tokens.expires_in = change.expires_in
            if {"edge_protection", "edge_rate", "edge_burst"} & change.model_fields_set:
                edge.configure(enabled=change.edge_protection, rate=change.edge_rate,
                               burst=change.edge_burst)
        return JSONResponse(
            {
                "expires_in": tokens.expires_in,
                "edge_protection": edge.enabled,
                "edge_rate": edge.rate,
                "edge_burst": edge.burst,
            }
        )

    async def clients(self, request: Request) -> Response:
        """`GET|PUT /_sandbox/clients`; PUT `{"client_id", "client_secret"}` adds or rotates."""
        credentials = self.state.credentials
        if request.method == "PUT":
            client = await _body(request, ClientRequest)
            credentials.set_client(client.client_id, client.client_secret)
        return JSONResponse({"clients": credentials.client_ids()})

    async def overrides(self, request: Request) -> Response:
        """`GET|PUT|DELETE /_sandbox/overrides`; PUT installs one recorded response for a path."""
        overrides = self.state.overrides
        if request.method == "PUT":
            overrides.put(Override.from_dict(await _json(request)))
        elif request.method == "DELETE":
            overrides.clear()
        return JSONResponse({"paths": overrides.paths()})
