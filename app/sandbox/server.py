"""`create_sandbox_app`: the offline imitation of the Tabcorp API as one Starlette app.

Request path through the layers (outermost first): the `X-Tab-Sandbox` label, request counting,
edge protection, fault injection, the bearer check, per-path overrides, then the routes (info
data, `/oauth/token`, `/_sandbox` admin).
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sandbox.account.admin import AccountAdmin
from app.sandbox.account.routes import AccountRoutes
from app.sandbox.admin import Admin
from app.sandbox.edge import EdgeMiddleware
from app.sandbox.faults import FaultMiddleware
from app.sandbox.late_faults import AfterHandlerFaultMiddleware
from app.sandbox.oauth import ADMIN_PREFIX, BearerMiddleware, TokenEndpoint
from app.sandbox.options import SandboxOptions
from app.sandbox.overrides import OverrideMiddleware
from app.sandbox.routes import data_routes
from app.sandbox.state import SandboxState

SANDBOX_HEADER = (b"x-tab-sandbox", b"1")

_ERROR_CODES = {404: "RESOURCE_NOT_FOUND_ERROR", 405: "METHOD_NOT_ALLOWED"}


class SandboxHeaderMiddleware:
    """Labels every response `X-Tab-Sandbox: 1`, so consumers can tell sandbox data apart."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), SANDBOX_HEADER]}
            await send(message)

        await self.app(scope, receive, labelled)


class RequestCountMiddleware:
    """Counts arriving requests by path (admin routes excluded), before any fault or reset."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(ADMIN_PREFIX):
            self.state.stats.count_request(scope["path"])
        await self.app(scope, receive, send)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = _ERROR_CODES.get(exc.status_code, "INVALID_SYNTAX_ERROR")
    body = {"error": {"code": code, "message": str(exc.detail), "details": []}}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _server_error(request: Request, exc: Exception) -> Response:
    # Served outside the middleware stack, so it labels itself.
    body = {"error": {"code": "INTERNAL_SERVER_ERROR", "message": "internal error", "details": []}}
    return JSONResponse(body, status_code=500, headers={"X-Tab-Sandbox": "1"})


def create_sandbox_app(options: SandboxOptions | None = None) -> Starlette:
    """Build a sandbox; `app.state.sandbox` is its `SandboxState` (options, world, tokens...)."""
    state = SandboxState.build(options or SandboxOptions())
    token_endpoint = TokenEndpoint(state.tokens, state.credentials, state.stats)
    routes = [
        *data_routes(state.world),
        token_endpoint.route(),
        *Admin(state).routes(),
        *AccountRoutes(state).routes(),
        *AccountAdmin(state).routes(),
    ]
    middleware = [
        Middleware(SandboxHeaderMiddleware),
        Middleware(RequestCountMiddleware, state=state),
        Middleware(EdgeMiddleware, guard=state.edge, stats=state.stats),
        Middleware(FaultMiddleware, injector=state.faults, stats=state.stats),
        Middleware(AfterHandlerFaultMiddleware, injector=state.faults, stats=state.stats),
        Middleware(BearerMiddleware, tokens=state.tokens),
        Middleware(OverrideMiddleware, overrides=state.overrides),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _server_error},
    )
    app.state.sandbox = state
    return app
