"""Optional CDN-like edge protection, imitating the bot manager in front of the real service.

When enabled, a request is answered with a TCP reset (no HTTP status at all) if it lacks the
headers every browser sends, or if its client address exceeds a token bucket of `rate` requests
per second with bursts of `burst`. The admin routes are exempt.
"""

from __future__ import annotations

import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from app.sandbox.faults import drop_connection
from app.sandbox.oauth import ADMIN_PREFIX
from app.sandbox.stats import SandboxStats

BROWSER_HEADERS = (b"user-agent", b"accept", b"accept-language")


class EdgeGuard:
    """The edge settings and per-client token buckets. Time is real (monotonic) time."""

    def __init__(
        self,
        *,
        enabled: bool,
        rate: float,
        burst: int,
    ) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, last refill)
        self.enabled = enabled
        self.rate = rate
        self.burst = burst

    def configure(
        self, *, enabled: bool | None = None, rate: float | None = None, burst: int | None = None
    ) -> None:
        """Change the settings; the buckets start full again."""
        with self._lock:
            if enabled is not None:
                self.enabled = enabled
            if rate is not None:
                self.rate = rate
            if burst is not None:
                self.burst = burst
            self._buckets.clear()

    def admit(self, client: str) -> bool:
        """Take one token from `client`'s bucket; False when it is empty."""
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - 1, now)
            return True


def looks_like_a_browser(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether every header a browser always sends is present and non-empty."""
    present = {name for name, value in headers if value.strip()}
    return all(name in present for name in BROWSER_HEADERS)


class EdgeMiddleware:
    """Resets connections the edge refuses and counts them."""

    def __init__(self, app: ASGIApp, guard: EdgeGuard, stats: SandboxStats) -> None:
        self.app = app
        self.guard = guard
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.guard.enabled
            or scope["path"].startswith(ADMIN_PREFIX)
        ):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if looks_like_a_browser(scope["headers"]) and self.guard.admit(address):
            await self.app(scope, receive, send)
            return
        self.stats.count_edge_reset()
        await drop_connection(receive)
