"""The middleware that reads each request's per-session configuration and then hides it.

A valid configuration is left in `scope["state"]` (read it with `session_config_of`) and its
secret values are registered with the log redactor; an invalid one is answered with a 400 that
names the field. Either way the query string and the `X-TAB-*` headers are removed from the
request first, so nothing downstream can log or echo them.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from app.observability.logging import REDACTOR
from app.rejections import reject
from app.request_config.model import STATE_KEY
from app.request_config.parsing import HEADER_PREFIX, SessionConfigError, parse_session_config

_PREFIX = HEADER_PREFIX.encode("latin-1")


class SessionConfigMiddleware:
    """Validates each request's per-session configuration (400 naming the field if invalid)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or await self._configure(scope, send):
            await self.app(scope, receive, send)

    async def _configure(self, scope: Scope, send: Send) -> bool:
        """Leave the request's configuration in its state and hide the carriers; False when
        the request was answered with a 400 instead."""
        query_string: bytes = scope.get("query_string", b"")
        if not query_string and not any(name.lower().startswith(_PREFIX)
                                        for name, _ in scope["headers"]):
            return True  # carries no configuration: nothing to read or hide
        carried = Headers(scope=scope)
        # Whatever the outcome, nothing downstream sees the carriers.
        scope["query_string"] = b""
        headers = MutableHeaders(scope=scope)
        for name in {name for name in headers.keys() if name.startswith(HEADER_PREFIX)}:
            del headers[name]
        try:
            config = parse_session_config(query_string, carried)
        except SessionConfigError as exc:
            await reject(scope, send, status=400, reason="invalid_config",
                         message=f"Invalid session configuration: {exc}",
                         data={"fields": exc.fields})
            return False
        if config is not None:
            REDACTOR.add_session_secrets(config.credentials.secret_values())
            scope.setdefault("state", {})[STATE_KEY] = config
        return True
