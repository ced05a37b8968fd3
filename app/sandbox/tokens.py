"""The sandbox's issued OAuth tokens: access tokens that expire on the injected `Clock`, refresh
tokens that rotate on use, and the admin operations that revoke or expire them."""

from __future__ import annotations

import enum
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.sandbox.clock import Clock


class BearerStatus(enum.Enum):
    """What the store knows about a presented access token."""

    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass
class _AccessToken:
    client_id: str
    grant: str
    username: str | None
    scope: str | None
    expires_at: datetime
    revoked: bool = False
    expired: bool = False


@dataclass(frozen=True)
class _RefreshToken:
    client_id: str
    username: str | None
    scope: str | None


@dataclass(frozen=True)
class IssuedTokens:
    """The outcome of a successful grant."""

    access_token: str
    expires_in: int
    refresh_token: str | None
    scope: str | None


class TokenStore:
    """Issued access and refresh tokens. Safe to use from several threads and tasks."""

    def __init__(self, clock: Clock, expires_in: int) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._access: dict[str, _AccessToken] = {}
        self._refresh: dict[str, _RefreshToken] = {}
        self.expires_in = expires_in

    def issue(
        self,
        *,
        client_id: str,
        grant: str,
        username: str | None,
        scope: str | None,
        with_refresh: bool,
    ) -> IssuedTokens:
        """Mint an access token (and a refresh token when asked)."""
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32) if with_refresh else None
        with self._lock:
            expires_in = self.expires_in
            self._access[access] = _AccessToken(
                client_id=client_id,
                grant=grant,
                username=username,
                scope=scope,
                expires_at=self._clock.now() + timedelta(seconds=expires_in),
            )
            if refresh is not None:
                self._refresh[refresh] = _RefreshToken(client_id, username, scope)
        return IssuedTokens(access, expires_in, refresh, scope)

    def redeem_refresh(self, token: str, client_id: str) -> _RefreshToken | None:
        """Use up a refresh token of `client_id`; None if unknown, used, revoked or foreign."""
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.client_id != client_id:
                return None
            del self._refresh[token]
            return record

    def check(self, token: str) -> BearerStatus:
        """The state of an access token right now."""
        with self._lock:
            record = self._access.get(token)
            if record is None:
                return BearerStatus.UNKNOWN
            if record.revoked:
                return BearerStatus.REVOKED
            if record.expired or self._clock.now() >= record.expires_at:
                return BearerStatus.EXPIRED
            return BearerStatus.VALID

    def client_of(self, token: str) -> str | None:
        """The client id an access token was issued to, if it was issued."""
        with self._lock:
            record = self._access.get(token)
            return record.client_id if record is not None else None

    def account_of(self, token: str) -> str | None:
        """The account a live password-grant (or refreshed) token acts for; None otherwise."""
        with self._lock:
            record = self._access.get(token)
        if record is None or self.check(token) is not BearerStatus.VALID:
            return None
        return record.username

    def revoke_access(self, token: str) -> bool:
        """Revoke one access token; False if it was never issued."""
        with self._lock:
            record = self._access.get(token)
            if record is None:
                return False
            record.revoked = True
            return True

    def revoke_refresh(self, token: str) -> bool:
        """Revoke one refresh token; False if it is unknown or already used."""
        with self._lock:
            return self._refresh.pop(token, None) is not None

    def revoke_all(self) -> int:
        """Revoke every access and refresh token; returns how many tokens were live."""
        with self._lock:
            live = sum(1 for r in self._access.values() if not r.revoked) + len(self._refresh)
            for record in self._access.values():
                record.revoked = True
            self._refresh.clear()
            return live

    def expire_all(self) -> int:
        """Expire every issued access token now; returns how many there are."""
        with self._lock:
            for record in self._access.values():
                record.expired = True
            return len(self._access)

    def clear(self) -> None:
        """Forget every token (they then count as unknown)."""
        with self._lock:
            self._access.clear()
            self._refresh.clear()
