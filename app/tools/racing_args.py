"""Racing arguments checked against what works: meeting locations and the published dates."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.zones import LOCATION_ZONES
from app.tools.timezones import DateError, australian_today

#: Full Australian state and territory names an agent may send for `location`.
STATE_NAMES = {
    "NEW SOUTH WALES": "NSW", "VICTORIA": "VIC", "QUEENSLAND": "QLD",
    "SOUTH AUSTRALIA": "SA", "WESTERN AUSTRALIA": "WA", "TASMANIA": "TAS",
    "NORTHERN TERRITORY": "NT", "AUSTRALIAN CAPITAL TERRITORY": "ACT",
    "NEW ZEALAND": "NZL", "GREAT BRITAIN": "GBR", "UNITED KINGDOM": "GBR", "IRELAND": "IRL",
    "FRANCE": "FRA", "JAPAN": "JPN", "HONG KONG": "HKG", "SINGAPORE": "SGP",
    "SOUTH AFRICA": "ZAF", "UNITED STATES": "USA", "CANADA": "CAN",
}
#: The days around today (Australia/Sydney) Tabcorp publishes meetings for.
PUBLISHED_DAYS = (-1, 0, 1)


def location_code(value: str) -> str:
    """The meeting location code `value` names (a code, or a full state or country name);
    `LocationError` listing the known codes when it names none."""
    text = " ".join(value.split()).upper()
    code = STATE_NAMES.get(text, text)
    if code not in LOCATION_ZONES:
        raise LocationError(
            f"location {value[:40]!r} is not a known state or country: send one of "
            f"{', '.join(sorted(LOCATION_ZONES))} (full state names such as 'Victoria' work "
            "too).")
    return code


class LocationError(ValueError):
    """A `location` argument that names no known state or country."""


def published_window(today: date | None = None) -> list[str]:
    """The dates (YYYY-MM-DD) Tabcorp publishes meetings for: yesterday, today, tomorrow."""
    base = today or australian_today()
    return [(base + timedelta(days=offset)).isoformat() for offset in PUBLISHED_DAYS]


def outside_window(day: str, today: date | None = None) -> DateError | None:
    """The error to give when the upstream has nothing for `day` and it lies outside the
    published window (None inside it: an empty day there is real)."""
    window = published_window(today)
    if day in window:
        return None
    return DateError(
        f"Tabcorp publishes no meetings for {day}: it publishes {window[0]} to {window[-1]} "
        "(yesterday, today and tomorrow, Australian dates); call racing_dates to see them.")
