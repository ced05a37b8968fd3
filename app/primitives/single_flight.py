"""Single flight: at most one run of a piece of work per key at a time, shared by its callers.

The work runs in its own task, so a caller that gives up (cancellation, its own deadline) does
not cancel it for the others. Every caller waiting on a failed run gets its error.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SingleFlight(Generic[K, V]):
    """Runs of `work` keyed by `K`; a call for a key already running joins that run."""

    __slots__ = ("_running",)

    def __init__(self) -> None:
        self._running: dict[K, asyncio.Task[V]] = {}

    def __contains__(self, key: object) -> bool:
        """True while a run for `key` is in flight (a call now would join it)."""
        return key in self._running

    async def run(self, key: K, work: Callable[[], Awaitable[V]]) -> V:
        """The outcome of the run in flight for `key`, or of a new run of `work`."""
        task = self._running.get(key)
        if task is None:
            task = asyncio.ensure_future(self._own(key, work))
            self._running[key] = task
            task.add_done_callback(_consume_exception)
        return await asyncio.shield(task)

    async def _own(self, key: K, work: Callable[[], Awaitable[V]]) -> V:
        try:
            return await work()
        finally:
            self._running.pop(key, None)


def _consume_exception(task: asyncio.Task[V]) -> None:
    # Every waiter may have gone; retrieve the error so it is not reported as unhandled.
    if not task.cancelled():
        task.exception()
