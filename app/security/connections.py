"""Connection limits, read deadlines and the header size cap, enforced in uvicorn's HTTP protocol.

A slow client is cheap to be: it opens connections and sends headers or a body a byte at a
time. No ASGI middleware sees a request before its headers are complete, so the checks live in
a subclass of uvicorn's httptools protocol (`guarded_protocol`; httptools parses in C, where
h11 would spend more of a call's CPU than the rest of the HTTP stack):

- at most `TAB_MCP_MAX_CONNECTIONS` open connections in all, `..._PER_CLIENT` per address;
  one over either is closed as soon as it is accepted;
- a request's headers must be complete within `TAB_MCP_HEADER_TIMEOUT` seconds of the
  connection (or of its first byte on a kept-alive one), its body within
  `TAB_MCP_BODY_TIMEOUT` seconds of its headers; otherwise the connection is closed;
- a request line and headers over `MAX_HEADER_BYTES` get 400 and the connection is closed
  (the parser buffers them until they are complete);
- an idle kept-alive connection is closed after `TAB_MCP_KEEPALIVE_TIMEOUT` (uvicorn's own).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
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


#: The most bytes a request line and its headers may take.
MAX_HEADER_BYTES = 16 * 1024


class HeadersTooLarge(Exception):
    """The request line and headers are over `MAX_HEADER_BYTES`."""


class _GuardedProtocol(HttpToolsProtocol):
    policy: ConnectionPolicy

    def __init__(self, config: Config, server_state: ServerState, app_state: dict[str, Any],
                 _loop: asyncio.AbstractEventLoop | None = None) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._client_key: str | None = None
        #: What the client owes: "headers" or "body" of a request, or nothing ("idle").
        self._phase = "idle"
        #: The read deadline running, and the phase it was set for ("idle": none).
        self._read_deadline: asyncio.TimerHandle | None = None
        self._deadline_for = "idle"
        #: Bytes received since the current request began, until its headers were complete.
        self._received = 0
        #: Bytes of the current request's line and headers parsed so far.
        self._parsed = 0

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
        self._phase = "headers"  # a new connection owes its first request's headers
        self._set_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._phase = "idle"
        self._set_deadline()
        if self._client_key is not None:
            counts = self.policy.open_per_client
            counts[self._client_key] -= 1
            if counts[self._client_key] <= 0:
                del counts[self._client_key]
            self._client_key = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._phase == "idle":  # these bytes begin the next request
            self._received = 0
        if self._phase != "body":
            self._received += len(data)
        super().data_received(data)
        if self.transport.is_closing():  # refused by the parser (e.g. `HeadersTooLarge`)
            return
        if self._phase == "headers" and self._received > MAX_HEADER_BYTES:
            # Still no end of headers: the parser is holding all of them. Cap what it holds.
            self.send_400_response("Invalid HTTP request received.")
        elif self._deadline_for != self._phase:
            # Only a request left unfinished by this read needs a deadline: a whole request
            # in one read (the usual case) sets none.
            self._set_deadline()

    # Parser callbacks, called from `data_received`
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._parsed = 0
        self._phase = "headers"

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        # `_count` inline: this runs for every header of every request.
        self._parsed += len(name) + len(value) + 4
        if self._parsed > MAX_HEADER_BYTES:
            raise HeadersTooLarge
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._phase = "idle" if self.parser.should_upgrade() else "body"

    def on_message_complete(self) -> None:
        self._phase = "idle"
        super().on_message_complete()

    def _count(self, parsed: int) -> None:
        # Exact sizes as parsed, for a whole over-long header block arriving in one read.
        self._parsed += parsed
        if self._parsed > MAX_HEADER_BYTES:
            raise HeadersTooLarge  # a parser error: uvicorn answers 400 and closes

    def _set_deadline(self) -> None:
        """The read deadline for the current phase: headers or body, none when idle."""
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None
        self._deadline_for = self._phase
        if self._phase != "idle":
            seconds = (self.policy.header_timeout if self._phase == "headers"
                       else self.policy.body_timeout)
            self._read_deadline = self.loop.call_later(seconds, self._read_too_slow)

    def _read_too_slow(self) -> None:
        self._read_deadline = None
        if not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(policy: ConnectionPolicy) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol held to `policy`; pass it as uvicorn's `http=`."""
    return type("GuardedProtocol", (_GuardedProtocol,), {"policy": policy})


def uvicorn_connection_options(settings: Settings) -> dict[str, Any]:
    """The uvicorn options for connection limits, timeouts and trusted proxies."""
    trusted = settings.trusted_proxies
    return {
        "http": guarded_protocol(ConnectionPolicy.of(settings)),
        "timeout_keep_alive": settings.tab_mcp_keepalive_timeout,
        # Forwarded headers are believed only from configured proxies; none by default.
        "proxy_headers": bool(trusted),
        "forwarded_allow_ips": trusted or None,
    }
