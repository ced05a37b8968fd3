"""Upstream tokens shared by the fleet: one login and one refresh per credential set for every
process sharing the store (`app.store`), the refresh token rotated once.

The record of a credential set (access token, refresh token, expiry in epoch seconds, leeway) is
sealed under the store key with the set's fleet fingerprint as its context, at
`token:<fingerprint>`, expiring with the token (later when it keeps a refresh token). A process
whose own copy is no longer usable reads the record; when that is not usable either, it renews
under the cross-process lock `token-lock:<fingerprint>`: the holder reads the record again
(another process may have renewed meanwhile), renews with the record's refresh token (the latest
rotation) and writes the new record; the others, once the lock is free, read the new record.

A token that drew a 401 (`stale`) is never taken from the record: the process that renews
replaces the record only while it still holds that token, so the fleet renews it once.
Any store failure means renewing as a lone process does.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from app.domain.credentials import Credentials
from app.store import SealError, SharedStore, StoreUnavailable
from app.tab.deadline import current_deadline

#: How long a renewing process may hold the lock should it die while renewing.
LOCK_TTL = 30.0
#: How long a process waits for another's renewal when no call deadline says otherwise.
LOCK_WAIT = 15.0
#: Seconds of a call's deadline kept for renewing itself when the holder is too slow.
RENEW_RESERVE = 2.0
#: How long a record outlives its access token when it keeps a refresh token (the upstream
#: does not say how long a refresh token lasts; a stale one is answered `invalid_grant`, and
#: the renewal falls back to the password grant).
REFRESH_KEEP = 24 * 3600.0
#: How long a record of a token without a lifetime is kept.
UNLIMITED_KEEP = 24 * 3600.0


@dataclass(frozen=True, slots=True)
class Token:
    """An upstream access token, its refresh token, and when it stops being usable."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: float  # on the manager's clock; math.inf when the upstream gave no lifetime
    leeway: float

    def usable(self, now: float) -> bool:
        """True while the token is good for at least its leeway more."""
        return now < self.expires_at - self.leeway


Grant = Callable[[Token | None], Awaitable[Token]]


class FleetTokens:
    """Reads, renews and writes the fleet's token records (see the module docstring)."""

    def __init__(self, store: SharedStore, clock: Callable[[], float]) -> None:
        self._store = store
        self._clock = clock

    async def obtain(self, credentials: Callable[[], Credentials], local: Token | None,
                     stale: str | None, grant: Grant) -> Token:
        """A usable token for `credentials()`: the fleet's record, else one `grant` obtains
        (given the token to refresh) and the record then holds. `stale` is never returned."""
        try:
            fingerprint = self._store.fingerprint(credentials())
            found = await self._read(fingerprint)
        except StoreUnavailable:
            return await grant(local)
        if self._fresh(found, stale):
            assert found is not None
            return found
        async with self._store.lock(self._store.key("token-lock", fingerprint),
                                    ttl=LOCK_TTL, wait=self._wait()) as held:
            if held is None:  # taking the lock failed: renew as a lone process
                return await grant(local)
            # Holding the lock, or tired of waiting: renewed meanwhile?
            found = await self._read_or_none(fingerprint)
            if self._fresh(found, stale):
                assert found is not None
                return found
            # The record's refresh token is the fleet's latest rotation.
            token = await grant(found if found is not None and found.refresh_token else local)
            await self._write(credentials(), token)
            return token

    def _fresh(self, token: Token | None, stale: str | None) -> bool:
        return (token is not None and token.usable(self._clock())
                and token.access_token != stale)

    def _wait(self) -> float:
        ends = current_deadline()
        if ends is None:
            return LOCK_WAIT
        return max(0.0, min(LOCK_WAIT, ends - time.monotonic() - RENEW_RESERVE))

    @staticmethod
    def _context(fingerprint: str) -> str:
        return "token:" + fingerprint

    async def _read(self, fingerprint: str) -> Token | None:
        key = self._store.key("token", fingerprint)
        sealed = await self._store.run("token_get", lambda redis: redis.get(key))
        if not isinstance(sealed, bytes):
            return None
        try:
            return self.decode(self._store.unseal(sealed, context=self._context(fingerprint)))
        except (SealError, ValueError, KeyError, TypeError):
            return None  # another key's, another set's or another version's: a miss

    async def _read_or_none(self, fingerprint: str) -> Token | None:
        try:
            return await self._read(fingerprint)
        except StoreUnavailable:
            return None

    async def _write(self, credentials: Credentials, token: Token) -> None:
        try:
            # The credentials in use now: a renewal may have reloaded rotated ones.
            fingerprint = self._store.fingerprint(credentials)
            sealed = self._store.seal(self.encode(token), context=self._context(fingerprint))
            key = self._store.key("token", fingerprint)
            px = max(1, round(self._keep(token) * 1000))
            await self._store.run("token_set", lambda redis: redis.set(key, sealed, px=px))
        except StoreUnavailable:
            pass  # this process has its token; the others renew on their own

    def _keep(self, token: Token) -> float:
        if math.isinf(token.expires_at):
            return UNLIMITED_KEEP
        left = max(0.0, token.expires_at - self._clock())
        return left + (REFRESH_KEEP if token.refresh_token else 0.0)

    def encode(self, token: Token) -> bytes:
        """The record's plaintext: the expiry in epoch seconds (None: no lifetime)."""
        expires = (None if math.isinf(token.expires_at)
                   else time.time() + (token.expires_at - self._clock()))
        record: dict[str, Any] = {"v": 1, "access": token.access_token,
                                  "refresh": token.refresh_token, "expires": expires,
                                  "leeway": token.leeway}
        return json.dumps(record, separators=(",", ":")).encode()

    def decode(self, plaintext: bytes) -> Token:
        """The token a record's plaintext holds, its expiry on this manager's clock."""
        record = json.loads(plaintext)
        if record.get("v") != 1 or not isinstance(record["access"], str):
            raise ValueError("not a token record of this version")
        refresh = record.get("refresh")
        expires = record.get("expires")
        expires_at = (math.inf if expires is None
                      else self._clock() + (float(expires) - time.time()))
        return Token(access_token=record["access"],
                     refresh_token=refresh if isinstance(refresh, str) else None,
                     expires_at=expires_at, leeway=float(record.get("leeway", 0.0)))
