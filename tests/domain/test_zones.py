"""Venue zones: each venue's own IANA zone, the country zone only as a named fallback, and zone
data that ships with the package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from app.domain.venue_zones import VENUE_ZONES
from app.domain.zones import EXACT_LOCATIONS, zone_of
from app.sandbox.world.venues import VENUES
from app.tools.shaping.racing import meeting_summary, race_stubs
from tests.conftest import load_sample

_AUSTRALIA = {"NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"}


@pytest.mark.parametrize(("venue", "location", "zone"), [
    ("ASSINIBOIA DOWNS", "CAN", "America/Winnipeg"),
    ("SANTA ANITA", "USA", "America/Los_Angeles"),
    ("Horseshoe Indianapolis Extra (USA)", "USA", "America/Indiana/Indianapolis"),
    ("INDIANA", "USA", "America/Indiana/Indianapolis"),
    ("San Isidro (SAM)", "SAM", "America/Argentina/Buenos_Aires"),
    ("GAVEA", "BRA", "America/Sao_Paulo"),
    ("BROKEN HILL", "NSW", "Australia/Broken_Hill"),
])
def test_listed_venues_get_their_own_zone(venue: str, location: str, zone: str) -> None:
    found = zone_of(venue, location)
    assert (found.zone.key, found.source) == (zone, "venue")


def test_an_unlisted_venue_in_a_many_zone_country_says_it_used_the_country_zone() -> None:
    found = zone_of("NOWHERE DOWNS", "USA")
    assert (found.zone.key, found.source) == ("America/New_York", "country")
    assert zone_of("RANDWICK", "NSW").source == "venue"


def _needs_own_zone(location: str) -> bool:
    return location not in _AUSTRALIA and location not in {"NZL", "NZ"}


def test_every_international_venue_of_the_real_list_is_in_the_table() -> None:
    meetings = load_sample("meetings.json")["meetings"]
    # With no location to fall back on, only the venue table answers "venue".
    missing = [m["meetingName"] for m in meetings
               if _needs_own_zone(m["location"])
               and zone_of(m["meetingName"], None).source != "venue"]
    assert not missing


def test_every_international_sandbox_venue_is_in_the_table() -> None:
    missing = [v.name for v in VENUES if _needs_own_zone(v.location)
               and v.name not in VENUE_ZONES]
    assert not missing
    for venue in VENUES:  # the sandbox's own table agrees with the server's
        if venue.name in VENUE_ZONES:
            assert venue.zone.key == VENUE_ZONES[venue.name], venue.name


def test_assiniboia_downs_runs_1930_to_2310_winnipeg_time_in_the_real_list() -> None:
    meetings = load_sample("meetings.json")["meetings"]
    meeting = next(m for m in meetings if m["meetingName"] == "ASSINIBOIA DOWNS")
    now = datetime.fromisoformat("2026-09-22T12:00:00+00:00")
    stubs = race_stubs(meeting, now)
    assert stubs[0].start_local == "2026-09-22T19:30-05:00"
    assert stubs[-1].start_local == "2026-09-22T23:10-05:00"
    assert meeting_summary(meeting, now).venue_code == "ABO"


def test_exact_locations_are_one_zone_places() -> None:
    assert "USA" not in EXACT_LOCATIONS and "CAN" not in EXACT_LOCATIONS


def test_zones_resolve_from_the_tzdata_package_without_system_zone_files(tmp_path: str) -> None:
    probe = ("import json; from app.domain.venue_zones import VENUE_ZONES; "
             "from zoneinfo import ZoneInfo; from datetime import datetime, UTC; "
             "moment = datetime(2026, 9, 23, 0, 30, tzinfo=UTC); "
             "print(json.dumps({z: moment.astimezone(ZoneInfo(z)).isoformat() "
             "for z in sorted(set(VENUE_ZONES.values()))}))")
    env = {**os.environ, "PYTHONTZPATH": str(tmp_path)}  # an empty folder: no system zones
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, check=True, timeout=60)
    times = json.loads(out.stdout)
    assert times["America/Winnipeg"] == "2026-09-22T19:30:00-05:00"
    assert len(times) == len(set(VENUE_ZONES.values()))
