"""Test-set price moves and suspensions, and the per-leg `decoToken`s the enquiry mints."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

#: How long a decoToken keeps the price it was minted with (unverified: never observed).
DECO_LIFETIME = timedelta(minutes=5)


class MarketAdjustments:
    """Prices and suspensions set through the admin routes; they apply to betting only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._prices: dict[int, float] = {}
        self._suspended: set[int] = set()

    def set_price(self, proposition_id: int, odds: float | None) -> None:
        """Move a proposition's price (None goes back to the race card's)."""
        with self._lock:
            if odds is None:
                self._prices.pop(proposition_id, None)
            else:
                self._prices[proposition_id] = odds

    def price(self, proposition_id: int | None, card_odds: float) -> float:
        """The price betting uses: a set price, else the race card's."""
        with self._lock:
            return self._prices.get(proposition_id, card_odds) if proposition_id else card_odds

    def suspend(self, proposition_id: int, suspended: bool) -> None:
        """Suspend a proposition (or lift its suspension)."""
        with self._lock:
            if suspended:
                self._suspended.add(proposition_id)
            else:
                self._suspended.discard(proposition_id)

    def is_suspended(self, proposition_id: int | None) -> bool:
        """Whether the admin routes suspended this proposition."""
        with self._lock:
            return proposition_id in self._suspended

    def snapshot(self) -> dict[str, object]:
        """Everything set, for the admin routes."""
        with self._lock:
            return {"prices": {str(k): v for k, v in sorted(self._prices.items())},
                    "suspended": sorted(self._suspended)}

    def clear(self) -> None:
        """Back to the race card for everything."""
        with self._lock:
            self._prices.clear()
            self._suspended.clear()


@dataclass(frozen=True)
class DecoQuote:
    """What one decoToken vouches for."""

    account_number: str
    leg_key: str  # the leg's type and proposition ids, e.g. "WIN:123456"
    odds: float
    minted_at: datetime


class DecoTokens:
    """decoTokens minted by the enquiry, by token."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._quotes: dict[str, DecoQuote] = {}

    def mint(self, quote: DecoQuote) -> str:
        """A fresh token vouching for `quote`."""
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._quotes[token] = quote
        return token

    def problem(self, token: str, account_number: str, leg_key: str,
                now: datetime) -> tuple[str, str] | None:
        """(code, message) when `token` does not vouch for this leg now; None when it does."""
        with self._lock:
            quote = self._quotes.get(token)
        if quote is None or quote.account_number != account_number or quote.leg_key != leg_key:
            return "INVALID_DECO_TOKEN", "the decoToken was not issued for this leg"
        if now - quote.minted_at > DECO_LIFETIME:
            return "DECO_TOKEN_EXPIRED", "the decoToken has expired; ask for a new enquiry"
        return None

    def odds(self, token: str) -> float | None:
        """The price a token was minted with."""
        with self._lock:
            quote = self._quotes.get(token)
        return quote.odds if quote else None

    def clear(self) -> None:
        """Forget every token."""
        with self._lock:
            self._quotes.clear()
