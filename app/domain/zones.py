"""Time zones: Sydney (what the upstream means by 'today') and each meeting location's zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

SYDNEY = ZoneInfo("Australia/Sydney")

#: The zone of a meeting's `location` (an AU state or a country code).
LOCATION_ZONES = {
    "NSW": "Australia/Sydney", "ACT": "Australia/Sydney", "VIC": "Australia/Melbourne",
    "QLD": "Australia/Brisbane", "SA": "Australia/Adelaide", "WA": "Australia/Perth",
    "TAS": "Australia/Hobart", "NT": "Australia/Darwin",
    "NZL": "Pacific/Auckland", "NZ": "Pacific/Auckland", "GBR": "Europe/London",
    "IRL": "Europe/Dublin", "FRA": "Europe/Paris", "FR": "Europe/Paris", "JPN": "Asia/Tokyo",
    "HKG": "Asia/Hong_Kong", "SGP": "Asia/Singapore", "SAF": "Africa/Johannesburg",
    "ZAF": "Africa/Johannesburg", "USA": "America/New_York", "CAN": "America/Toronto",
    "TUR": "Europe/Istanbul", "BRA": "America/Sao_Paulo", "SAM": "America/Santiago",
    "UAE": "Asia/Dubai", "KOR": "Asia/Seoul",
}


def zone_for(location: str | None) -> ZoneInfo:
    """The venue's zone from its meeting `location`; UTC when unknown."""
    return ZoneInfo(LOCATION_ZONES.get((location or "").upper(), "UTC"))
