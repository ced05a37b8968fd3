"""The sandbox's bodies have the shapes of the real, captured Tabcorp responses.

Each real sample (read from the shared reference folder) is compared with the sandbox's answer
for the same endpoint: same keys at every level, same JSON types, enum values inside the known
vocabularies. Keys the API reference marks optional may be missing or extra.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_sample
from tests.sandbox.world_support import BASE, get_json, race_paths, sandbox
from tests.schema_diff import schema_diff

REPO_ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-09-23"

pytestmark = pytest.mark.anyio

#: Keys tabcorp-api.md marks optional or situational (present only in some states).
MEETING_OPTIONAL = (
    "displayMeetingName", "fixedOddsOnly", "exoticPools", "multiLegApproximatesAvailable",
    "exoticPools[].name", "races[].multiLegApproximates", "races[].matchName",
    "races[].meetingDate", "races[]._links", "races[].fixedOddsOnlineBetting",
    "races[].skyRacing", "races[].cashOutEligibility", "races[].results",
    "races[].raceClassConditions", "races[].raceDistance", "weatherCondition",
    "trackCondition", "railPosition", "prizeMoney", "sellCode", "venueMnemonic", "_links",
)
#: Race detail keys that depend on the race's state (Big6 leg, scratchings, result).
RACE_STATE_KEYS = (
    "pools[].name", "betTypes[].name", "fixedOdds.winDeduction", "fixedOdds.placeDeduction",
    "fixedOdds.scratchedTime", "runners[].finishingPosition", "$.dividends", "$.resultedTime",
)
RACE_OPTIONAL = (
    *RACE_STATE_KEYS, "flucs[].isPreviousDay", "runners[].fastForm", "$.skyRacing",
    "$.cashOutEligibility",
)
#: Fields the reference types as `str/null` (or `null/x`) although the sample shows one side.
NULLABLE = ("last5Starts", "tcdwIndicators", "harnessHandicap", "penalty", "broadcastChannel",
            "weatherCondition", "trackCondition", "railPosition", "odds", "positionInRun",
            "stewardsComment", "margin", "raceClassConditions")


def sample(name: str) -> Any:
    return load_sample(name)


def report(lines: list[str]) -> str:
    return "shape differences:\n  " + "\n  ".join(lines)


async def _normal_race_after_result(client: Any) -> str:
    """A thoroughbred race still open whose previous race has run (running double in play)."""
    meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
    previous: dict[str, Any] | None = None
    for meeting, race, path in race_paths(meetings, "R"):
        if (previous is not None and previous["meeting"] is meeting
                and previous["race"]["raceStatus"] == "Paying" and race["raceStatus"] == "Normal"):
            return path
        previous = {"meeting": meeting, "race": race}
    raise AssertionError("no open thoroughbred race after a resulted one")


async def test_meetings_have_the_real_shape_with_every_key() -> None:
    async with sandbox() as (client, _clock):
        body = await get_json(client, f"/racing/dates/{DAY}/meetings")
    lines = schema_diff(sample("meetings.json"), body, nullable=NULLABLE)
    assert not lines, report(lines)


@pytest.mark.parametrize("seed", [1, 77, 31337])
async def test_meetings_shape_holds_for_other_seeds(seed: int) -> None:
    async with sandbox(seed) as (client, _clock):
        body = await get_json(client, f"/racing/dates/{DAY}/meetings")
    lines = schema_diff(sample("meetings.json"), body, MEETING_OPTIONAL, nullable=NULLABLE)
    assert not lines, report(lines)


async def test_race_detail_has_the_real_shape() -> None:
    async with sandbox() as (client, _clock):
        path = await _normal_race_after_result(client)
        body = await get_json(client, path)
    assert body["raceStatus"] == "Normal"
    lines = schema_diff(sample("race-detail.json"), body, RACE_STATE_KEYS, nullable=NULLABLE)
    assert not lines, report(lines)


async def test_resulted_race_detail_keeps_the_shape() -> None:
    async with sandbox() as (client, _clock):
        meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
        path = next(p for _m, race, p in race_paths(meetings, "R")
                    if race["raceStatus"] == "Paying")
        body = await get_json(client, path)
    assert body["dividends"] and body["resultedTime"]
    # The running double's approximates only exist while its second leg is still open.
    lines = schema_diff(sample("race-detail.json"), body, RACE_OPTIONAL, nullable=NULLABLE,
                        may_be_empty=("multiLegApproximates",))
    assert not lines, report(lines)


@pytest.mark.parametrize("race_type", ["H", "G"])
async def test_other_codes_keep_the_race_detail_shape(race_type: str) -> None:
    async with sandbox() as (client, _clock):
        meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
        path = next(p for _m, race, p in race_paths(meetings, race_type)
                    if race["raceStatus"] == "Normal")
        body = await get_json(client, path)
    optional = RACE_OPTIONAL
    nullable = (*NULLABLE, "riderDriverName", "riderDriverFullName")
    lines = schema_diff(sample("race-detail.json"), body, optional, nullable=nullable,
                        may_be_empty=("multiLegApproximates", "extraMarkets"))
    assert not lines, report(lines)


async def test_race_form_and_runner_form_have_the_real_shape() -> None:
    async with sandbox() as (client, _clock):
        path = await _normal_race_after_result(client)
        form = await get_json(client, path + "/form")
        runner = await get_json(client, path + "/form/1")
    lines = schema_diff(sample("race-form.json"), form, nullable=NULLABLE)
    assert not lines, report(lines)
    lines = schema_diff(sample("runner-form.json"), runner, nullable=NULLABLE)
    assert not lines, report(lines)
    assert runner == form["form"][0]


async def test_links_are_absolute_on_the_request_base_and_echo_the_jurisdiction() -> None:
    async with sandbox() as (client, _clock):
        meetings = await get_json(client, f"/racing/dates/{DAY}/meetings", jurisdiction="VIC")
        _m, _r, path = next(race_paths(meetings, "R"))
        race = await get_json(client, path, jurisdiction="VIC")
    link = next(m for m in meetings["meetings"] if "_links" in m)["_links"]["races"]
    assert link.startswith(f"{BASE}/v1/tab-info-service/racing/dates/{DAY}/meetings/")
    assert link.endswith("/races?jurisdiction=VIC")
    form_link = race["runners"][0]["_links"]["form"]
    assert form_link == f"{BASE}/v1/tab-info-service{path}/form/1?jurisdiction=VIC"


async def test_next_to_go_items_carry_the_documented_keys() -> None:
    async with sandbox() as (client, _clock):
        body = await get_json(client, "/racing/next-to-go/races", maxRaces=5)
    assert len(body["races"]) == 5
    for race in body["races"]:
        assert list(race) == ["raceStartTime", "raceNumber", "raceName", "raceDistance",
                              "broadcastChannel", "broadcastChannels", "meeting", "_links"]
        assert set(race["meeting"]) == {"sellCode", "raceType", "meetingName", "location",
                                        "weatherCondition", "trackCondition", "railPosition",
                                        "venueMnemonic", "meetingDate"}
        assert set(race["_links"]) == {"self", "form", "bigBets"}


def test_schema_diff_reports_each_kind_of_difference() -> None:
    real = sample("race-detail.json")
    changed = json.loads(json.dumps(real))
    del changed["runners"][0]["fixedOdds"]["flucs"]  # still present on other runners
    for runner in changed["runners"]:
        runner.pop("barrierNumber")
        runner["bonus"] = 1
    changed["raceNumber"] = 2.5
    changed["raceStatus"] = "Open"
    changed["extraMarkets"] = []
    lines = schema_diff(real, changed)
    assert "$.runners[]: missing key 'barrierNumber'" in lines
    assert "$.runners[]: unexpected key 'bonus'" in lines
    assert any(line.startswith("$.raceNumber: type") for line in lines)
    assert any(line.startswith("$.raceStatus: values outside the enum") for line in lines)
    assert "$.extraMarkets: always an empty list, the sample has elements" in lines
    assert not any("flucs" in line for line in lines)
    assert schema_diff(real, real) == []
    # Optional keys and lists silence only their own lines; type and enum lines remain.
    remaining = schema_diff(real, changed, ("barrierNumber", "bonus"),
                            may_be_empty=("extraMarkets",))
    assert remaining == [line for line in lines
                         if line.startswith(("$.raceNumber:", "$.raceStatus:"))]
