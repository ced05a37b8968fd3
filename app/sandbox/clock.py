"""An injectable clock, so tests can move the sandbox's time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time plus an adjustable offset, or a frozen instant.

    `Clock()` follows real time. `Clock(frozen_at=dt)` stands still until moved. Either can be
    moved with `set()` and `advance()`; a following clock keeps ticking from the new point.
    """

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen = frozen_at
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    def set(self, instant: datetime) -> None:
        """Move to `instant` (naive values are taken as UTC)."""
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        with self._lock:
            if self._frozen is not None:
                self._frozen = instant
            else:
                self._offset = instant - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        """Move forward (or back, with a negative value) by `seconds`."""
        self.set(self.now() + timedelta(seconds=seconds))
