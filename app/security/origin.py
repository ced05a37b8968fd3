"""Host and Origin checks (DNS rebinding) and CORS for browser-based clients.

The allow-lists are the ones handed to the MCP SDK's own transport security (which checks them
again inside `/mcp`): loopback plus `TAB_MCP_ALLOWED_HOSTS` / `TAB_MCP_ALLOWED_ORIGINS`, each
also with any port. Checking them here first means a rebinding attempt is refused (421 / 403)
before authentication or anything else looks at it. CORS is granted only to the configured
origins, never to the loopback defaults.
"""

from __future__ import annotations

from collections.abc import Iterable

from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.security.responses import FORBIDDEN, INVALID_REQUEST, header, reject

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")

CORS_ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"
CORS_ALLOW_HEADERS = ", ".join((
    "Authorization", "Content-Type", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version",
    "Last-Event-ID", "Mcp-Method", "Mcp-Name", "X-Request-ID",
    "X-TAB-Jurisdiction", "X-TAB-Client-Id", "X-TAB-Client-Secret", "X-TAB-Username",
    "X-TAB-Password", "X-TAB-Toolsets",
))
CORS_EXPOSE_HEADERS = ", ".join((
    "Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate", "Retry-After", "X-Request-ID",
))
CORS_MAX_AGE = "600"


def _with_any_port(values: Iterable[str]) -> list[str]:
    values = list(values)
    return [*values, *(f"{value}:*" for value in values if not value.endswith(":*"))]


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Host/Origin allow-lists (DNS rebinding protection): loopback plus what is configured."""
    hosts = [*LOOPBACK_HOSTS, *settings.tab_mcp_allowed_hosts]
    origins = [f"http://{host}" for host in LOOPBACK_HOSTS] + settings.tab_mcp_allowed_origins
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=_with_any_port(hosts),
        allowed_origins=_with_any_port(origins),
    )


class AllowList:
    """Exact values, or `value:*` patterns that match `value` with any port."""

    def __init__(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        self._exact = frozenset(allowed)
        self._bases = tuple(item[:-2] + ":" for item in allowed if item.endswith(":*"))

    def __contains__(self, value: object) -> bool:
        if not isinstance(value, str) or not value:
            return False
        if value in self._exact:
            return True
        return any(value.startswith(base) and value[len(base):].isdigit() for base in self._bases)


class HostOriginMiddleware:
    """Refuses a disallowed Host (421) or Origin (403); answers CORS preflights; adds CORS
    headers to responses for configured origins. Pure ASGI (safe in front of SSE streams)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        policy = transport_security(settings)
        self._hosts = AllowList(policy.allowed_hosts)
        self._origins = AllowList(policy.allowed_origins)
        self._cors_origins = AllowList(_with_any_port(settings.tab_mcp_allowed_origins))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if header(scope, b"host") not in self._hosts:
            await reject(scope, send, status=421, reason="host", code=INVALID_REQUEST,
                         message="Misdirected request: this Host is not served here. The server "
                                 "operator can allow it with TAB_MCP_ALLOWED_HOSTS.")
            return
        origin = header(scope, b"origin")
        if origin is not None and origin not in self._origins:
            await reject(scope, send, status=403, reason="origin", code=FORBIDDEN,
                         message="Forbidden: requests from this Origin are not allowed. The "
                                 "server operator can allow it with TAB_MCP_ALLOWED_ORIGINS.")
            return
        cors = origin is not None and origin in self._cors_origins
        if scope["method"] == "OPTIONS":
            await self._options(scope, send, origin if cors else None,
                                preflight=header(scope, b"access-control-request-method")
                                is not None and origin is not None)
            return
        if not cors:
            await self.app(scope, receive, send)
            return
        assert origin is not None
        cors_headers = [(b"access-control-allow-origin", origin.encode("latin-1")),
                        (b"access-control-expose-headers", CORS_EXPOSE_HEADERS.encode()),
                        (b"vary", b"Origin")]

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *cors_headers]
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    async def _options(scope: Scope, send: Send, cors_origin: str | None, *,
                       preflight: bool) -> None:
        if preflight and cors_origin is None:
            await reject(scope, send, status=403, reason="origin", code=FORBIDDEN,
                         message="Forbidden: cross-origin requests from this Origin are not "
                                 "allowed. The server operator can allow it with "
                                 "TAB_MCP_ALLOWED_ORIGINS.")
            return
        headers = [(b"allow", CORS_ALLOW_METHODS.encode()), (b"content-length", b"0")]
        if cors_origin is not None:
            headers += [
                (b"access-control-allow-origin", cors_origin.encode("latin-1")),
                (b"access-control-allow-methods", CORS_ALLOW_METHODS.encode()),
                (b"access-control-allow-headers", CORS_ALLOW_HEADERS.encode()),
                (b"access-control-max-age", CORS_MAX_AGE.encode()),
                (b"vary", b"Origin"),
            ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
