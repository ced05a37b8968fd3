"""Two warming server processes: sharing a real Redis they divide the races between them (no race
card read upstream twice within one refresh period, counted at the sandbox) and stay within one
upstream budget; without the store each warms every race itself."""

from __future__ import annotations

import contextlib
import re
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import pairwise

import pytest

from app.tab.cache import TTLs
from app.warming.warmer import REFRESH_AHEAD
from tests.fleet.cluster import Fleet, running_fleet
from tests.support.redis_server import RedisServer

RATE = 4.0
BURST = 3
RACES = 4
#: How long a warmer's claim on an open race's card lasts: the card's cache life less the lead.
REFRESH = TTLs().race_open - REFRESH_AHEAD
#: Seconds the sandboxes are watched: more than one refresh period, so every card is read again.
WINDOW = REFRESH + 4.0
POLL = 0.2
#: Slack for reading the sandbox's counters every POLL seconds rather than at each request.
SLACK = 1.0
RACE_CARD = re.compile(r"/racing/dates/[^/]+/meetings/[^/]+/[^/]+/races/\d+$")


@dataclass
class Watched:
    """What one fleet's sandbox served while it was watched."""

    fleet: Fleet
    reads: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    requests: int = 0
    seconds: float = 0.0
    _last: dict[str, int] = field(default_factory=dict)
    _total: int = 0

    def sample(self, now: float, *, first: bool = False) -> None:
        """Read the sandbox's counters; each new race card read is noted at `now`."""
        stats = self.fleet.stats()
        for path, count in stats["requests"].items():
            if RACE_CARD.search(path):
                new = count - self._last.get(path, 0)
                self._last[path] = count
                if not first:
                    self.reads[path].extend([now] * new)
        if not first:
            self.requests += stats["requests_total"] - self._total
        self._total = stats["requests_total"]

    def shortest_gaps(self) -> dict[str, float]:
        """Per race card read twice or more: the shortest time between two of its reads."""
        return {path: min(b - a for a, b in pairwise(times))
                for path, times in self.reads.items() if len(times) > 1}


def watch(fleets: list[Fleet], seconds: float) -> list[Watched]:
    """Every fleet's sandbox, read every POLL seconds for `seconds`."""
    watched = [Watched(fleet) for fleet in fleets]
    started = time.monotonic()
    for each in watched:
        each.sample(started, first=True)
    while (now := time.monotonic()) < started + seconds:
        time.sleep(POLL)
        for each in watched:
            each.sample(time.monotonic())
    for each in watched:
        each.seconds = now - started
    return watched


def warming_fleet(redis: RedisServer, namespace: str,
                  redis_url: str) -> contextlib.AbstractContextManager[Fleet]:
    """Two processes warming RACES races at RATE (burst BURST), half of it for the warmer."""
    return running_fleet(redis, namespace=namespace, TAB_MCP_REDIS_URL=redis_url,
                         TAB_MCP_WARMER="on", TAB_MCP_WARMER_RACES=str(RACES),
                         TAB_MCP_WARMER_SHARE="0.5", TAB_RATE_LIMIT=str(RATE),
                         TAB_RATE_BURST=str(BURST))


@pytest.fixture(scope="module")
def fleets(redis: RedisServer) -> Iterator[tuple[Fleet, Fleet]]:
    """A warming fleet sharing `redis`, and one of processes warming alone (no store), started
    side by side so both are watched over the same seconds."""
    with contextlib.ExitStack() as stack, ThreadPoolExecutor(2) as pool:
        starting = [warming_fleet(redis, "warm", redis.url),
                    warming_fleet(redis, "warm-alone", "")]  # a blank URL: no store
        shared, alone = pool.map(stack.enter_context, starting)
        yield shared, alone


def test_a_shared_store_keeps_replicas_from_warming_the_same_race_twice(
        fleets: tuple[Fleet, Fleet]) -> None:
    shared, alone = watch(list(fleets), WINDOW)

    # Without the store each process warms every card: two reads of a card within a period.
    assert len(alone.reads) >= RACES, dict(alone.reads)
    assert min(alone.shortest_gaps().values()) < REFRESH - SLACK, alone.shortest_gaps()

    # With it, the fleet reads each card once per refresh period, and does refresh them.
    assert len(shared.reads) >= RACES, dict(shared.reads)
    gaps = shared.shortest_gaps()
    assert len(gaps) >= RACES // 2, dict(shared.reads)
    assert min(gaps.values()) >= REFRESH - SLACK, gaps

    # And the fleet's upstream requests stay within its one budget.
    assert shared.requests <= RATE * shared.seconds + BURST, (shared.requests, shared.seconds)
