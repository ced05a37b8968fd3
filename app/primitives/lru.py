"""A mapping bounded by entry count that forgets the least recently used entry first."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """At most `max_entries` entries (None: unbounded); reading or writing a key marks it used.

    Not thread-safe: callers that share one across threads hold their own lock.
    """

    __slots__ = ("_entries", "max_entries")

    def __init__(self, max_entries: int | None) -> None:
        self.max_entries = max_entries if max_entries is None else max(1, max_entries)
        self._entries: OrderedDict[K, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[K]:
        """Keys, least recently used first."""
        return iter(self._entries)

    def values(self) -> list[V]:
        """The values, least recently used first (none is marked used)."""
        return list(self._entries.values())

    def get(self, key: K) -> V | None:
        """The value of `key` (marked most recently used), or None."""
        value = self._entries.get(key)
        if value is not None or key in self._entries:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> list[tuple[K, V]]:
        """Store `value` as the most recently used; returns the entries evicted to make room."""
        self._entries[key] = value
        self._entries.move_to_end(key)
        evicted: list[tuple[K, V]] = []
        if self.max_entries is not None:
            while len(self._entries) > self.max_entries:
                evicted.append(self._entries.popitem(last=False))
        return evicted

    def pop(self, key: K) -> V | None:
        """Remove `key` and return its value, or None when absent."""
        return self._entries.pop(key, None)

    def pop_oldest(self) -> tuple[K, V]:
        """Remove and return the least recently used entry (KeyError when empty)."""
        return self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        self._entries.clear()
