"""The cache warmer: the next races' cards kept fresh in the upstream cache before anyone asks.

Each round reads the next-to-go list as `market_movers` does, takes its first `races` races and
reads each card again a little before its cache entry expires, through the same
`TabClient.race()` the tools call, so that a warmed card is a cache hit for them. Its reads are
background work (`app.tab.background`): each spends a token only when no request is waiting and
one whole token stays for the next, at most `share` of the upstream rate, and never waits in the
pacer's queue; a fetch of its own is never shared with a tool call, so no call waits on it or
gets its error. Processes warming the same upstream divide the work through `Claims`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
from collections.abc import Awaitable, Callable

import structlog

from app.observability.metrics import WARMER_READS
from app.primitives.token_bucket import TokenBucket
from app.tab.background import Background, background
from app.tab.client import Fetched, TabClient
from app.tab.deadline import call_deadline
from app.tab.errors import CircuitOpen, TabError, UpstreamBusy
from app.tab.next_races import RaceAddress, next_races, next_to_go_depth
from app.warming.claims import Claims, LocalClaims

log = structlog.get_logger("app.warming")

#: Seconds before its cache entry expires that an entry is read again.
REFRESH_AHEAD = 1.5
#: Bounds of the pause between rounds, in seconds.
MIN_PAUSE = 0.05
MAX_PAUSE = 1.0
#: The longest pause after repeated upstream failures.
MAX_BACKOFF = 30.0
#: Seconds one background read may take.
READ_DEADLINE = 5.0
#: Tokens the warmer's own allowance saves up: a read and the login it may need.
ALLOWANCE_BURST = 2

class Warmer:
    """Keeps the first `races` next-to-go races of `jurisdiction` fresh in `client`'s cache,
    using at most `share` of its upstream rate; `claims` divides the work between processes."""

    def __init__(self, client: TabClient, *, races: int, share: float, jurisdiction: str,
                 claims: Claims | None = None, ahead: float = REFRESH_AHEAD) -> None:
        self._client = client
        self._count = races
        self._jurisdiction = jurisdiction
        self._claims: Claims = claims or LocalClaims()
        self._ahead = ahead
        rate = client.settings.effective_rate_limit
        allowance = TokenBucket(rate * share, ALLOWANCE_BURST, time.monotonic()) if rate else None
        self._work = Background(allowance, ahead)
        #: After a round ran out of budget: about the time its allowance takes to refill.
        self._spent_pause = min(MAX_PAUSE, 1 / (rate * share)) if rate else MAX_PAUSE
        self._races: list[RaceAddress] = []
        self._list_due = 0.0
        self._due: dict[RaceAddress, float] = {}
        self._failures = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """True between `start()` and `stop()` (and until the task ends on its own)."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start warming in a background task of the running loop."""
        if not self.running:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="cache-warmer")
            log.info("cache warmer started", races=self._count, jurisdiction=self._jurisdiction)

    async def stop(self) -> None:
        """Stop warming: cancel the task and wait for it to end (a read in flight is dropped)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _run(self) -> None:
        while True:
            try:
                pause = await self.warm()
            except Exception:  # a bug, not the upstream: say so once per streak, keep going
                self._failed(None)
                pause = self._backoff()
            await asyncio.sleep(pause)

    async def warm(self) -> float:
        """One round: refresh what is due. Returns the seconds until the next round."""
        breaker = self._client.breaker
        if breaker.is_open:  # failing fast: nothing to gain until the cool-down ends
            return min(MAX_BACKOFF, max(MAX_PAUSE, breaker.retry_in()))
        try:
            with background(self._work):
                await self._refresh_list()
                await self._refresh_races()
        except UpstreamBusy:
            return self._spent_pause
        except CircuitOpen:
            return MAX_PAUSE
        except TabError:  # the list: without it there is nothing to warm
            return self._backoff()
        return self._pause(time.time())

    async def _refresh_list(self) -> None:
        if self._list_due > time.time():
            return
        fetched = await self._read(f"next-to-go:{self._jurisdiction}:{self._count}",
                                   self._client.ttls.next_to_go, self._read_list)
        if fetched is None:
            self._list_due = time.time() + self._claim_ttl(self._client.ttls.next_to_go)
            return
        self._races = next_races(fetched.data, self._count)
        self._list_due = self._due_at(fetched, self._client.ttls.next_to_go)
        self._due = {race: self._due.get(race, 0.0) for race in self._races}

    def _read_list(self) -> Awaitable[Fetched]:
        return self._client.next_to_go(max_races=next_to_go_depth(self._count),
                                       jurisdiction=self._jurisdiction)

    async def _refresh_races(self) -> None:
        """Refresh the races that are due; one that fails waits a refresh period."""
        ttl = self._client.ttls.race_open
        for race in self._races:  # soonest first: those are asked for most
            if self._due.get(race, 0.0) > time.time():
                continue
            key = (f"race:{self._jurisdiction}:{race.date}:{race.race_type}:{race.venue}:"
                   f"{race.race_number}")
            try:
                fetched = await self._read(key, ttl, functools.partial(
                    self._client.race, race.date, race.race_type, race.venue,
                    race.race_number, jurisdiction=self._jurisdiction))
            except (UpstreamBusy, CircuitOpen):
                raise
            except TabError:
                fetched = None
            self._due[race] = (time.time() + self._claim_ttl(ttl) if fetched is None
                               else self._due_at(fetched, self._client.race_ttl(fetched.data)))

    async def _read(self, key: str, ttl: float,
                    read: Callable[[], Awaitable[Fetched]]) -> Fetched | None:
        """`read()` under a claim on `key`; None when another process holds the claim."""
        if not await self._claims.claim(key, self._claim_ttl(ttl)):
            WARMER_READS.labels(outcome="claimed_elsewhere").inc()
            return None
        try:
            with call_deadline(READ_DEADLINE):
                fetched = await read()
        except Exception as error:
            await self._claims.release(key)
            if isinstance(error, UpstreamBusy):
                WARMER_READS.labels(outcome="no_budget").inc()
            elif isinstance(error, TabError) and not isinstance(error, CircuitOpen):
                self._failed(error)
            raise
        WARMER_READS.labels(outcome="fresh" if fetched.cached else "refreshed").inc()
        self._recovered()
        return fetched

    def _claim_ttl(self, ttl: float) -> float:
        return max(1.0, ttl - self._ahead)

    def _due_at(self, fetched: Fetched, ttl: float) -> float:
        """When `fetched`'s cache entry is due for a refresh (epoch seconds)."""
        return fetched.fetched_at.timestamp() + ttl - self._ahead

    def _pause(self, now: float) -> float:
        due = min([self._list_due, *(self._due.get(race, 0.0) for race in self._races)])
        return min(MAX_PAUSE, max(MIN_PAUSE, due - now))

    def _failed(self, error: TabError | None) -> None:
        """Count a failed read; log the first of a streak (no traceback for the upstream's
        errors, one for anything else)."""
        WARMER_READS.labels(outcome="failed").inc()
        self._failures += 1
        if self._failures == 1:
            if error is None:
                log.exception("cache warmer failed; retrying with backoff")
            else:
                log.warning("cache warmer: upstream read failed; retrying with backoff",
                            error=type(error).__name__)

    def _backoff(self) -> float:
        """The pause after a failure: doubling with each failure of the streak."""
        return min(MAX_BACKOFF, MAX_PAUSE * 2.0 ** max(0, self._failures - 1))

    def _recovered(self) -> None:
        if self._failures:
            log.info("cache warmer: upstream reads succeed again", failed_reads=self._failures)
            self._failures = 0
