"""What an upstream read returns, and how the cache stores it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Fetched:
    """One upstream result.

    `fetched_at` is when it came from the upstream (UTC; a cached result keeps the original
    time), `sandbox` is True when the sandbox answered (header `X-Tab-Sandbox: 1`), `cached` is
    True when this call was served from the cache. `memo` holds what readers derive from `data`
    alone (a shaped summary, say): every cache hit on this result shares it, so it is derived
    once per upstream fetch, and it is dropped with the cache entry.
    """

    data: Any
    fetched_at: datetime
    sandbox: bool
    cached: bool
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def age_seconds(self, now: datetime | None = None) -> float:
        """Seconds since the data was fetched from the upstream."""
        now = now or datetime.now(UTC)
        return max(0.0, (now - self.fetched_at).total_seconds())


@dataclass(frozen=True, slots=True)
class Stored:
    """A cached result: its size in bytes, and what a cache hit returns."""

    fetched: Fetched
    size: int
    hit: Fetched  # what a cache hit returns: `fetched` marked cached, made once
