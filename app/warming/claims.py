"""Who refreshes an entry: the claim a warmer takes before refreshing it.

Several processes warming the same upstream must not refresh the same race twice. Before each
refresh a warmer claims the entry for `ttl` seconds (about one refresh period); a process that
fails to claim it leaves it to the holder. One process alone always gets its claims.
"""

from __future__ import annotations

from typing import Protocol

from app.primitives.lru import LRU
from app.store import SharedStore, StoreUnavailable

#: Claims remembered for release: more than a warmer reads between a claim and its release.
MINE_KEPT = 256


class Claims(Protocol):
    """Claims on cache entries, shared by every process warming the same upstream."""

    async def claim(self, key: str, ttl: float) -> bool:
        """Claim `key` for `ttl` seconds: True when this process holds it now (refresh it),
        False when another process does (leave it). Must not raise: a claim that cannot be
        checked is granted (a duplicate refresh costs less than a cold card)."""
        ...

    async def release(self, key: str) -> None:
        """Give up a claim this process holds without having refreshed the entry."""
        ...


class LocalClaims:
    """Claims of a process that warms alone: every claim is granted."""

    async def claim(self, key: str, ttl: float) -> bool:
        """Always True: nobody else warms."""
        return True

    async def release(self, key: str) -> None:
        """Nothing to release."""


class StoreClaims:
    """Claims shared by every process using the same store (`SharedStore.claim`).

    A claim is granted when the store cannot say (a duplicate refresh costs less than a cold
    card); a released claim is deleted only while it is still this process's own.
    """

    def __init__(self, store: SharedStore) -> None:
        self._store = store
        # Only a claim still being read can be released; older ones expire by themselves.
        self._mine: LRU[str, str] = LRU(MINE_KEPT)

    async def claim(self, key: str, ttl: float) -> bool:
        """Claim `key` fleet-wide for `ttl` seconds."""
        try:
            token = await self._store.claim(self._store.key("warm", key), ttl)
        except StoreUnavailable:
            return True
        if token is not None:
            self._mine.put(key, token)
        return token is not None

    async def release(self, key: str) -> None:
        """Give the claim back (only while it is still this process's)."""
        token = self._mine.pop(key)
        if token is not None:
            await self._store.release(self._store.key("warm", key), token)
