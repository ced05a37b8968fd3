"""Host and Origin checks (DNS rebinding) and CORS for browser-based clients.

The allow-lists are the ones handed to the MCP SDK's own transport security (which checks them
again inside `/mcp`): loopback plus `TAB_MCP_ALLOWED_HOSTS` / `TAB_MCP_ALLOWED_ORIGINS`, each
also with any port. Checking them here first means a rebinding attempt is refused (421 / 403)
before authentication or anything else looks at it. CORS is granted only to the configured
origins, never to the loopback defaults.

A host entry `*.example.com` allows every subdomain of example.com (not example.com itself),
with any port. The SDK's own check knows only exact names, so when such a pattern is configured
the check here is the only one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mcp.server.transport_security import TransportSecuritySettings
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.http_headers import optional_header, request_headers
from app.rejections import FORBIDDEN, INVALID_REQUEST, reject, rejection

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
#: How an allowed-host entry names every subdomain of a domain.
WILDCARD_PREFIX = "*."
_HOST_NAME = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)*")

CORS_ALLOW_METHODS = ("GET", "POST", "DELETE", "OPTIONS")
CORS_ALLOW_HEADERS = (
    "Authorization", "Content-Type", "Accept", "Mcp-Session-Id", "Mcp-Protocol-Version",
    "Last-Event-ID", "Mcp-Method", "Mcp-Name", "X-Request-ID",
    "X-TAB-Jurisdiction", "X-TAB-Client-Id", "X-TAB-Client-Secret", "X-TAB-Username",
    "X-TAB-Password", "X-TAB-Toolsets",
)
CORS_EXPOSE_HEADERS = (
    "Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate", "Retry-After", "X-Request-ID",
)
CORS_MAX_AGE = 600


def _with_any_port(values: Iterable[str]) -> list[str]:
    values = list(values)
    return [*values, *(f"{value}:*" for value in values if not value.endswith(":*"))]


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Host/Origin allow-lists (DNS rebinding protection): loopback plus what is configured."""
    hosts = [*LOOPBACK_HOSTS, *settings.tab_mcp_allowed_hosts]
    origins = [f"http://{host}" for host in LOOPBACK_HOSTS] + settings.tab_mcp_allowed_origins
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=not any(host.startswith(WILDCARD_PREFIX)
                                                for host in hosts),
        allowed_hosts=_with_any_port(hosts),
        allowed_origins=_with_any_port(origins),
    )


_PORT = re.compile(r"[0-9]{1,5}")


def _without_port(value: str) -> str:
    name, colon, port = value.rpartition(":")
    return name if colon and _PORT.fullmatch(port) is not None else value


class AllowList:
    """Exact values, `value:*` patterns that match `value` with any port, and `*.domain`
    patterns that match any subdomain of `domain` (with or without a port).

    Matching ignores case (host names and schemes are case-insensitive); a port is 1-5 ASCII
    digits, nothing else.
    """

    #: How many matched values are remembered (a client sends the same Host every time).
    REMEMBERED = 64

    def __init__(self, allowed: Iterable[str]) -> None:
        allowed = [item.lower() for item in allowed]
        self._exact = frozenset(allowed)
        self._matched: set[str] = set()
        self._bases = tuple(item[:-2] + ":" for item in allowed if item.endswith(":*"))
        self._domains = tuple(sorted({item.removesuffix(":*")[1:].lower() for item in allowed
                                      if item.startswith(WILDCARD_PREFIX)}))

    def __contains__(self, value: object) -> bool:
        if value in self._matched:
            return True
        if not isinstance(value, str) or not value:
            return False
        found = self._match(value.lower())
        if found and len(self._matched) < self.REMEMBERED:
            self._matched.add(value)
        return found

    def _match(self, value: str) -> bool:
        if value in self._exact:
            return True
        if any(value.startswith(base) and _PORT.fullmatch(value[len(base):]) is not None
               for base in self._bases):
            return True
        return bool(self._domains) and self._in_domain(_without_port(value).lower())

    def _in_domain(self, host: str) -> bool:
        return (_HOST_NAME.fullmatch(host) is not None
                and any(host.endswith(domain) and len(host) > len(domain)
                        for domain in self._domains))


class _Cors(CORSMiddleware):
    """Starlette's CORS for the `origins` allow-list: a granted preflight is answered 204, and
    one asking for a method or header not granted gets a JSON-RPC error naming what is."""

    def __init__(self, app: ASGIApp, origins: AllowList) -> None:
        super().__init__(app, allow_methods=CORS_ALLOW_METHODS, allow_headers=CORS_ALLOW_HEADERS,
                         expose_headers=CORS_EXPOSE_HEADERS, max_age=CORS_MAX_AGE)
        self.origins = origins

    def is_allowed_origin(self, origin: str) -> bool:
        return origin in self.origins

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return Response(status_code=204, headers={
                name: value for name, value in response.headers.items()
                if name.startswith("access-control-") or name == "vary"})
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")
        return rejection(
            status=400, reason="cors_preflight", method="OPTIONS", code=INVALID_REQUEST,
            message=f"Cross-origin request refused: its {refused} is not allowed. Allowed "
                    f"methods: {', '.join(CORS_ALLOW_METHODS)}; allowed headers: "
                    f"{', '.join(CORS_ALLOW_HEADERS)}.")


class _AnswerOptions:
    """Answers a plain (non-preflight) OPTIONS with 204 and `Allow`, instead of a 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "OPTIONS":
            await self.app(scope, receive, send)
            return
        allow = Response(status_code=204, headers={"Allow": ", ".join(CORS_ALLOW_METHODS)})
        await allow(scope, receive, send)


class HostOriginMiddleware:
    """Refuses a disallowed Host (421) or Origin (403); CORS (`CORSMiddleware`) for the
    configured origins only. Pure ASGI (safe in front of SSE streams)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        policy = transport_security(settings)
        self._hosts = AllowList(policy.allowed_hosts)
        self._origins = AllowList(policy.allowed_origins)
        self.app = app
        self._checked = _AnswerOptions(app)
        self._cors = _Cors(self._checked,
                           AllowList(_with_any_port(settings.tab_mcp_allowed_origins)))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = request_headers(scope)
        host = headers.get("host")
        if host not in self._hosts:
            await reject(scope, send, status=421, reason="host", code=INVALID_REQUEST,
                         message="Misdirected request: this Host is not served here. The server "
                                 "operator can allow it with TAB_MCP_ALLOWED_HOSTS.")
            return
        if host is not None and host != host.lower():
            # Host names ignore case; what runs after this (the SDK's own check) compares as is.
            MutableHeaders(scope=scope)["host"] = host.lower()
            headers = request_headers(scope)
        origin = optional_header(headers, "origin")
        if origin is None:
            await self._checked(scope, receive, send)
            return
        if origin not in self._origins:
            await reject(scope, send, status=403, reason="origin", code=FORBIDDEN,
                         message="Forbidden: requests from this Origin are not allowed. The "
                                 "server operator can allow it with TAB_MCP_ALLOWED_ORIGINS.")
            return
        if self._cors.is_allowed_origin(origin):
            await self._cors(scope, receive, send)
        elif scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await reject(scope, send, status=403, reason="origin", code=FORBIDDEN,
                         message="Forbidden: cross-origin requests from this Origin are not "
                                 "allowed. The server operator can allow it with "
                                 "TAB_MCP_ALLOWED_ORIGINS.")
        else:
            await self._checked(scope, receive, send)
