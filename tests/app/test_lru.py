"""The one LRU the server's caches share: use order, eviction, and reads that do not mark use."""

from __future__ import annotations

from app.primitives.lru import LRU


def test_the_least_recently_used_entry_goes_first() -> None:
    lru: LRU[str, int] = LRU(2)
    assert lru.put("a", 1) == [] and lru.put("b", 2) == []
    assert lru.get("a") == 1  # "b" is now the oldest
    assert lru.put("c", 3) == [("b", 2)]
    assert list(lru) == ["a", "c"] and "b" not in lru


def test_values_lists_oldest_first_without_marking_use() -> None:
    lru: LRU[str, int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.values() == [1, 2]
    assert lru.put("c", 3) == [("a", 1)]  # values() did not make "a" recent


def test_a_bound_below_one_keeps_one_entry_and_none_keeps_all() -> None:
    tiny: LRU[int, int] = LRU(0)
    tiny.put(1, 1)
    assert tiny.put(2, 2) == [(1, 1)] and len(tiny) == 1
    unbounded: LRU[int, int] = LRU(None)
    for key in range(1000):
        assert unbounded.put(key, key) == []
    assert len(unbounded) == 1000 and unbounded.pop_oldest() == (0, 0)
