"""Graceful shutdown: calls in flight finish, new requests are turned away, then the server stops.

On SIGTERM or Ctrl-C the server keeps its socket open and starts draining: every new request is
answered 503 with `Connection: close` (a client or proxy retries elsewhere), while the calls
already running (POSTs, whose replies are event streams) run to the end and their results reach
the client. Once none is left, or `TAB_MCP_GRACEFUL_TIMEOUT` has passed, idle standalone streams
are closed and uvicorn shuts down as usual. A second Ctrl-C stops at once.
"""

from __future__ import annotations

import signal
import time
from types import FrameType

import structlog
import uvicorn
from sse_starlette.sse import AppStatus
from starlette.types import ASGIApp, Receive, Scope, Send

from app.rejections import reject

log = structlog.get_logger("app.drain")

#: JSON-RPC error code of a request refused because the server is shutting down.
SHUTTING_DOWN = -32000


class Drain:
    """How many calls are in flight, and whether the server has started shutting down."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.began_at: float | None = None

    @property
    def draining(self) -> bool:
        """True once shutdown has begun."""
        return self.began_at is not None

    def begin(self) -> None:
        """Start draining: from now on new requests are refused."""
        if self.began_at is None:
            self.began_at = time.monotonic()

    def elapsed(self) -> float:
        """Seconds since draining began (0 before)."""
        return 0.0 if self.began_at is None else time.monotonic() - self.began_at


class DrainMiddleware:
    """Counts the calls (POSTs) in flight; answers 503 with `Connection: close` while draining."""

    def __init__(self, app: ASGIApp, drain: Drain) -> None:
        self.app = app
        self.drain = drain

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.drain.draining:
            await reject(scope, send, status=503, reason="shutting_down", code=SHUTTING_DOWN,
                         message="The server is shutting down: retry the request shortly.",
                         headers={"Connection": "close", "Retry-After": "1"})
            return
        if scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        self.drain.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.drain.in_flight -= 1


class DrainingServer(uvicorn.Server):
    """uvicorn's server, whose first SIGTERM/SIGINT drains (see the module) before stopping."""

    def __init__(self, config: uvicorn.Config, drain: Drain, timeout: float) -> None:
        super().__init__(config)
        self.drain = drain
        self.drain_timeout = timeout

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # The signal is deliberately not re-raised after shutdown (uvicorn's default), so a
        # drained server exits 0.
        if not self.drain.draining:
            self.drain.begin()
            log.info("shutting down: draining calls in flight", in_flight=self.drain.in_flight,
                     timeout_s=self.drain_timeout)
        elif sig == signal.SIGINT:
            self.force_exit = self.should_exit = True

    async def on_tick(self, counter: int) -> bool:
        if self.drain.draining and not self.should_exit:
            elapsed = self.drain.elapsed()
            if self.drain.in_flight == 0 or elapsed >= self.drain_timeout:
                log.info("drained; stopping", unfinished=self.drain.in_flight,
                         elapsed_s=round(elapsed, 2))
                AppStatus.should_exit = True  # closes the idle standalone event streams
                self.config.timeout_graceful_shutdown = max(1, int(self.drain_timeout - elapsed))
                self.should_exit = True
        return await super().on_tick(counter)
