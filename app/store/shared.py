"""`SharedStore`: the one Redis (or Valkey) connection of a process, with its fallback rule.

Every user of the store (the upstream response cache, the fleet-wide upstream budget, and any
other shared state) goes through `run()`, which bounds each operation by
`TAB_MCP_REDIS_TIMEOUT` and turns every store failure into `StoreUnavailable`: the caller then
does what a lone process does. After a failure the store is skipped at once (no network, no
timeout to pay) while a background probe pings it, every 0.5 s doubling to 10 s; the first
answer puts it back in use. `redis` is imported only when a store is configured.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from app.config import Settings
from app.domain.credentials import AuthMode, Credentials
from app.store import scripts
from app.store.errors import StoreUnavailable
from app.store.health import FALLBACK, SHARED, Health, describe, log
from app.store.sealing import Sealer

if TYPE_CHECKING:
    from redis.asyncio import Redis

T = TypeVar("T")

PROBE_FIRST = 0.5
PROBE_MAX = 10.0
#: Seconds between two attempts to take a lock someone else holds.
LOCK_POLL = 0.02


class SharedStore:
    """One per process: owned by `Services`, opened at start-up, closed at shutdown.

    Disabled (`enabled` False) when `TAB_MCP_REDIS_URL` is unset: every operation then raises
    `StoreUnavailable` at once, and callers keep their in-process state exactly as without a
    store. `active` is False while the store is in its failure backoff as well.
    """

    def __init__(self, redis: Redis | None, *, namespace: str = "tab-mcp",
                 timeout: float = 0.25, sealer: Sealer | None = None) -> None:
        self._redis = redis
        self.enabled = redis is not None
        self.namespace = namespace
        self.timeout = timeout
        self._sealer = sealer
        self._health = Health(self.enabled)
        self._probe: asyncio.Task[None] | None = None
        self._scripts: dict[str, Any] = {}
        self._failures: tuple[type[BaseException], ...] = (OSError, TimeoutError)
        if redis is not None:
            from redis.exceptions import RedisError

            self._failures = (RedisError, OSError, TimeoutError)
            self._scripts = {"take": redis.register_script(scripts.GCRA_TAKE),
                             "release": redis.register_script(scripts.RELEASE_LOCK)}

    @classmethod
    def from_settings(cls, settings: Settings) -> SharedStore:
        """The store `settings` configure; a disabled one when `TAB_MCP_REDIS_URL` is unset."""
        key = settings.tab_mcp_store_key
        sealer = (Sealer(key.get_secret_value(), settings.tab_mcp_store_namespace)
                  if key is not None else None)
        url = settings.tab_mcp_redis_url
        if url is None:
            return cls(None, namespace=settings.tab_mcp_store_namespace, sealer=sealer)
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        timeout = settings.tab_mcp_redis_timeout
        # One immediate retry on a fresh connection covers a pooled connection that a Redis
        # restart closed; an unreachable server still fails within the timeout.
        client = Redis.from_url(url.get_secret_value(), socket_timeout=timeout,
                                socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 1),
                                client_name=settings.tab_mcp_store_namespace)
        return cls(client, namespace=settings.tab_mcp_store_namespace, timeout=timeout,
                   sealer=sealer)

    # State ---------------------------------------------------------------------------------------

    @property
    def active(self) -> bool:
        """Configured, and not in a failure backoff right now."""
        return self._health.mode == SHARED

    def status(self) -> tuple[str, str]:
        """("off" | "shared" | "fallback", the reason in words, never a secret)."""
        return self._health.mode, self._health.reason

    async def open(self) -> None:
        """Check the store answers (a fallback from the start when it does not)."""
        if self.enabled:
            with contextlib.suppress(StoreUnavailable):
                await self.run("connect", lambda redis: redis.ping())

    async def aclose(self) -> None:
        """Stop probing and close the connections."""
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
            self._probe = None
        if self._redis is not None:
            await self._redis.aclose()

    # Operations ----------------------------------------------------------------------------------

    async def run(self, what: str, op: Callable[[Redis], Awaitable[T]]) -> T:
        """`op(redis)` within the timeout. `what` names the operation in the fallback metric
        (a constant, never data). Raises `StoreUnavailable` when the store is off, in its
        backoff, or fails now (which starts the backoff)."""
        redis = self._redis
        if redis is None:
            raise StoreUnavailable(self._health.reason)
        if self._health.mode == FALLBACK:
            self._health.fell_back(what)
            raise StoreUnavailable(self._health.reason)
        try:
            async with asyncio.timeout(self.timeout):
                return await op(redis)
        except self._failures as exc:
            reason = describe(exc, self.timeout)
            if self._health.failed(what, reason):
                self._start_probe()
            raise StoreUnavailable(reason) from None

    def key(self, *parts: str) -> str:
        """`<namespace>:<part>:<part>…`. A part that could carry anything secret must be passed
        already hashed (a credential fingerprint from `fingerprint()`, say)."""
        return ":".join((self.namespace, *parts))

    def fingerprint(self, credentials: Credentials) -> str:
        """A fleet-wide fingerprint of `credentials` for keys: the same in every process with
        the same `TAB_MCP_STORE_KEY`, and useless to anyone without it. Anonymous credentials
        are "anonymous". `StoreUnavailable` without a store key (nothing credential-specific
        can then be shared safely)."""
        if credentials.mode is AuthMode.ANONYMOUS:
            return "anonymous"
        if self._sealer is None:
            raise StoreUnavailable("no TAB_MCP_STORE_KEY: credential-specific state stays in "
                                   "process")
        return credentials.fingerprint(self._sealer.fingerprint_key)

    def seal(self, plaintext: bytes, *, context: str) -> bytes:
        """AES-GCM under the store key, bound to `context` (say, "token:" + fingerprint).
        `StoreUnavailable` when no `TAB_MCP_STORE_KEY` is configured."""
        if self._sealer is None:
            raise StoreUnavailable("no TAB_MCP_STORE_KEY: secrets stay in process")
        return self._sealer.seal(plaintext, context=context)

    def unseal(self, sealed: bytes, *, context: str) -> bytes:
        """The plaintext sealed under `context`. `SealError` (a `ValueError`) when it does not
        open (another key or context, or tampered with): treat it as a miss."""
        if self._sealer is None:
            raise StoreUnavailable("no TAB_MCP_STORE_KEY: secrets stay in process")
        return self._sealer.unseal(sealed, context=context)

    async def take(self, key: str, rate: float, burst: int, *,
                   max_wait: float | None = None) -> float:
        """Reserve one token of the fleet-wide bucket `key` (`rate` per second, `burst` saved
        up; GCRA on Redis's clock, so every process shares one bucket whatever its own clock)
        and return the seconds to wait before using it (0.0: now). With `max_wait`, a wait
        longer than that reserves nothing (the caller gives up instead of holding a place it
        will not use): the returned wait is then > `max_wait`. `StoreUnavailable` on failure.
        """
        limit = -1.0 if max_wait is None else max(0.0, max_wait)
        args = (repr(1.0 / rate), str(max(1, burst)), repr(limit))
        wait = await self.run("take", lambda redis: self._scripts["take"](
            keys=[key], args=args, client=redis))
        return float(wait)

    async def claim(self, key: str, ttl: float) -> str | None:
        """Take `key` if nobody holds it (SET NX, expiring after `ttl` seconds): the holder's
        token to `release` it with, or None when another holds it. `StoreUnavailable` on
        failure."""
        token = secrets.token_hex(16)
        px = max(1, round(ttl * 1000))
        held = await self.run("lock", lambda redis: redis.set(key, token, nx=True, px=px))
        return token if held else None

    async def release(self, key: str, token: str) -> None:
        """Give `key` up if it still holds `token` (compare-and-delete: a claim that expired
        and passed to someone else is never released by its former holder). Never raises: a
        claim that cannot be released expires by itself."""
        release = self._scripts["release"]
        with contextlib.suppress(StoreUnavailable):
            await self.run("unlock", lambda redis: release(keys=[key], args=[token], client=redis))

    @contextlib.asynccontextmanager
    async def lock(self, key: str, ttl: float, wait: float) -> AsyncIterator[bool | None]:
        """Cross-process single flight on `key`: yields True when this process holds the lock
        (`claim`ed for `ttl` seconds should the holder die), False when another held it for all
        of `wait` seconds, None when the store failed while taking it (the caller goes on as a
        lone process); released on exit. A `StoreUnavailable` raised inside the block is the
        block's own and passes through."""
        token: str | None = None
        held: bool | None = None
        try:
            token = await self._claim_within(key, ttl, wait)
            held = token is not None
        except StoreUnavailable:
            pass  # held stays None
        try:
            yield held
        finally:
            if token is not None:
                await self.release(key, token)

    async def _claim_within(self, key: str, ttl: float, wait: float) -> str | None:
        """`claim(key, ttl)`, tried again every `LOCK_POLL` seconds for up to `wait` seconds."""
        token = await self.claim(key, ttl)
        ends = time.monotonic() + wait
        while token is None and time.monotonic() < ends:
            await asyncio.sleep(min(LOCK_POLL, max(0.0, ends - time.monotonic())))
            token = await self.claim(key, ttl)
        return token

    # Recovery ------------------------------------------------------------------------------------

    def _start_probe(self) -> None:
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._probe_until_back())

    async def _probe_until_back(self) -> None:
        redis = self._redis
        assert redis is not None
        delay = PROBE_FIRST
        while True:
            await asyncio.sleep(delay)
            try:
                # Connections from before the outage are dead: start afresh.
                await redis.connection_pool.disconnect()
                async with asyncio.timeout(self.timeout):
                    await redis.ping()
            except self._failures as exc:  # still down: probe again later
                log.debug("shared store still unavailable", reason=describe(exc, self.timeout))
                delay = min(delay * 2, PROBE_MAX)
                continue
            self._health.recovered()
            return
