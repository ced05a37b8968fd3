"""Bearer API-key authentication for the MCP endpoint, and the access policy of `/metrics`.

A missing key and a wrong key get the very same 401 (status, headers and body), so a caller
learns nothing about which part was wrong. A verified key's non-secret id is put in
`scope["state"]["api_key_id"]` for the per-client rate limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.http_headers import request_headers
from app.rejections import FORBIDDEN, UNAUTHORIZED, reject
from app.security.api_keys import ApiKeys, bearer_token

REALM = "tab-mcp"
WWW_AUTHENTICATE = f'Bearer realm="{REALM}"'


def _presented_key(scope: Scope) -> str | None:
    return bearer_token(request_headers(scope).get("authorization"))


async def _unauthorized(scope: Scope, send: Send, *, reason: str = "unauthorized") -> None:
    await reject(
        scope, send, status=401, reason=reason, code=UNAUTHORIZED,
        message="Unauthorized: this server requires an API key. Send it in the HTTP header "
                "'Authorization: Bearer <your key>'. Ask the server's operator for a key.",
        data={"scheme": "Bearer", "header": "Authorization", "realm": REALM},
        headers={"WWW-Authenticate": WWW_AUTHENTICATE},
    )


class ApiKeyAuthMiddleware:
    """Requires one of `keys` on every request; with no keys configured it lets all through."""

    def __init__(self, app: ASGIApp, keys: ApiKeys) -> None:
        self.app = app
        self.keys = keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.keys.enabled:
            await self.app(scope, receive, send)
            return
        index = self.keys.match(_presented_key(scope))
        if index is None:
            await _unauthorized(scope, send)
            return
        scope.setdefault("state", {})["api_key_id"] = self.keys.key_id(index)
        await self.app(scope, receive, send)


class MetricsAccessMiddleware:
    """The access policy of `/metrics`.

    With `TAB_MCP_METRICS_KEY` set, that key is required; otherwise it is open when
    `TAB_MCP_METRICS_PUBLIC` is true (unset: true only when no API keys are configured), else
    it requires an API key (and is refused when no API key is configured either).
    """

    def __init__(self, app: ASGIApp, settings: Settings, keys: ApiKeys) -> None:
        self.app = app
        self.keys = keys
        self.metrics_key = (ApiKeys.parse([settings.tab_mcp_metrics_key],
                                          name="TAB_MCP_METRICS_KEY")
                            if settings.tab_mcp_metrics_key else None)
        public = settings.tab_mcp_metrics_public
        self.metrics_public = not keys.enabled if public is None else public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.metrics_key is not None:
            allowed = self.metrics_key.match(_presented_key(scope)) is not None
        elif self.metrics_public:
            allowed = True
        elif self.keys.enabled:
            allowed = self.keys.match(_presented_key(scope)) is not None
        else:
            await reject(scope, send, status=403, reason="metrics_forbidden", code=FORBIDDEN,
                         message="Forbidden: metrics are not public. The server operator can "
                                 "set TAB_MCP_METRICS_KEY or TAB_MCP_METRICS_PUBLIC=true.")
            return
        if not allowed:
            await _unauthorized(scope, send, reason="metrics_unauthorized")
            return
        await self.app(scope, receive, send)
