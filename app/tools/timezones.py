"""Australian dates and venue-local times."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.zones import SYDNEY

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DateError(ValueError):
    """A date argument that is not YYYY-MM-DD, today or tomorrow."""


def australian_today(now: datetime | None = None) -> date:
    """Today's date in Australia/Sydney (what the upstream means by 'today')."""
    return (now or datetime.now(UTC)).astimezone(SYDNEY).date()


def resolve_date(value: str, now: datetime | None = None) -> str:
    """`YYYY-MM-DD` for 'today', 'tomorrow', 'yesterday' or an explicit date.

    Raises `DateError` with the accepted forms when `value` is none of them.
    """
    text = value.strip().lower()
    if _DATE.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    today = australian_today(now)
    relative = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if text in relative:
        return (today + timedelta(days=relative[text])).isoformat()
    raise DateError(
        f"date {value[:40]!r} is not valid: send YYYY-MM-DD (e.g. {today.isoformat()}), "
        "'today' or 'tomorrow' (Australian dates)"
    )


def parse_utc(timestamp: str | None) -> datetime | None:
    """Parse the upstream's `2026-09-23T04:25:00.000Z` timestamps."""
    if not timestamp:
        return None
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def local_iso(moment: datetime, zone: ZoneInfo) -> str:
    """`moment` in the venue's local time (`zone`), ISO with offset."""
    return moment.astimezone(zone).isoformat(timespec="minutes")
