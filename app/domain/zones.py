"""Time zones: Sydney (what the upstream means by 'today') and each venue's own zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from app.domain.venue_zones import VENUE_ZONES

SYDNEY = ZoneInfo("Australia/Sydney")

#: The zone of a meeting's `location` (an AU state or a country code): the fallback for a
#: venue the venue table does not list.
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
#: Locations whose zone is every venue's zone there (AU states, one-zone countries).
EXACT_LOCATIONS = frozenset({
    "NSW", "ACT", "VIC", "QLD", "SA", "WA", "TAS", "NT", "NZL", "NZ", "GBR", "IRL", "FRA",
    "FR", "JPN", "HKG", "SGP", "SAF", "ZAF", "TUR", "UAE", "KOR"})

ZoneSource = Literal["venue", "country"]


@dataclass(frozen=True, slots=True)
class VenueZone:
    """A venue's zone and where it came from: the venue itself (its own zone, or its state's
    or one-zone country's) or, failing that, its country's main zone."""

    zone: ZoneInfo
    source: ZoneSource


def _venue_key(name: str) -> str:
    """`Horseshoe Indianapolis Extra (USA)` → `HORSESHOE INDIANAPOLIS`."""
    text = re.sub(r"\s*\([A-Z]{2,3}\)\s*$", "", name.strip(), flags=re.IGNORECASE).upper()
    return re.sub(r"\s+EXTRA$", "", text)


def zone_of(venue: str | None, location: str | None) -> VenueZone:
    """The zone of `venue` (a meeting name) at `location`; UTC when neither is known."""
    listed = VENUE_ZONES.get(_venue_key(venue or ""))
    if listed:
        return VenueZone(ZoneInfo(listed), "venue")
    where = (location or "").upper()
    zone = ZoneInfo(LOCATION_ZONES.get(where, "UTC"))
    return VenueZone(zone, "venue" if where in EXACT_LOCATIONS else "country")


def zone_for(location: str | None) -> ZoneInfo:
    """The zone of a meeting `location` alone (state or country); UTC when unknown."""
    return ZoneInfo(LOCATION_ZONES.get((location or "").upper(), "UTC"))
