"""The ASGI application: operational routes plus the MCP endpoint at exactly `/mcp`."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette

from app.config import Settings
from app.drain import Drain, DrainMiddleware
from app.http_routes import operational_routes
from app.landing import LandingMiddleware
from app.mcp_path import McpTrailingSlashMiddleware
from app.mcp_server import build_mcp_server
from app.observability.request_id import RequestIdMiddleware
from app.security.middleware import InboundSecurityMiddleware
from app.security.origin import transport_security
from app.services import Services
from app.wiring import upstream_transport


def create_app(settings: Settings, services: Services | None = None) -> Starlette:
    """One Starlette app serving `/mcp`, `/health`, `/ready` and `/metrics`.

    Build a fresh app per server (or per test): the MCP session manager runs once per instance.
    """
    services = services or Services(settings, transport=upstream_transport(settings))
    server = build_mcp_server(services)
    mcp_app = server.streamable_http_app(
        stateless_http=True,
        json_response=False,  # streamed (SSE) responses, so progress notifications reach clients
        transport_security=transport_security(settings),
        max_request_body_size=settings.tab_mcp_max_body_bytes,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Replacing the SDK app's lifespan: run its session manager here.
        async with server.session_manager.run():
            await services.start()
            try:
                yield
            finally:
                await services.stop()

    # The SDK's own app, with the operational routes beside `/mcp` and this lifespan, is the
    # app: wrapping it in another Starlette app would route and guard every request twice.
    app = mcp_app
    app.router.routes[:0] = operational_routes(services)
    app.router.redirect_slashes = False  # any other path is 404, never a redirect
    app.router.lifespan_context = lifespan
    app.state.services = services
    app.state.mcp_server = server
    app.state.drain = Drain()
    app.add_middleware(InboundSecurityMiddleware, settings=settings)
    app.add_middleware(LandingMiddleware, settings=settings, server=server, services=services)
    app.add_middleware(DrainMiddleware, drain=app.state.drain)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(McpTrailingSlashMiddleware)
    return app
