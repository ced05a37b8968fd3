"""Per-client rate limit of inbound requests: token buckets in a bounded LRU.

A client is, in this order:

1. its verified API key (set by the auth middleware);
2. else the session credentials a gateway forwards (`X-TAB-Client-Id` + `X-TAB-Username`), so
   users behind one gateway address do not share one bucket; inventing credential sets does
   not escape the limit, since every such request also takes from its address's bucket, which
   is `GATEWAY_SHARE` times larger;
3. else its address (uvicorn resolves `X-Forwarded-For` from trusted proxies).

Only a verified key gets a bucket of its own alone, so inventing keys buys nothing. Memory stays
bounded: the least recently seen client is forgotten first (it then starts with a full bucket,
which is never stricter than remembering it).

With a shared store (`TAB_MCP_REDIS_URL`), each client's bucket is one for the whole fleet: the
store's GCRA bucket (`SharedStore.take`, the same one the upstream budget uses), keyed by a hash
of the client key, so a client spreading its requests over workers and replicas gets the rate
once. While the store is unavailable, each process limits with its own buckets as above. The
store is the app's (`app.state.services`), looked up only when one is configured.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from hashlib import sha256

from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.http_headers import request_headers
from app.primitives.lru import LRU
from app.primitives.token_bucket import TokenBucket
from app.rejections import RATE_LIMITED, reject
from app.store import SharedStore, StoreUnavailable

DEFAULT_MAX_CLIENTS = 10_000
#: How many credential sets' worth of requests one address may send through a gateway.
GATEWAY_SHARE = 20
#: The gateway-forwarded headers that together name whose session a request belongs to.
SESSION_IDENTITY_HEADERS = ("x-tab-client-id", "x-tab-username")


class RateLimiter:
    """`rate` requests per second per key, bursts of up to `burst`; `rate <= 0` is unlimited."""

    def __init__(self, rate: float, burst: int, *, max_clients: int = DEFAULT_MAX_CLIENTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: LRU[str, TokenBucket] = LRU(max_clients)

    @property
    def enabled(self) -> bool:
        """False when the limit is switched off (`TAB_MCP_RATE_LIMIT=0`)."""
        return self.rate > 0

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str) -> float:
        """Take one token for `key`: 0.0 when allowed, else the seconds until one is free."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = TokenBucket(self.rate, self.burst, now)
                self._buckets.put(key, bucket)
            return bucket.try_take(now)


def address_key(scope: Scope) -> str:
    """The rate-limit identity of a request's address."""
    client = scope.get("client")
    return f"addr:{client[0]}" if client else "addr:unknown"


def client_key(scope: Scope) -> str:
    """The rate-limit identity of a request: its verified API key, else the gateway session's
    credential set (hashed, within its address), else its address."""
    key_id = scope.get("state", {}).get("api_key_id")
    if isinstance(key_id, str):
        return key_id
    headers = request_headers(scope)
    identity = [headers.get(name, "").strip() for name in SESSION_IDENTITY_HEADERS]
    address = address_key(scope)
    if any(identity):
        digest = sha256("\0".join(identity).encode()).hexdigest()[:24]
        return f"{address}|session:{digest}"
    return address


class RateLimitMiddleware:
    """Answers 429 with `Retry-After` when a client exceeds `TAB_MCP_RATE_LIMIT`/`_BURST`
    (and, for gateway sessions, when their address exceeds `GATEWAY_SHARE` times that)."""

    def __init__(self, app: ASGIApp, settings: Settings,
                 limiter: RateLimiter | None = None) -> None:
        self.app = app
        self.limiter = limiter or RateLimiter(settings.tab_mcp_rate_limit,
                                              settings.tab_mcp_rate_burst)
        self.gateway = RateLimiter(self.limiter.rate * GATEWAY_SHARE,
                                   self.limiter.burst * GATEWAY_SHARE)
        self.shared = settings.tab_mcp_redis_url is not None

    def _wait(self, scope: Scope, key: str) -> float:
        wait = self.limiter.take(key)
        if wait == 0 and "|session:" in key:
            wait = self.gateway.take(address_key(scope))
        return wait

    async def _shared_wait(self, scope: Scope, key: str) -> float | None:
        """`_wait` on the fleet's buckets; None when the store cannot say."""
        store = _store_of(scope)
        if store is None:
            return None
        limiter, gateway = self.limiter, self.gateway
        try:
            # max_wait=0: a refused request reserves nothing.
            wait = await store.take(_fleet_key(store, key), limiter.rate, limiter.burst,
                                    max_wait=0.0)
            if wait == 0 and "|session:" in key:
                wait = await store.take(_fleet_key(store, address_key(scope)), gateway.rate,
                                        gateway.burst, max_wait=0.0)
        except StoreUnavailable:
            return None
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limiter.enabled:
            await self.app(scope, receive, send)
            return
        key = client_key(scope)
        wait = await self._shared_wait(scope, key) if self.shared else None
        if wait is None:
            wait = self._wait(scope, key)
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            await reject(scope, send, status=429, reason="rate_limited", code=RATE_LIMITED,
                         message=f"Too many requests: retry after {retry_after} s.",
                         data={"retry_after": retry_after},
                         headers={"Retry-After": str(retry_after)})
            return
        await self.app(scope, receive, send)


def _fleet_key(store: SharedStore, key: str) -> str:
    # A client key may hold an address or an API key's id: only its hash goes to the store.
    return store.key("inbound", sha256(key.encode()).hexdigest()[:32])


def _store_of(scope: Scope) -> SharedStore | None:
    """The shared store of the app serving `scope`, once its services have started."""
    services = getattr(getattr(scope.get("app"), "state", None), "services", None)
    try:
        store = getattr(services, "store", None)
    except RuntimeError:  # not started yet, or stopped
        return None
    return store if isinstance(store, SharedStore) else None
