"""Quote ids: the exact bet, who asked, and until when, signed so any replica can verify them.

A quote id is `q2.<payload>.<signature>`: the payload is the bet as priced (base64url JSON of a
`Quote`), the signature an HMAC-SHA256 with the server's quote secret. The bet's
`transactionId` (the upstream's idempotency key) is derived from the whole id with the same
secret, so every attempt and every replica sends the same one. Ids of the first version
(`q1.`, one runner) still verify and decode, so a journalled attempt made with one is still
reconciled.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

import structlog

from app.config import Settings
from app.store.sealing import derive_key

_PREFIX, _LEGACY = "q2", "q1"
_log = structlog.get_logger(__name__)

#: Bet types a quote can hold: fixed-odds singles and multis, and tote exotics.
SINGLES = ("WIN", "PLACE", "EACH_WAY")
MULTIS = ("SAME_RACE_MULTI", "SAME_GAME_MULTI")
EXOTICS = ("QUINELLA", "EXACTA", "DUET", "TRIFECTA", "FIRST4")


class QuoteRefused(Exception):
    """A quote id that cannot be used: forged, expired, or another caller's."""


class QuoteExpired(QuoteRefused):
    """A genuine quote of this caller, past its window: it can no longer be placed, but what
    became of an attempt already made with it can still be told."""

    def __init__(self, message: str, quote: Quote) -> None:
        super().__init__(message)
        self.quote = quote


@dataclass(frozen=True, slots=True)
class Pick:
    """One selection of a bet, as the person approves it."""

    proposition_id: int | None  # None for a tote selection (a runner in a position)
    number: int | None  # the runner (saddlecloth) number; None for a sports outcome
    name: str  # the runner's name, or "market: outcome" for a sports leg
    position: int = 1  # exotics: the place it is picked for; same-race multi: top `position`
    odds: float | None = None  # the leg's own price where the upstream gave one


def cost_cents(bet_type: str, stake_cents: int) -> int:
    """What a bet of `stake_cents` costs: twice the stake each way, else the stake."""
    return stake_cents * (2 if bet_type == "EACH_WAY" else 1)


def proposition_ids(picks: tuple[Pick, ...]) -> tuple[int, ...]:
    """The fixed-odds propositions `picks` are on."""
    return tuple(p.proposition_id for p in picks if p.proposition_id is not None)


def positions(picks: tuple[Pick, ...]) -> list[list[int]]:
    """A tote bet's runner numbers per place (one list for quinella and duet)."""
    places = max((p.position for p in picks), default=0)
    return [[p.number for p in picks if p.position == n and p.number is not None]
            for n in range(1, places + 1)]


@dataclass(frozen=True, slots=True)
class Quote:
    """A priced bet (fixed odds or tote), exactly as it would be placed."""

    key_id: str
    bet_type: str  # one of SINGLES, MULTIS or EXOTICS
    event: str  # "Randwick race 2", or "Adelaide v Geelong (AFL)"
    event_type: str  # the race type (R, H, G), or the sport's name
    start: str  # UTC ISO: the race's or match's advertised start (a multi's earliest leg)
    picks: tuple[Pick, ...]
    stake_cents: int  # the stake the betslip sends (a tote bet's whole outlay)
    odds: float | None  # the fixed price (a multi's combined price); None: tote
    place_odds: float | None
    deco_tokens: tuple[str, ...]
    expires_at: float  # epoch seconds
    nonce: str
    combinations: int = 1
    race: dict[str, Any] | None = field(default=None)  # a tote bet's race on the wire

    @property
    def cost_cents(self) -> int:
        """What the bet costs: twice the stake each way, else the stake."""
        return cost_cents(self.bet_type, self.stake_cents)

    @property
    def tote(self) -> bool:
        """True for a tote (parimutuel) bet, paid at the dividend."""
        return self.bet_type in EXOTICS

    @property
    def sport(self) -> bool:
        """True for a sports bet (its `event_type` is a sport's name)."""
        return self.bet_type == "SAME_GAME_MULTI"

    @property
    def proposition_ids(self) -> tuple[int, ...]:
        """The fixed-odds propositions the bet is on."""
        return proposition_ids(self.picks)

    @property
    def positions(self) -> list[list[int]]:
        """A tote bet's runner numbers per place (one list for quinella and duet)."""
        return positions(self.picks)

    @property
    def label(self) -> str:
        """The selections in a few words, for audit lines."""
        return " / ".join(f"{p.number}. {p.name}" if p.number is not None else p.name
                          for p in self.picks)[:200]


def _to_json(quote: Quote) -> bytes:
    return json.dumps(asdict(quote), separators=(",", ":")).encode()


def _from_json(data: bytes) -> Quote:
    raw = json.loads(data)
    picks = tuple(Pick(**pick) for pick in raw.pop("picks"))
    tokens = tuple(str(token) for token in raw.pop("deco_tokens"))
    return Quote(**raw, picks=picks, deco_tokens=tokens)


def _from_legacy(data: bytes) -> Quote:
    """A first-version quote (one runner, fixed odds) as a `Quote`."""
    raw = json.loads(data)
    if not isinstance(raw, dict):
        raise ValueError("not a quote payload")
    pick = Pick(int(raw["proposition_id"]), int(raw["runner_number"]), str(raw["runner_name"]))
    token = raw.get("deco_token")
    return Quote(str(raw["key_id"]), str(raw["bet_type"]),
                 f"{raw['venue']} race {raw['race_number']}", str(raw["race_type"]),
                 str(raw["race_start"]), (pick,), int(raw["stake_cents"]), float(raw["odds"]),
                 raw.get("place_odds"), (token,) if isinstance(token, str) else (),
                 float(raw["expires_at"]), str(raw["nonce"]))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _parts(quote_id: str) -> list[str] | None:
    parts = quote_id.strip().split(".")
    return parts if len(parts) == 3 and parts[0] in (_PREFIX, _LEGACY) else None


def _decode(prefix: str, payload: str) -> Quote:
    data = _unb64(payload)
    try:
        return _from_json(data) if prefix == _PREFIX else _from_legacy(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError("not a quote payload") from exc


def peek(quote_id: str) -> Quote | None:
    """The bet a quote id names, read without checking it (only to restate it to a person;
    placing always verifies). None when it does not read as a quote id."""
    parts = _parts(quote_id)
    if parts is None:
        return None
    try:
        return _decode(parts[0], parts[1])
    except ValueError:
        return None


class QuoteSigner:
    """Signs and verifies quote ids with the configured secret; without one, with a key
    derived from `TAB_MCP_STORE_KEY` when a shared store is configured (every replica of the
    fleet holds it), else with one made for this process."""

    def __init__(self, settings: Settings) -> None:
        secret, store_key = settings.tab_mcp_quote_secret, settings.tab_mcp_store_key
        if secret is not None:
            self._key = secret.get_secret_value().encode()
        elif settings.tab_mcp_redis_url is not None and store_key is not None:
            self._key = derive_key(store_key.get_secret_value(), "quote secret v1")
        else:
            _log.warning("no TAB_MCP_QUOTE_SECRET: quote ids are signed with a key made for this "
                         "process, so other workers, replicas (and a restart) cannot accept "
                         "them")
            self._key = secrets.token_bytes(32)
        self.ttl = settings.tab_mcp_quote_ttl

    def _sign(self, purpose: bytes, payload: str) -> bytes:
        return hmac.new(self._key, purpose + payload.encode(), hashlib.sha256).digest()

    def _signed(self, prefix: str, payload: str, signature: str) -> bool:
        # The version is signed too (q1 ids were signed without it), so neither can pass for
        # the other.
        purpose = b"quote:" if prefix == _LEGACY else b"quote:" + prefix.encode() + b":"
        return hmac.compare_digest(_unb64(signature), self._sign(purpose, payload))

    def issue(self, quote: Quote) -> str:
        """The quote id for `quote`."""
        payload = _b64(_to_json(quote))
        signature = self._sign(b"quote:" + _PREFIX.encode() + b":", payload)
        return f"{_PREFIX}.{payload}.{_b64(signature)}"

    def new_expiry(self) -> float:
        """When a quote issued now expires."""
        return time.time() + self.ttl

    @staticmethod
    def nonce() -> str:
        """A fresh per-quote nonce (two identical bets are two quotes)."""
        return secrets.token_hex(8)

    def verify(self, quote_id: str, key_id: str, *, now: float | None = None) -> Quote:
        """The quote `quote_id` names, if this server signed it for `key_id` and it is live."""
        parts = _parts(quote_id)
        if parts is None:
            raise QuoteRefused("that is not a quote id from bet_quote; quote the bet first")
        try:
            quote = _decode(parts[0], parts[1]) if self._signed(*parts) else None
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
        parts = _parts(quote_id)
        if parts is None or not self._signed(*parts):
            raise ValueError("not a quote id of this server")
        return _decode(parts[0], parts[1])

    def transaction_id(self, quote_id: str) -> str:
        """The upstream idempotency key of the quote: the same on every replica and attempt."""
        digest = self._sign(b"transaction:", quote_id.strip())
        return str(uuid.UUID(bytes=digest[:16], version=4))
