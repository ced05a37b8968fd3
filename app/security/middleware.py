"""Every inbound check in front of the app, in the order a request meets them.

1. Host (421) and Origin (403), CORS preflight - before anything looks at credentials;
2. API key (401);
3. rate limit per client (429);
4. standalone `GET` streams: caps per client and in total (429), idle timeout;
5. body size cap (413);
6. per-session configuration (400);
7. `Last-Event-ID` dropped (no event store to resume from), then the app.

`/health` and `/ready` pass straight through; `/metrics` meets only its access policy.
All steps are pure ASGI, so streamed (SSE) responses pass untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.http_paths import METRICS_PATH, OPEN_PATHS
from app.request_config.middleware import SessionConfigMiddleware
from app.security.api_keys import ApiKeys
from app.security.auth import ApiKeyAuthMiddleware, MetricsAccessMiddleware
from app.security.body_limit import BodyLimitMiddleware
from app.security.origin import HostOriginMiddleware
from app.security.rate_limit import RateLimitMiddleware
from app.security.resumption import DropLastEventIdMiddleware
from app.security.streams import StreamLimitMiddleware


class InboundSecurityMiddleware:
    """The whole inbound policy from `settings`; add it with `app.add_middleware(...)`."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        keys = ApiKeys.parse(settings.tab_mcp_api_keys)
        guarded: ASGIApp = SessionConfigMiddleware(DropLastEventIdMiddleware(app))
        guarded = BodyLimitMiddleware(guarded, settings)
        guarded = StreamLimitMiddleware(guarded, settings)
        guarded = RateLimitMiddleware(guarded, settings)
        guarded = ApiKeyAuthMiddleware(guarded, keys)
        self.guarded = HostOriginMiddleware(guarded, settings)
        self.metrics = MetricsAccessMiddleware(app, settings, keys)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
        elif scope["path"] == METRICS_PATH:
            await self.metrics(scope, receive, send)
        else:
            await self.guarded(scope, receive, send)
