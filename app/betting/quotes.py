"""Quote ids: the exact bet, who asked, and until when, signed so any replica can verify them.

A quote id is `q1.<payload>.<signature>`: the payload is the bet as priced (base64url JSON), the
signature an HMAC-SHA256 with the server's quote secret. The bet's `transactionId` (the
upstream's idempotency key) is derived from the payload with the same secret, so every attempt
and every replica sends the same one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import asdict, dataclass

import structlog

from app.config import Settings

_PREFIX = "q1"
_log = structlog.get_logger(__name__)


class QuoteRefused(Exception):
    """A quote id that cannot be used: forged, expired, or another caller's."""


class QuoteExpired(QuoteRefused):
    """A genuine quote of this caller, past its window: it can no longer be placed, but what
    became of an attempt already made with it can still be told."""

    def __init__(self, message: str, quote: Quote) -> None:
        super().__init__(message)
        self.quote = quote


@dataclass(frozen=True, slots=True)
class Runner:
    """The runner a bet is on: its proposition, number and name, and its race."""

    proposition_id: int
    runner_number: int
    runner_name: str
    venue: str
    race_number: int
    race_type: str
    race_start: str  # UTC ISO


@dataclass(frozen=True, slots=True)
class Quote(Runner):
    """A priced fixed-odds bet on one runner, as the person will approve it."""

    key_id: str
    bet_type: str  # WIN, PLACE or EACH_WAY
    stake_cents: int
    odds: float
    place_odds: float | None
    deco_token: str | None
    expires_at: float  # epoch seconds
    nonce: str

    @property
    def cost_cents(self) -> int:
        """What the bet costs: twice the stake each way."""
        return self.stake_cents * (2 if self.bet_type == "EACH_WAY" else 1)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def peek(quote_id: str) -> Quote | None:
    """The bet a quote id names, read without checking it (only to restate it to a person;
    placing always verifies). None when it does not read as a quote id."""
    parts = quote_id.strip().split(".")
    if len(parts) != 3 or parts[0] != _PREFIX:
        return None
    try:
        return Quote(**json.loads(_unb64(parts[1])))
    except (ValueError, TypeError):
        return None


class QuoteSigner:
    """Signs and verifies quote ids with the configured secret (or one made per process)."""

    def __init__(self, settings: Settings) -> None:
        secret = settings.tab_mcp_quote_secret
        if secret is None:
            _log.warning("no TAB_MCP_QUOTE_SECRET: quote ids are signed with a key made for this "
                         "process, so other replicas (and a restart) cannot accept them")
            self._key = secrets.token_bytes(32)
        else:
            self._key = secret.get_secret_value().encode()
        self.ttl = settings.tab_mcp_quote_ttl

    def _sign(self, purpose: bytes, payload: str) -> bytes:
        return hmac.new(self._key, purpose + payload.encode(), hashlib.sha256).digest()

    def issue(self, quote: Quote) -> str:
        """The quote id for `quote`."""
        payload = _b64(json.dumps(asdict(quote), separators=(",", ":")).encode())
        return f"{_PREFIX}.{payload}.{_b64(self._sign(b'quote:', payload))}"

    def new_expiry(self) -> float:
        """When a quote issued now expires."""
        return time.time() + self.ttl

    @staticmethod
    def nonce() -> str:
        """A fresh per-quote nonce (two identical bets are two quotes)."""
        return secrets.token_hex(8)

    def verify(self, quote_id: str, key_id: str, *, now: float | None = None) -> Quote:
        """The quote `quote_id` names, if this server signed it for `key_id` and it is live."""
        parts = quote_id.strip().split(".")
        if len(parts) != 3 or parts[0] != _PREFIX:
            raise QuoteRefused("that is not a quote id from bet_quote; quote the bet first")
        try:
            signature = _unb64(parts[2])
            valid = hmac.compare_digest(signature, self._sign(b"quote:", parts[1]))
            quote = Quote(**json.loads(_unb64(parts[1]))) if valid else None
        except (ValueError, TypeError):
            quote = None
        if quote is None:
            raise QuoteRefused("the quote id is not one this server issued (altered, or from a "
                               "server with another quote secret); quote the bet again")
        if not hmac.compare_digest(quote.key_id, key_id):
            raise QuoteRefused("the quote was issued to another API key; quote the bet with "
                               "your own key")
        if (now if now is not None else time.time()) > quote.expires_at:
            raise QuoteExpired("the quote has expired; quote the bet again for a fresh price",
                               quote)
        return quote

    def decode_unchecked(self, quote_id: str) -> Quote:
        """The quote a journalled id names, signature checked but not its expiry or caller
        (reconciling an attempt made before a restart). Raises ValueError if it is not ours."""
        parts = quote_id.strip().split(".")
        if len(parts) != 3 or not hmac.compare_digest(_unb64(parts[2]),
                                                      self._sign(b"quote:", parts[1])):
            raise ValueError("not a quote id of this server")
        return Quote(**json.loads(_unb64(parts[1])))

    def transaction_id(self, quote_id: str) -> str:
        """The upstream idempotency key of the quote: the same on every replica and attempt."""
        digest = self._sign(b"transaction:", quote_id.strip())
        return str(uuid.UUID(bytes=digest[:16], version=4))
