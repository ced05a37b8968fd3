"""Per-credential upstream state (one token session per credential set) in a bounded LRU.

Entries are keyed by `Credentials.fingerprint()`, a salted hash: the raw values are never
stored as keys, logged or compared directly.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import structlog

from app.domain.credentials import Credentials
from app.primitives.lru import LRU

T = TypeVar("T")

log = structlog.get_logger(__name__)


class CredentialCache(Generic[T]):
    """At most `max_entries` objects, one per credential set, least recently used evicted first.

    `on_evict` (optional, async) closes an evicted object; it runs as a background task when an
    event loop is running, `close_delay` seconds after the eviction (so requests already holding
    the object can finish with it), and for every remaining object on `aclose()`.
    """

    def __init__(self, max_entries: int = 256,
                 on_evict: Callable[[T], Awaitable[None]] | None = None, *,
                 close_delay: float = 0.0) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.max_entries = max_entries
        self._on_evict = on_evict
        self._close_delay = max(0.0, close_delay)
        self._entries: LRU[str, T] = LRU(max_entries)
        self._closing: dict[asyncio.Task[None], T] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, credentials: object) -> bool:
        return isinstance(credentials, Credentials) and (
            credentials.fingerprint() in self._entries)

    def get_or_create(self, credentials: Credentials,
                      factory: Callable[[Credentials], T]) -> T:
        """The object for `credentials`, created with `factory(credentials)` if absent."""
        key = credentials.fingerprint()
        entry = self._entries.get(key)
        if entry is not None:
            return entry
        entry = factory(credentials)
        for _, evicted in self._entries.put(key, entry):
            self._close_later(evicted)
        return entry

    def _close_later(self, entry: T) -> None:
        if self._on_evict is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("session state evicted outside an event loop; not closed")
            return
        task = loop.create_task(self._close_after(entry, self._close_delay))
        self._closing[task] = entry
        task.add_done_callback(lambda done: self._closing.pop(done, None))

    async def _close_after(self, entry: T, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            pass  # `aclose()` wants it closed now rather than later
        await self._close(entry)

    async def _close(self, entry: T) -> None:
        assert self._on_evict is not None
        try:
            await self._on_evict(entry)
        except Exception:
            log.warning("closing evicted session state failed", exc_info=True)

    async def aclose(self) -> None:
        """Close every entry, and at once those evicted but still waiting to be closed."""
        entries = list(self._entries.values())
        self._entries.clear()
        pending = dict(self._closing)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        # A task cancelled before it ever ran closed nothing.
        entries += [entry for task, entry in pending.items() if task.cancelled()]
        if self._on_evict is not None:
            for entry in entries:
                await self._close(entry)
