"""Repeated identical warnings and errors are written once per interval, with a count.

A client can make the same failure happen on every request; without this, each one writes the
same line (and traceback) again, and the log becomes the flood. Identity is the logger, level,
message and exception type, so lines that differ in what matters still all get through. The
table of recent lines is bounded.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable
from typing import Any

from app.primitives.lru import LRU

_VOLATILE = frozenset({"timestamp", "request_id", "duration_ms", "elapsed_ms"})


class RepeatedLineFilter(logging.Filter):
    """Passes the first of identical WARNING+ records per `interval` seconds; the next one to
    pass after the interval carries `repeated=N` (how many were held back meanwhile)."""

    def __init__(self, interval: float = 60.0, max_lines: int = 1024,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.interval = interval
        self.clock = clock
        # key -> [time first written in this interval, count held back]
        self._seen: LRU[Hashable, list[float]] = LRU(max_lines)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = _identity(record)
        now = self.clock()
        seen = self._seen.get(key)
        if seen is not None and now - seen[0] < self.interval:
            seen[1] += 1
            return False
        if seen is not None and seen[1]:
            _mark_repeated(record, int(seen[1]))
        self._seen.put(key, [now, 0])
        return True


def _identity(record: logging.LogRecord) -> Hashable:
    message: Any = record.msg
    if isinstance(message, dict):  # a structlog event
        message = tuple(sorted((key, repr(value)) for key, value in message.items()
                               if key not in _VOLATILE))
    else:
        message = (str(message), repr(record.args))
    exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
    return record.name, record.levelno, message, exc_type


def _mark_repeated(record: logging.LogRecord, count: int) -> None:
    if isinstance(record.msg, dict):
        record.msg = {**record.msg, "repeated": count}
    else:
        record.repeated = count
