"""The desk's journal of bet attempts: the local sqlite journal (durable, and the fallback), and
with a shared store (`app.store`) the same attempts for every replica.

In the store, each attempt is a hash at `bet:<transactionId>` and the unsettled ones are members
of the set `bets-unsettled`, so any replica answers a repeated place call and reconciles what
another left unsettled. Sending a quote's betslip takes the claim `bet-claim:<transactionId>`
(SET NX with an expiry, see `SharedStore.lock`), so two replicas never send the same betslip at
once. A transaction id is derived from a signed quote id and sent upstream as is: not a secret.

Any store failure means what a lone process does: its own journal, its own lock.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from app.betting.journal import UNSETTLED, Attempt, Journal
from app.store import SharedStore, StoreUnavailable

#: How long the store keeps an attempt (the local journal keeps it for good).
KEEP_SECONDS = 7 * 24 * 3600


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _newer(first: Attempt | None, second: Attempt | None) -> Attempt | None:
    if first is None or second is None:
        return first or second
    return first if first.updated_at >= second.updated_at else second


class FleetJournal:
    """Attempts by transaction id: `get`, `record`, `unsettled` as `Journal` has them (async),
    and `claim` (see the module docstring)."""

    def __init__(self, local: Journal, store: SharedStore | None = None) -> None:
        self.local = local
        self._store = store if store is not None and store.enabled else None

    def close(self) -> None:
        """Close the local journal (the store belongs to the services)."""
        self.local.close()

    async def get(self, transaction_id: str) -> Attempt | None:
        """The latest attempt for `transaction_id`, whichever replica made it."""
        return _newer(await self._shared(transaction_id), self.local.get(transaction_id))

    async def record(self, transaction_id: str, quote_id: str, state: str,
                     detail: str = "") -> None:
        """Write the attempt's state durably here, then for the fleet."""
        self.local.record(transaction_id, quote_id, state, detail)
        store = self._store
        if store is None:
            return
        key, unsettled = store.key("bet", transaction_id), store.key("bets-unsettled")
        fields = {"quote_id": quote_id, "state": state, "detail": detail,
                  "updated_at": repr(time.time())}

        async def write(redis: Any) -> Any:
            async with redis.pipeline(transaction=True) as pipe:
                pipe.hset(key, mapping=fields).expire(key, KEEP_SECONDS)
                if state in UNSETTLED:
                    pipe.sadd(unsettled, transaction_id)
                else:
                    pipe.srem(unsettled, transaction_id)
                return await pipe.execute()

        with contextlib.suppress(StoreUnavailable):  # the local journal has it
            await store.run("bet_record", write)

    async def unsettled(self) -> list[Attempt]:
        """Attempts whose outcome is not known yet: this replica's and the fleet's."""
        found = {attempt.transaction_id: attempt for attempt in self.local.unsettled()}
        store = self._store
        if store is not None:
            try:
                members = await store.run("bet_unsettled", lambda redis: redis.smembers(
                    store.key("bets-unsettled")))
                for member in members:
                    attempt = await self.get(_text(member))
                    if attempt is not None:
                        found[attempt.transaction_id] = attempt
            except StoreUnavailable:
                pass  # this replica's own unsettled attempts only
        return [attempt for attempt in found.values() if attempt.state in UNSETTLED]

    @contextlib.asynccontextmanager
    async def claim(self, transaction_id: str, *, ttl: float,
                    wait: float) -> AsyncIterator[bool]:
        """Hold the right to send (or settle) `transaction_id`'s betslip: True when this
        replica holds it, False when another held it for all of `wait` seconds. Expires after
        `ttl` should this replica die holding it. True without a store, or when it fails
        (this process's own lock then applies alone)."""
        store = self._store
        if store is None:
            yield True
            return
        async with store.lock(store.key("bet-claim", transaction_id), ttl=ttl,
                              wait=wait) as held:
            yield held is not False  # None: the store failed

    async def _shared(self, transaction_id: str) -> Attempt | None:
        store = self._store
        if store is None:
            return None
        key = store.key("bet", transaction_id)
        try:
            fields = await store.run("bet_get", lambda redis: redis.hgetall(key))
        except StoreUnavailable:
            return None
        try:
            values = {_text(name): _text(value) for name, value in fields.items()}
            return Attempt(transaction_id, values["quote_id"], values["state"],
                           values.get("detail", ""), float(values["updated_at"]))
        except (KeyError, ValueError):
            return None  # absent, or not a record of this version
