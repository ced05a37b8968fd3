"""The fleet tier of the upstream response cache: one upstream fetch per key per TTL for every
process sharing the store (`app.store`).

It sits under each process's own `TTLCache` (which keeps its single flight per process): a local
miss reads the shared entry; on a shared miss, the process holding a cross-process lock fetches
upstream and stores the body with the TTL (`PX`), and the others wait for the lock, then read it.
Any store failure means fetching as a lone process would: never a failed call.

Entries are keyed by the upstream (base URL), path and query (jurisdiction included), under the
fleet fingerprint of the credential set that fetched them, so one credential set never reads
another's data. A record holds `fetched_at`, so a result says how old its data is wherever it
was fetched.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

from app.config import Settings
from app.primitives import bounded_json
from app.store import StoreUnavailable
from app.store.shared import SharedStore
from app.tab.auth import TokenManager
from app.tab.deadline import current_deadline
from app.tab.errors import UpstreamBusy
from app.tab.fetched import Fetched, Stored
from app.tab.paths import Route

_FORMAT = b"1"
#: Seconds of a call's deadline kept for fetching itself when the lock holder is too slow.
FETCH_RESERVE = 1.0

TTL = float | Callable[[Stored], float]


def encode(stored: Stored) -> bytes:
    """A shared record: format, a JSON header (fetched_at, sandbox, size), a newline, the body.
    The body is the parsed data written back as JSON (it parses to the same value)."""
    fetched = stored.fetched
    header = {"at": fetched.fetched_at.timestamp(), "sandbox": fetched.sandbox,
              "size": stored.size}
    return (_FORMAT + json.dumps(header, separators=(",", ":")).encode() + b"\n"
            + json.dumps(fetched.data, separators=(",", ":"), ensure_ascii=False).encode())


def decode(record: bytes) -> Stored:
    """The cached result a record holds (marked cached); `ValueError` when it is not one."""
    if record[:1] != _FORMAT:
        raise ValueError("not a record of this format")
    head, newline, body = record[1:].partition(b"\n")
    if not newline:
        raise ValueError("truncated record")
    header = json.loads(head)
    fetched = Fetched(data=bounded_json.loads(body), sandbox=bool(header["sandbox"]),
                      fetched_at=datetime.fromtimestamp(float(header["at"]), UTC), cached=True)
    return Stored(fetched, int(header["size"]), replace(fetched))


def remaining(ttl: TTL) -> Callable[[Stored], float]:
    """`ttl` less the age of the data: a record fetched elsewhere expires here when it does
    there."""
    def seconds(stored: Stored) -> float:
        return (ttl(stored) if callable(ttl) else ttl) - stored.fetched.age_seconds()
    return seconds


class SharedCache:
    """Reads and fills the shared entries of one upstream (see the module docstring)."""

    def __init__(self, store: SharedStore, settings: Settings) -> None:
        self._store = store
        self._upstream = settings.tab_base_url
        self._deadline = settings.tab_call_deadline
        # A holder that died leaves its lock for no longer than one call could take.
        self._lock_ttl = settings.tab_call_deadline + 1.0

    def _keys(self, tokens: TokenManager, route: Route,
              query: dict[str, str]) -> tuple[str, str]:
        scope = self._store.fingerprint(tokens.credentials)
        request = "\n".join((self._upstream, route.path, urlencode(sorted(query.items()))))
        digest = hashlib.sha256(request.encode()).hexdigest()[:40]
        return (self._store.key("upstream", scope, digest),
                self._store.key("upstream-lock", scope, digest))

    async def fetch(self, tokens: TokenManager, route: Route, query: dict[str, str], ttl: TTL,
                    fetch: Callable[[], Awaitable[Stored]], *,
                    ahead: float | None = None) -> Stored:
        """The shared entry for this request, else the result of `fetch` (run by one process
        of the fleet at a time, and stored for `ttl`).

        `ahead` marks a background refresh (`app.tab.background`): an entry expiring within
        `ahead` seconds counts as missing, and the refresh never waits for another process's
        fetch (it answers what is stored, or `UpstreamBusy` when nothing is)."""
        try:
            key, lock_key = self._keys(tokens, route, query)
            found = await self._get(key)
        except StoreUnavailable:
            return await fetch()
        if found is not None and (ahead is None or remaining(ttl)(found) > ahead):
            return found
        wait = self._wait() if ahead is None else 0.0
        async with self._store.lock(lock_key, ttl=self._lock_ttl, wait=wait) as held:
            if held is None:  # taking the lock failed: fetch as a lone process
                return await fetch()
            if ahead is not None:
                return await self._refresh(key, ttl, fetch, found, held)
            # Holding the lock, or tired of waiting: filled meanwhile? Else fetch.
            found = await self._get_or_none(key)
            if found is None:
                found = await fetch()
                await self._put(key, found, ttl)
            return found

    async def _refresh(self, key: str, ttl: TTL, fetch: Callable[[], Awaitable[Stored]],
                       found: Stored | None, held: bool) -> Stored:
        if not held:  # another process is fetching it now
            if found is not None:
                return found
            raise UpstreamBusy("another server of the fleet is fetching this entry",
                               retry_after=1.0)
        fresh = await fetch()
        await self._put(key, fresh, ttl)
        return fresh

    def _wait(self) -> float:
        ends = current_deadline()
        if ends is None:
            return self._deadline - FETCH_RESERVE
        return max(0.0, ends - time.monotonic() - FETCH_RESERVE)

    async def _get(self, key: str) -> Stored | None:
        record = await self._store.run("cache_get", lambda redis: redis.get(key))
        if not isinstance(record, bytes):
            return None
        try:
            return decode(record)
        except (ValueError, KeyError, TypeError):
            return None  # unreadable (another version's record): a miss, overwritten later

    async def _get_or_none(self, key: str) -> Stored | None:
        try:
            return await self._get(key)
        except StoreUnavailable:
            return None

    async def _put(self, key: str, stored: Stored, ttl: TTL) -> None:
        seconds = ttl(stored) if callable(ttl) else ttl
        if seconds <= 0:
            return
        record = encode(stored)
        try:
            await self._store.run("cache_set", lambda redis: redis.set(
                key, record, px=max(1, round(seconds * 1000))))
        except StoreUnavailable:
            pass  # the caller has its result; the next process fetches again
