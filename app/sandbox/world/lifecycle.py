"""Race status from the clock: Normal → Closed (jump) → Interim → Paying, or Abandoned."""

from __future__ import annotations

from datetime import datetime, timedelta

NORMAL, CLOSED, INTERIM, PAYING, ABANDONED = "Normal", "Closed", "Interim", "Paying", "Abandoned"

#: How long after the jump a race is Closed, then Interim, before it pays.
CLOSED_FOR = timedelta(minutes=2)
INTERIM_UNTIL = timedelta(minutes=5)
#: An abandoned race is announced this long before its advertised start.
ABANDON_NOTICE = timedelta(minutes=20)


def race_status(start: datetime, now: datetime, abandoned: bool = False) -> str:
    """The upstream `raceStatus` of a race starting at `start`, seen at `now`."""
    if abandoned and now >= start - ABANDON_NOTICE:
        return ABANDONED
    if now < start:
        return NORMAL
    if now < start + CLOSED_FOR:
        return CLOSED
    if now < start + INTERIM_UNTIL:
        return INTERIM
    return PAYING


def resulted_at(start: datetime) -> datetime:
    """When a race's dividends were declared (it turns Paying)."""
    return start + INTERIM_UNTIL


def has_result(status: str) -> bool:
    """True once placings are known (provisionally at Interim)."""
    return status in (INTERIM, PAYING)


def is_open(status: str) -> bool:
    """True while betting is open."""
    return status == NORMAL
