"""Placing a quoted bet at most once, and never blind.

Per quote: one `transactionId` (derived from the quote id), one in-process lock, with a shared
store one claim for the fleet (`FleetJournal.claim`), and one journal row written before the
betslip leaves. A second call for the same quote, on any replica, answers from the journal (or
reconciles it); a lost answer is reconciled against the account's bets.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog

from app.betting import caps, reconcile
from app.betting.audit import audit
from app.betting.fleet_journal import FleetJournal
from app.betting.journal import UNSETTLED
from app.betting.money import australian_day, parse_time
from app.betting.pricing import leg_body, stake_text, tote_leg
from app.betting.quotes import Quote, QuoteSigner
from app.tab.account_client import AccountClient, OutcomeUnknown
from app.tab.deadline import current_deadline
from app.tab.errors import TabError
from app.tab.shapes import UnexpectedShape, record_list, records

_log = structlog.get_logger(__name__)
BETSLIP = "tab-betting-service/accounts/{account}/betslip"
#: How long a replica may hold a quote's claim should it die while sending its betslip.
CLAIM_TTL = 60.0
#: How long a place call waits for another replica's attempt at the same quote, at most.
CLAIM_WAIT = 30.0
#: The claim wait leaves this much of the call's deadline to answer.
CLAIM_RESERVE = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a place call: placed, failed, price_moved, not_placed or unknown."""

    status: str
    message: str
    bet_id: str | None = None


def betslip_body(quote: Quote, transaction_id: str) -> dict[str, Any]:
    """The betslip that places exactly `quote`: its legs at the quoted price with their
    decoTokens (a tote bet: its race and runners per place, at the whole outlay)."""
    if quote.tote:
        bet: dict[str, Any] = {"type": "PARIMUTUEL", "betType": quote.bet_type,
                               "legs": [tote_leg(quote.race, quote.positions)]}
    else:
        leg = leg_body(quote.bet_type, quote.proposition_ids)
        leg["odds"] = f"{quote.odds or 0:.2f}"
        if quote.deco_tokens:
            leg["decoToken"] = quote.deco_tokens[0]
        bet = {"type": "FIXED_ODDS", "betType": quote.bet_type, "legs": [leg]}
    bet.update({"stake": stake_text(quote.stake_cents), "enableMultiplier": False,
                "source": "tab-mcp"})
    return {"transactionId": transaction_id, "bets": [bet]}


def _refusal(answer: Any) -> Outcome | None:
    """The failure a 201 betslip answer reports, if any (populated `errors` = not placed)."""
    errors = records(answer, "errors", BETSLIP)
    for item in records(answer, "bets", BETSLIP):
        errors += record_list(item.get("errors"), "bets[].errors", BETSLIP)
    if not errors:
        return None
    first = errors[0]
    reason = str(first.get("message") or first.get("code") or "the bet was refused")
    if first.get("code") == "PRICE_CHANGED" or first.get("oldOdds"):
        return Outcome("price_moved", f"Not placed: the price moved ({reason}). Nothing was "
                       "bet; quote the bet again to see the new price.")
    return Outcome("failed", f"Not placed: TAB refused the bet ({reason}).")


def _ticket(answer: Any) -> str | None:
    """The placed bet's id in a betslip answer, if it gives one."""
    bets = records(answer, "bets", BETSLIP)
    bet_id = bets[0].get("betId") if bets else None
    return str(bet_id) if bet_id is not None else None


_ELSEWHERE = Outcome(
    "unknown", "Another server of this service is placing this quote right now and has not "
    "answered yet. Do not bet again: place the same quote id again in a moment to hear what "
    "became of it, or check the running bets (account_bets).")


def _claim_wait() -> float:
    """How long a place call may wait for another replica's attempt at its quote."""
    ends = current_deadline()
    if ends is None:
        return CLAIM_WAIT
    return max(0.0, min(CLAIM_WAIT, ends - time.monotonic() - CLAIM_RESERVE))


@dataclass
class _Held:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


@dataclass
class Desk:
    """Places quotes for the server's account."""

    client: AccountClient
    signer: QuoteSigner
    journal: FleetJournal
    limits: caps.Limits
    _locks: dict[str, _Held] = field(default_factory=dict)

    @contextlib.asynccontextmanager
    async def _exclusive(self, transaction_id: str) -> AsyncIterator[bool]:
        """One place call per quote at a time in this process (the lock goes when its last
        user leaves) and in the fleet: True once held, False when another replica held the
        quote's claim for as long as this call can wait."""
        held = self._locks.setdefault(transaction_id, _Held())
        held.users += 1
        try:
            async with held.lock, self.journal.claim(transaction_id, ttl=CLAIM_TTL,
                                                     wait=_claim_wait()) as claimed:
                yield claimed
        finally:
            held.users -= 1
            if held.users == 0:
                del self._locks[transaction_id]

    async def check_caps(self, quote: Quote, limits: caps.Limits) -> None:
        """Raise `CapRefused` when `quote` breaks a limit (the day's total read upstream)."""
        now = datetime.now(UTC)
        # Every leg of a quote is in its one race or match: one start, one race type or sport.
        leg = caps.LegFacts(quote.event_type, quote.sport, parse_time(quote.start) or now)
        today = await reconcile.staked_today(self.client, australian_day(now))
        caps.check(limits, cost=quote.cost_cents / 100, staked_today=today, legs=[leg],
                   now=now)

    async def place(self, quote_id: str, quote: Quote, limits: caps.Limits) -> Outcome:
        """Place `quote` at most once; see the module docstring."""
        transaction_id = self.signer.transaction_id(quote_id)
        async with self._exclusive(transaction_id) as claimed:
            if not claimed:
                return _ELSEWHERE
            recorded = await self._recorded(transaction_id, quote)
            if recorded is not None:
                return recorded
            await self.check_caps(quote, limits)
            return await self._send(quote_id, quote, transaction_id)

    async def recorded_outcome(self, quote_id: str, quote: Quote) -> Outcome | None:
        """What became of an attempt already made with `quote_id` (None: none stands)."""
        transaction_id = self.signer.transaction_id(quote_id)
        async with self._exclusive(transaction_id) as claimed:
            return await self._recorded(transaction_id, quote) if claimed else _ELSEWHERE

    async def _recorded(self, transaction_id: str, quote: Quote) -> Outcome | None:
        previous = await self.journal.get(transaction_id)
        if previous is None or previous.state == "not_placed":
            return None
        if previous.state in UNSETTLED:
            outcome = await self.settle(transaction_id, quote)
            return None if outcome.status == "not_placed" else outcome
        return Outcome(previous.state, "Already answered for this quote: " + previous.detail)

    async def _send(self, quote_id: str, quote: Quote, transaction_id: str) -> Outcome:
        await self.journal.record(transaction_id, quote_id, "sending")
        try:
            answer = await self.client.betslip(betslip_body(quote, transaction_id))
        except OutcomeUnknown:
            await self.journal.record(transaction_id, quote_id, "unknown", "the answer was lost")
            audit("placement", key_id=quote.key_id, outcome="unknown",
                  cost=quote.cost_cents / 100, selections=quote.label)
            return await self.settle(transaction_id, quote)
        except TabError as exc:
            await self.journal.record(transaction_id, quote_id, "not_placed", exc.message)
            raise
        try:
            refused, bet_id = _refusal(answer), _ticket(answer)
        except UnexpectedShape:  # a 201 that cannot be read: the bet may stand
            await self.journal.record(transaction_id, quote_id, "unknown",
                                      "the answer was unreadable")
            return await self.settle(transaction_id, quote)
        if refused is not None:
            await self.journal.record(transaction_id, quote_id, refused.status, refused.message)
            audit("failure", key_id=quote.key_id, outcome=refused.status,
                  cost=quote.cost_cents / 100, selections=quote.label)
            return refused
        message = f"Placed: ticket {bet_id}." if bet_id else "Placed."
        await self.journal.record(transaction_id, quote_id, "placed", message)
        audit("placement", key_id=quote.key_id, outcome="placed", cost=quote.cost_cents / 100,
              selections=quote.label, odds=quote.odds, ticket=bet_id)
        return Outcome("placed", message, bet_id)

    async def settle(self, transaction_id: str, quote: Quote) -> Outcome:
        """Reconcile an attempt whose answer was lost against the account's bets."""
        attempt = await self.journal.get(transaction_id)
        quote_id = attempt.quote_id if attempt else ""
        try:
            found = await reconcile.placed_bet(self.client, transaction_id, quote)
        except TabError:
            found = None
        if isinstance(found, dict):
            bet_id = str(found.get("betId")) if found.get("betId") is not None else None
            outcome = Outcome("placed", "Placed (confirmed from the account's bets after the "
                              f"answer was lost): ticket {bet_id}.", bet_id)
            await self.journal.record(transaction_id, quote_id, "placed", outcome.message)
        elif found is False:
            outcome = Outcome("not_placed", "Not placed: the answer was lost and the account "
                              "shows no such bet. Nothing was bet; you may place it again.")
            await self.journal.record(transaction_id, quote_id, "not_placed", outcome.message)
        else:
            outcome = Outcome("unknown", "Still unknown: the answer was lost and the account's "
                              "bets could not confirm it. Do not bet again; check the running "
                              "bets (account_bets) in a minute, or the TAB app.")
        audit("reconciliation", key_id=quote.key_id, outcome=outcome.status,
              cost=quote.cost_cents / 100, selections=quote.label)
        return outcome

    async def reconcile_journal(self) -> int:
        """Reconcile every unsettled attempt, this replica's and (with a shared store) the
        fleet's, at start; how many were settled. An attempt another replica is sending now is
        left to it."""
        settled = 0
        for attempt in await self.journal.unsettled():
            try:
                quote = self.signer.decode_unchecked(attempt.quote_id)
            except ValueError:
                continue
            async with self.journal.claim(attempt.transaction_id, ttl=CLAIM_TTL,
                                          wait=0.0) as claimed:
                if claimed:
                    outcome = await self.settle(attempt.transaction_id, quote)
                    settled += outcome.status != "unknown"
        return settled
