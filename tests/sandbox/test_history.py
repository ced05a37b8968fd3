"""The sandbox's results history and futures: the fields the API notes give them, the history's
errors, and a history that agrees with what the info service served for the same days."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx2
import pytest

from app.sandbox.clock import Clock
from app.sandbox.history_routes import HISTORY_ROOT
from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from app.sandbox.world.history import HISTORY_DAYS
from app.sandbox.world.world import DAYS_BACK
from tests.sandbox.world_support import BASE, INSTANT

pytestmark = pytest.mark.anyio

TODAY = date(2026, 9, 23)  # INSTANT's Sydney date, a Wednesday
SATURDAY = date(2026, 9, 19)  # metropolitan meetings, some with single-letter mnemonics
HISTORY_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
DIVIDEND_KEYS = {"wageringProduct", "poolStatusCode", "jackpotCarriedOver",
                 "countBackLevelDescription", "poolDividends", "poolCloseTime", "mergePool",
                 "mergePoolTotal"}
HISTORY_ONLY = ("poolCloseTime", "mergePool", "mergePoolTotal")


@asynccontextmanager
async def client() -> AsyncIterator[httpx2.AsyncClient]:
    app = create_sandbox_app(SandboxOptions(clock=Clock(frozen_at=INSTANT)))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                  base_url=BASE) as http:
        yield http


async def history(http: httpx2.AsyncClient, path: str, jurisdiction: str = "NSW") -> Any:
    response = await http.get(f"{HISTORY_ROOT}/{jurisdiction}/racing/{path}")
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


async def info(http: httpx2.AsyncClient, path: str, jurisdiction: str = "NSW") -> Any:
    response = await http.get(SERVICE_ROOT + path, params={"jurisdiction": jurisdiction})
    assert response.status_code == 200, (path, response.text[:300])
    return response.json()


def local(url: str) -> str:
    assert url.startswith(BASE)
    return url[len(BASE):]


async def test_futures_bodies_carry_the_noted_fields() -> None:
    async with client() as http:
        listed = await info(http, "/racing/dates/futures/meetings")
        assert listed["meetings"], "no futures meetings"
        for meeting in listed["meetings"]:
            assert meeting["meetingName"] and meeting["raceType"] in ("R", "H", "G")
            for race in meeting["races"]:
                assert {"raceName", "meetingDate", "raceStartTime", "_links"} <= race.keys()
                assert date.fromisoformat(race["meetingDate"]) >= TODAY
        race = (await http.get(local(listed["meetings"][0]["races"][0]["_links"]["self"]))).json()
    assert race["raceName"] == listed["meetings"][0]["races"][0]["raceName"]
    assert race["meeting"]["meetingName"] == listed["meetings"][0]["meetingName"]
    favourites = 0
    for runner in race["runners"]:
        fixed = runner["fixedOdds"]
        assert {"returnWin", "returnWinOpen", "returnWinOpenDaily", "returnWinTime", "flucs",
                "bettingStatus", "propositionNumber", "isFavouriteWin",
                "percentageChange"} <= fixed.keys()
        assert fixed["returnWin"] > 1 and fixed["returnWinOpen"] > 1
        assert fixed["flucs"] and fixed["flucs"][0]["returnWin"] == fixed["returnWinOpenDaily"]
        assert all({"returnWin", "returnWinTime"} <= f.keys() for f in fixed["flucs"])
        favourites += fixed["isFavouriteWin"]
        if fixed["isFavouriteWin"]:
            assert fixed["returnWin"] == min(r["fixedOdds"]["returnWin"] for r in race["runners"])
    assert favourites == 1


async def test_history_bodies_carry_the_noted_fields() -> None:
    day = SATURDAY.isoformat()
    async with client() as http:
        listed = await history(http, day)
        assert listed["meetings"]
        letters = [m for m in listed["meetings"] if len(m["venueMnemonic"]) == 1]
        assert letters, "no single-letter mnemonic"
        for meeting in listed["meetings"]:
            assert {"meetingName", "venueMnemonic", "raceType", "location",
                    "races"} <= meeting.keys()
            for stub in meeting["races"]:
                assert stub["raceStatus"] in ("Paying", "Abandoned")
                assert HISTORY_TIME.fullmatch(stub["raceStartTime"])
        stub = letters[0]["races"][0]
        path = local(stub["_links"]["self"])
        assert f"/{letters[0]['venueMnemonic']}/{letters[0]['raceType']}/races/" in path
        race = (await http.get(path)).json()
    assert race["results"] == stub["results"] and race["raceStatus"] == "Paying"
    assert HISTORY_TIME.fullmatch(race["resultedTime"])
    assert race["dividends"]
    for dividend in race["dividends"]:
        assert DIVIDEND_KEYS <= dividend.keys()
        assert HISTORY_TIME.fullmatch(dividend["poolCloseTime"])
        for item in dividend["poolDividends"]:
            assert {"selections", "amount"} <= item.keys()
    positions = {r["runnerNumber"]: r["finishingPosition"] for r in race["runners"]}
    assert all(isinstance(p, int) for p in positions.values())
    for place, group in enumerate(race["results"], start=1):
        assert all(positions[n] == place for n in group)


@pytest.mark.parametrize("day", [(TODAY + timedelta(days=1)).isoformat(),
                                 (TODAY - timedelta(days=HISTORY_DAYS + 1)).isoformat(),
                                 "2026-02-30", "yesterday"])
async def test_a_date_the_history_lacks_is_not_found_error(day: str) -> None:
    async with client() as http:
        response = await http.get(f"{HISTORY_ROOT}/NSW/racing/{day}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND_ERROR"


async def test_history_errors_for_races_and_jurisdictions() -> None:
    day = (TODAY - timedelta(days=1)).isoformat()
    async with client() as http:
        meeting = (await history(http, day))["meetings"][0]
        code, kind = meeting["venueMnemonic"], meeting["raceType"]
        for path in (f"{day}/{code}/{kind}/races/99", f"{day}/ZZZ/{kind}/races/1",
                     f"{day}/{kind}/{code}/races/1", f"{day}/{code}/{kind}/races/x"):
            response = await http.get(f"{HISTORY_ROOT}/NSW/racing/{path}")
            assert response.status_code == 404, path
            assert response.json()["error"]["code"] == "NOT_FOUND_ERROR"
        bad = await http.get(f"{HISTORY_ROOT}/WA/racing/{day}")
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "INVALID_SYNTAX_ERROR"
        today = await history(http, TODAY.isoformat())
    # Today's history holds only the races already resulted at the sandbox's instant.
    assert all(s["raceStatus"] in ("Paying", "Abandoned")
               for m in today["meetings"] for s in m["races"])


def _without_history_fields(dividends: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k not in HISTORY_ONLY} for d in dividends]


@pytest.mark.parametrize(("back", "jurisdiction"), [(0, "NSW"), (1, "VIC"), (30, "QLD"),
                                                     (DAYS_BACK, "NSW")])
async def test_history_agrees_with_the_info_service(back: int, jurisdiction: str) -> None:
    """On days both services hold: the same meetings, placings, runners and dividends."""
    day = (TODAY - timedelta(days=back)).isoformat()
    async with client() as http:
        past = await history(http, day, jurisdiction)
        served = await info(http, f"/racing/dates/{day}/meetings", jurisdiction)
        by_name = {(m["meetingName"], m["raceType"]): m for m in served["meetings"]}
        checked = 0
        for meeting in past["meetings"]:
            own = by_name[meeting["meetingName"], meeting["raceType"]]
            stubs = {s["raceNumber"]: s for s in own["races"]}
            for stub in meeting["races"]:
                assert stub["results"] == stubs[stub["raceNumber"]]["results"]
                assert stub["raceStatus"] == stubs[stub["raceNumber"]]["raceStatus"]
            for stub in meeting["races"][:2]:
                race = (await http.get(local(stub["_links"]["self"]))).json()
                detail = await info(http, f"/racing/dates/{day}/meetings/{own['raceType']}/"
                                          f"{own['venueMnemonic']}/races/{stub['raceNumber']}",
                                    jurisdiction)
                assert race["results"] == detail["results"]
                assert _without_history_fields(race["dividends"]) == detail.get("dividends", [])
                assert [(r["runnerNumber"], r["runnerName"], r.get("finishingPosition"))
                        for r in race["runners"]] == [
                    (r["runnerNumber"], r["runnerName"], r.get("finishingPosition"))
                    for r in detail["runners"]]
                checked += 1
    assert checked >= 4


async def test_history_reaches_past_the_info_service_window() -> None:
    day = (TODAY - timedelta(days=DAYS_BACK + 30)).isoformat()
    async with client() as http:
        assert (await info(http, f"/racing/dates/{day}/meetings"))["meetings"] == []
        past = await history(http, day)
    assert past["meetings"] and all(m["races"] for m in past["meetings"])
