"""Connection limits and read deadlines, enforced in uvicorn's HTTP protocol itself.

A slow client is cheap to be: it opens connections and sends headers or a body a byte at a
time. No ASGI middleware sees a request before its headers are complete, so the checks live in
a subclass of uvicorn's h11 protocol (`guarded_protocol`):

- at most `TAB_MCP_MAX_CONNECTIONS` open connections in all, `..._PER_CLIENT` per address;
  one over either is closed as soon as it is accepted;
- a request's headers must be complete within `TAB_MCP_HEADER_TIMEOUT` seconds of the
  connection (or of its first byte on a kept-alive one), its body within
  `TAB_MCP_BODY_TIMEOUT` seconds of its headers; otherwise the connection is closed;
- an idle kept-alive connection is closed after `TAB_MCP_KEEPALIVE_TIMEOUT` (uvicorn's own).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import h11
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from app.config import Settings


@dataclass
class ConnectionPolicy:
    """The limits, and the count of open connections per client address they are held to."""

    max_connections: int
    max_per_client: int
    header_timeout: float
    body_timeout: float
    open_per_client: Counter[str] = field(default_factory=Counter)

    @classmethod
    def of(cls, settings: Settings) -> ConnectionPolicy:
        """The policy the settings ask for."""
        return cls(max_connections=settings.tab_mcp_max_connections,
                   max_per_client=settings.tab_mcp_max_connections_per_client,
                   header_timeout=settings.tab_mcp_header_timeout,
                   body_timeout=settings.tab_mcp_body_timeout)


class _GuardedH11Protocol(H11Protocol):
    policy: ConnectionPolicy

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._read_deadline: asyncio.TimerHandle | None = None
        self._client_key: str | None = None
        self._phase = "none"

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        policy = self.policy
        client = self.client[0] if self.client else "unknown"
        if (len(self.connections) > policy.max_connections
                or policy.open_per_client[client] >= policy.max_per_client):
            transport.abort()  # refused: nothing is read from it or written to it
            return
        self._client_key = client
        policy.open_per_client[client] += 1
        self._arm(policy.header_timeout, "headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._client_key is not None:
            counts = self.policy.open_per_client
            counts[self._client_key] -= 1
            if counts[self._client_key] <= 0:
                del counts[self._client_key]
            self._client_key = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        state = self.conn.their_state
        if state is h11.IDLE:
            if self._phase != "headers":  # first bytes of a request on a kept-alive connection
                self._arm(self.policy.header_timeout, "headers")
        elif state is h11.SEND_BODY:
            if self._phase != "body":
                self._arm(self.policy.body_timeout, "body")
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        self._disarm()
        super().on_response_complete()

    def _arm(self, seconds: float, phase: str) -> None:
        self._disarm()
        self._phase = phase
        self._read_deadline = self.loop.call_later(seconds, self._read_too_slow)

    def _disarm(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None
        self._phase = "none"

    def _read_too_slow(self) -> None:
        self._read_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(policy: ConnectionPolicy) -> type[H11Protocol]:
    """uvicorn's h11 protocol held to `policy`; pass it as uvicorn's `http=`."""
    return type("GuardedH11Protocol", (_GuardedH11Protocol,), {"policy": policy})


def uvicorn_connection_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options for connection limits, timeouts and trusted proxies."""
    trusted = settings.trusted_proxies
    return {
        "http": guarded_protocol(ConnectionPolicy.of(settings)),
        "timeout_keep_alive": settings.tab_mcp_keepalive_timeout,
        "h11_max_incomplete_event_size": 16 * 1024,
        # Forwarded headers are believed only from configured proxies; none by default.
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
    }
