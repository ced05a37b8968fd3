"""The sandbox's form and fields hang together the way real ones do, over many days and
every venue: records within the career, first/second-up possible, age fitting sex and race
conditions, each code's own people, turf goings only for gallops."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import anyio
import httpx2
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sandbox.world.names import PEOPLE
from tests.sandbox.world_support import INSTANT, get_json, race_paths, sandbox

GOINGS = ("firm", "good", "dead", "slow", "soft", "heavy")
Record = tuple[int, int, int]


def record(summaries: dict[str, Any], key: str) -> Record:
    item = summaries[key]
    return item["numberOfStarts"], item["numberOfWins"], item["numberOfPlacings"]


def surname_pool(race_type: str) -> set[str]:
    return set(PEOPLE[race_type][1])


def assert_from_pool(full_name: str, race_type: str, where: str) -> None:
    """`FIRST LAST` (or a partnership `A & B`) drawn from `race_type`'s own people."""
    for person in full_name.upper().split(" & "):
        assert person.split()[-1] in surname_pool(race_type), (where, full_name, race_type)


def preparations(last20: str) -> list[str]:
    """A whole career's figures split at its spells (last20 starts with 'f')."""
    return [prep for prep in last20[1:].split("x") if prep]


def check_records(entry: dict[str, Any], race_type: str, where: str) -> None:
    summaries = entry["runnerStarts"]["startSummaries"]
    starts, wins, places = record(summaries, "overall")
    for key in summaries:
        s, w, p = record(summaries, key)
        assert 0 <= w <= s and w + p <= s, (where, key)
        assert s <= starts and w <= wins and p <= places, (where, key, summaries)
    td, track, distance = (record(summaries, k) for k in ("trackDistance", "track", "distance"))
    assert all(a <= min(b, c) for a, b, c in zip(td, track, distance, strict=True)), where
    first, second = record(summaries, "firstUp"), record(summaries, "secondUp")
    assert second[0] <= first[0] and first[0] + second[0] <= starts, where
    assert (first[0] >= 1) == (starts >= 1), where
    same, stronger = record(summaries, "classSame"), record(summaries, "classStronger")
    assert same[0] + stronger[0] <= starts, where
    last20 = entry["last20Starts"]
    if last20.startswith("f"):  # the whole career is visible: counts follow from it
        preps = preparations(last20)
        assert starts == sum(len(p) for p in preps), where
        assert first[0] == len(preps) and second[0] == sum(len(p) >= 2 for p in preps), where
    if race_type == "R":
        turf = sum(record(summaries, k)[0] for k in ("firm", "good", "soft", "heavy"))
        assert turf <= starts and summaries["slow"] == summaries["soft"], where
    else:
        assert not set(GOINGS) & set(summaries), (where, "goings off the turf")


def check_runner(entry: dict[str, Any], race_type: str, race_class: str | None,
                 where: str) -> None:
    age, sex = entry["age"], entry["sex"]
    if race_type == "G":
        assert sex in ("Dog", "Bitch"), where
    else:
        assert sex in ("Colt", "Filly", "Horse", "Mare", "Gelding"), where
        assert age >= 4 if sex in ("Horse", "Mare") else True, (where, age, sex)
        assert age <= 3 if sex in ("Colt", "Filly") else True, (where, age, sex)
    conditions = (race_class or "").upper()
    ages = re.search(r"\b(\d)YO(\+?)", conditions)
    if ages:
        assert age >= int(ages.group(1)) and (ages.group(2) or age == int(ages.group(1))), where
    if race_type != "G" and re.search(r"\bFM\b", conditions):
        assert sex in ("Filly", "Mare"), (where, sex)
    if "MDN" in conditions or "MAIDEN" in conditions:
        assert record(entry["runnerStarts"]["startSummaries"], "overall")[1] == 0, where


def check_people(entry: dict[str, Any], race_type: str, where: str) -> None:
    assert_from_pool(entry["trainerName"], race_type, where)
    if race_type == "G":
        assert entry["riderOrDriver"] is None, where
    else:
        assert_from_pool(entry["riderOrDriver"], race_type, where)
    for start in entry["runnerStarts"]["previousStarts"]:
        if race_type == "G":
            assert start["rider"] is None, where
        else:
            assert_from_pool(start["rider"], race_type, where)


async def check_day(seed: int, days: int) -> int:
    """Check one race of every meeting (the race rotates with the day); return races seen."""
    seen = 0
    async with sandbox(seed=seed, instant=INSTANT + timedelta(days=days)) as (client, _):
        for when in ("today", "tomorrow"):
            meetings = await get_json(client, f"/racing/dates/{when}/meetings")
            for meeting, race, path in race_paths(meetings):
                if race["raceNumber"] != 1 + (days + seed) % len(meeting["races"]):
                    continue
                seen += 1
                await check_race(client, meeting, race, path)
    return seen


async def check_race(client: httpx2.AsyncClient, meeting: dict[str, Any],
                     race: dict[str, Any], path: str) -> None:
    race_type = meeting["raceType"]
    form = await get_json(client, path + "/form")
    for entry in form["form"]:
        where = f"{path} #{entry['runnerNumber']}"
        check_records(entry, race_type, where)
        check_runner(entry, race_type, race.get("raceClassConditions"), where)
        check_people(entry, race_type, where)
    detail = await get_json(client, path)
    for runner in detail["runners"]:
        if runner.get("vacantBox"):
            continue
        assert_from_pool(runner["trainerFullName"], race_type, path)
        if race_type == "G":
            assert runner["riderDriverFullName"] is None, path
        else:
            assert_from_pool(runner["riderDriverFullName"], race_type, path)


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(1, 10**6), days=st.integers(0, 400))
def test_form_and_fields_are_internally_consistent(seed: int, days: int) -> None:
    seen = anyio.run(check_day, seed, days)
    assert seen >= 20  # every venue of two days, one race each


def test_each_code_has_its_own_people() -> None:
    pools = {code: surname_pool(code) for code in "RHG"}
    assert not pools["R"] & pools["H"] and not pools["R"] & pools["G"]
    assert not pools["H"] & pools["G"]
