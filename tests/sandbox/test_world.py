"""The sandbox world: deterministic, clock-driven, internally consistent, upstream-strict."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.sandbox.world_support import INSTANT, get_json, parse_time, race_paths, sandbox

pytestmark = pytest.mark.anyio
DAY = "2026-09-23"
PATHS = (
    f"/racing/dates/{DAY}/meetings",
    "/racing/next-to-go/races",
    "/sports",
    "/sports/nextToGo",
    "/racing/jackpots",
)


async def _bodies(seed: int, extra_first: str | None = None) -> dict[str, bytes]:
    async with sandbox(seed) as (client, _clock):
        if extra_first is not None:
            await client.get(extra_first, params={"jurisdiction": "NSW"})
        meetings = await get_json(client, PATHS[0])
        paths = [*PATHS]
        for _meeting, _race, path in list(race_paths(meetings))[::25]:
            paths += [path, path + "/form", path + "/pools/Quinella/approximates"]
        out = {}
        for path in paths:
            response = await client.get(path, params={"jurisdiction": "NSW"})
            out[path] = response.content
        return out


async def test_same_seed_and_instant_give_byte_identical_bodies() -> None:
    first = await _bodies(2026)
    second = await _bodies(2026)
    assert len(first) > 10
    assert first == second


async def test_generation_order_does_not_matter() -> None:
    plain = await _bodies(2026)
    race_path = next(p for p in plain if "/races/" in p and p.count("/") == 8)
    # A second world generates one race (and a sports list) before anything else.
    reordered = await _bodies(2026, extra_first=race_path)
    assert plain == reordered


async def test_another_seed_gives_another_world() -> None:
    async with sandbox(2026) as (a, _c):
        one = (await a.get(PATHS[0], params={"jurisdiction": "NSW"})).content
    async with sandbox(2027) as (b, _c):
        two = (await b.get(PATHS[0], params={"jurisdiction": "NSW"})).content
    assert one != two


async def test_today_and_tomorrow_are_sydney_dates() -> None:
    # 15:30 UTC on the 22nd is already the 23rd in Sydney.
    async with sandbox(instant=datetime(2026, 9, 22, 15, 30, tzinfo=UTC)) as (client, _c):
        today = await get_json(client, "/racing/dates/today/meetings")
        tomorrow = await get_json(client, "/racing/dates/tomorrow/meetings")
        dates = await get_json(client, "/racing/dates")
    assert {m["meetingDate"] for m in today["meetings"]} == {"2026-09-23"}
    assert {m["meetingDate"] for m in tomorrow["meetings"]} == {"2026-09-24"}
    assert [d["dateName"] for d in dates["dates"]][:2] == ["today", "tomorrow"]
    assert dates["dates"][0]["meetingDate"] == "2026-09-23"


async def test_meetings_cover_every_code_and_state_with_staggered_starts() -> None:
    async with sandbox() as (client, _clock):
        body = await get_json(client, f"/racing/dates/{DAY}/meetings")
    meetings = body["meetings"]
    assert {m["raceType"] for m in meetings} == {"R", "H", "G"}
    assert any(m.get("fixedOddsOnly") for m in meetings)
    assert len({m["location"] for m in meetings}) >= 8
    for meeting in meetings:
        starts = [parse_time(r["raceStartTime"]) for r in meeting["races"]]
        assert starts == sorted(starts)
        if not meeting.get("fixedOddsOnly"):
            assert 6 <= len(meeting["races"]) <= 10
            assert len(meeting["venueMnemonic"]) == 3
            assert meeting["meetingName"] == meeting["meetingName"].upper()
        else:
            assert "venueMnemonic" not in meeting and "_links" not in meeting
            assert all("matchName" in r for r in meeting["races"])


async def _open_race(client: Any, race_type: str = "R", min_ahead: float = 600
                     ) -> tuple[dict[str, Any], str]:
    meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
    for _meeting, race, path in race_paths(meetings, race_type):
        ahead = (parse_time(race["raceStartTime"]) - INSTANT).total_seconds()
        if race["raceStatus"] == "Normal" and ahead >= min_ahead:
            return race, path
    raise AssertionError("no open race")


async def test_race_lifecycle_follows_the_clock() -> None:
    async with sandbox() as (client, clock):
        stub, path = await _open_race(client)
        start = parse_time(stub["raceStartTime"])
        seen = {}
        for offset, expected in ((-60, "Normal"), (30, "Closed"), (200, "Interim"),
                                 (400, "Paying")):
            clock.set(start + timedelta(seconds=offset))
            body = await get_json(client, path)
            assert body["raceStatus"] == expected, offset
            seen[expected] = body
        meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
    assert seen["Normal"]["results"] == [] and "dividends" not in seen["Normal"]
    assert seen["Closed"]["results"] == [] and not seen["Closed"]["hasFixedOdds"]
    paying = seen["Paying"]
    results = paying["results"]
    assert seen["Interim"]["results"] == results and len(results) == 4
    winner = results[0][0]
    runners = {r["runnerNumber"]: r for r in paying["runners"]}
    assert runners[winner]["finishingPosition"] == 1
    assert runners[winner]["fixedOdds"]["bettingStatus"] == "Winner"
    assert runners[results[1][0]]["fixedOdds"]["bettingStatus"] == "Placing"
    losers = [r for r in paying["runners"] if r["finishingPosition"] == 0
              and r["fixedOdds"]["bettingStatus"] not in ("Scratched", "LateScratched")]
    assert losers and all(r["fixedOdds"]["bettingStatus"] == "Loser" for r in losers)
    dividends = {d["wageringProduct"]: d for d in paying["dividends"]}
    assert {"Win", "Place", "Quinella", "Exacta", "Duet", "Trifecta", "FirstFour"} <= set(
        dividends)
    win = dividends["Win"]["poolDividends"]
    assert win == [{"selections": [winner],
                    "amount": runners[winner]["parimutuel"]["returnWin"]}]
    places = [d["selections"][0] for d in dividends["Place"]["poolDividends"]]
    assert places == [g[0] for g in results[:paying["numberOfPlaces"]]]
    assert dividends["Trifecta"]["poolDividends"][0]["selections"] == [g[0] for g in results[:3]]
    assert parse_time(paying["resultedTime"]) >= start
    stub_after = next(r for _m, r, p in race_paths(meetings) if p == path)
    assert stub_after["raceStatus"] == "Paying" and stub_after["results"] == results


def _market_percentage(race: dict[str, Any]) -> float:
    return float(sum(100 / r["fixedOdds"]["returnWin"] for r in race["runners"]
                     if r["fixedOdds"]["bettingStatus"] not in ("Scratched", "LateScratched")
                     and not r["vacantBox"] and r["fixedOdds"]["returnWin"] > 0))


async def test_fixed_odds_markets_are_plausible_books() -> None:
    async with sandbox() as (client, _clock):
        meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
        open_paths = [p for _m, r, p in race_paths(meetings) if r["raceStatus"] == "Normal"]
        checked = 0
        for path in open_paths[::6]:
            race = await get_json(client, path)
            assert 105 <= _market_percentage(race) <= 130, path
            favourites = [r for r in race["runners"] if r["fixedOdds"]["isFavouriteWin"]]
            assert len(favourites) == 1
            for runner in race["runners"]:
                flucs = runner["fixedOdds"]["flucs"]
                assert len(flucs) <= 4
                times = [f["returnWinTime"] for f in flucs]
                assert times == sorted(times, reverse=True)
            checked += 1
    assert checked >= 10


async def test_prices_drift_before_the_jump() -> None:
    async with sandbox() as (client, clock):
        stub, path = await _open_race(client, min_ahead=3 * 3600)
        start = parse_time(stub["raceStartTime"])
        clock.set(start - timedelta(hours=3))
        early = await get_json(client, path)
        clock.set(start - timedelta(seconds=40))
        late = await get_json(client, path)
    def prices(race: dict[str, Any]) -> list[float]:
        return [r["fixedOdds"]["returnWin"] for r in race["runners"]]
    assert prices(early) != prices(late)
    assert sum(len(r["fixedOdds"]["returnHistory"]) for r in late["runners"]) > sum(
        len(r["fixedOdds"]["returnHistory"]) for r in early["runners"])
    assert 105 <= _market_percentage(late) <= 130


async def test_an_abandoned_race_exists_and_has_no_result() -> None:
    async with sandbox() as (client, clock):
        for days in range(0, 8):
            clock.set(INSTANT - timedelta(days=days))
            day = (INSTANT - timedelta(days=days)).date().isoformat()
            clock.set(datetime.fromisoformat(day + "T13:00:00+00:00"))
            meetings = await get_json(client, f"/racing/dates/{day}/meetings")
            found = [p for _m, r, p in race_paths(meetings) if r["raceStatus"] == "Abandoned"]
            if found:
                race = await get_json(client, found[0])
                assert race["raceStatus"] == "Abandoned" and race["results"] == []
                assert "dividends" not in race
                return
    raise AssertionError("no abandoned race in a week of meetings")


async def test_next_to_go_lists_unjumped_races_in_start_order() -> None:
    async with sandbox() as (client, _clock):
        body = await get_json(client, "/racing/next-to-go/races", maxRaces=12)
        closed = await get_json(client, "/racing/next-to-go/races", maxRaces=40,
                                includeRecentlyClosed="true")
    starts = [parse_time(r["raceStartTime"]) for r in body["races"]]
    assert len(starts) == 12
    assert starts == sorted(starts) and all(s > INSTANT for s in starts)
    closed_starts = [parse_time(r["raceStartTime"]) for r in closed["races"]]
    assert closed_starts == sorted(closed_starts)
    assert any(s <= INSTANT for s in closed_starts)


async def test_approximates_cover_every_pair_of_starters() -> None:
    async with sandbox() as (client, _clock):
        _stub, path = await _open_race(client)
        race = await get_json(client, path)
        quinella = await get_json(client, path + "/pools/Quinella/approximates")
        exacta = await get_json(client, path + "/pools/Exacta/approximates")
        win = await client.get(path + "/pools/Win/approximates", params={"jurisdiction": "NSW"})
    starters = [r["runnerNumber"] for r in race["runners"]
                if r["parimutuel"]["bettingStatus"] != "Scratched"]
    n = len(starters)
    assert len(quinella["approximates"]) == n * (n - 1) // 2
    assert len(exacta["approximates"]) == n * (n - 1)
    assert all(a["return"] >= 1 for a in quinella["approximates"])
    assert win.status_code == 404


async def _error(client: Any, path: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = await client.get(path, params=params)
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert all(set(d) == {"message", "path", "value"} for d in body["error"]["details"])
    return response.status_code, body["error"]


async def test_upstream_error_rules() -> None:
    async with sandbox() as (client, _clock):
        _stub, path = await _open_race(client)
        meeting = path.rsplit("/races/", 1)[0]
        cases = [
            (path, {}, 400, "INVALID_SYNTAX_ERROR"),
            (path, {"jurisdiction": "WA"}, 400, "INVALID_SYNTAX_ERROR"),
            (path, {"jurisdiction": "XX"}, 400, "INVALID_SYNTAX_ERROR"),
            ("/racing/dates/2026-13-45/meetings", {"jurisdiction": "NSW"}, 400,
             "INVALID_SYNTAX_ERROR"),
            ("/racing/dates/yesterday-ish/meetings", {"jurisdiction": "NSW"}, 400,
             "INVALID_SYNTAX_ERROR"),
            (path, {"jurisdiction": "NSW", "fixedOdds": "true"}, 404, "RESOURCE_NOT_FOUND_ERROR"),
            (f"/racing/dates/{DAY}/meetings/R/ZZZ/races/1", {"jurisdiction": "NSW"}, 404,
             "RESOURCE_NOT_FOUND_ERROR"),
            (meeting + "/races/99", {"jurisdiction": "NSW"}, 404, "RESOURCE_NOT_FOUND_ERROR"),
            (path + "/form/99", {"jurisdiction": "NSW"}, 404, "RESOURCE_NOT_FOUND_ERROR"),
            ("/sports/Curling", {"jurisdiction": "NSW"}, 404, "RESOURCE_NOT_FOUND_ERROR"),
            ("/sports/Soccer/competitions/Serie Z", {"jurisdiction": "NSW"}, 404,
             "RESOURCE_NOT_FOUND_ERROR"),
            ("/sports/AFL Football/competitions/AFL/matches/Nobody v Noone",
             {"jurisdiction": "NSW"}, 404, "RESOURCE_NOT_FOUND_ERROR"),
            ("/sports/nextToGo", {"jurisdiction": "NSW", "next": "soon"}, 400,
             "INVALID_SYNTAX_ERROR"),
            ("/racing/next-to-go/races", {"jurisdiction": "NSW", "maxRaces": "many"}, 400,
             "INVALID_SYNTAX_ERROR"),
            ("/no/such/path", {"jurisdiction": "NSW"}, 404, "RESOURCE_NOT_FOUND_ERROR"),
        ]
        for case_path, params, status, code in cases:
            got_status, error = await _error(client, case_path, **params)
            assert (got_status, error["code"]) == (status, code), case_path
        ok = await client.get(path, params={"jurisdiction": "NSW", "fixedOdds": "false"})
    assert ok.status_code == 200


async def test_fixed_odds_only_meetings_cannot_be_addressed_by_mnemonic() -> None:
    async with sandbox() as (client, _clock):
        meetings = await get_json(client, f"/racing/dates/{DAY}/meetings")
        fixed = next(m for m in meetings["meetings"] if m.get("fixedOddsOnly"))
        link = fixed["races"][0]["_links"]["self"]
        response = await client.get(link)
    assert "fixedOdds=true" in link
    assert response.status_code == 404


async def test_sports_tree_links_lead_to_matches_and_markets() -> None:
    async with sandbox() as (client, _clock):
        tree = await get_json(client, "/sports")
        names = {s["name"] for s in tree["sports"]}
        assert {"AFL Football", "Rugby League", "Basketball", "Soccer", "Tennis"} <= names
        afl = await get_json(client, "/sports/AFL Football/competitions/AFL")
        match = afl["matches"][0]
        direct = await client.get(match["_links"]["self"])
        markets = await get_json(client, f"/sports/AFL Football/competitions/AFL/matches/"
                                         f"{match['name']}/markets")
        tennis = await get_json(client, "/sports/Tennis/competitions/ATP Tour")
        tournament_link = tennis["tournaments"][0]["_links"]["self"]
        tournament = (await client.get(tournament_link)).json()
        tennis_match = (await client.get(tournament["matches"][0]["_links"]["self"])).json()
        upcoming = await get_json(client, "/sports/nextToGo", limit=5)
    assert " v " in match["name"] and direct.json() == match
    assert {m["betOption"] for m in markets["markets"]} >= {"Head To Head", "Line"}
    h2h = next(m for m in markets["markets"] if m["betOption"] == "Head To Head")
    assert {p["position"] for p in h2h["propositions"]} == {"HOME", "AWAY"}
    assert 100 < sum(100 / p["returnWin"] for p in h2h["propositions"]) < 115
    assert tennis_match["name"] == tournament["matches"][0]["name"]
    starts = [m["startTime"] for m in upcoming["matches"]]
    assert len(starts) == 5 and starts == sorted(starts)
    assert all({"competitionName", "sportName"} <= set(m) for m in upcoming["matches"])


async def test_unverified_endpoints_answer_with_their_documented_top_level() -> None:
    async with sandbox() as (client, _clock):
        jackpots = await get_json(client, "/racing/jackpots")
        pools = await get_json(client, f"/racing/dates/{DAY}/jackpot-pools")
        results = await get_json(client, "/sports/results")
        afl_results = await get_json(client, "/sports/results/AFL Football")
        rounds = await get_json(client, "/sports/AFL Football/footy/rounds")
        one_round = await client.get(rounds["rounds"][0]["_links"]["self"])
        futures = await get_json(client, "/racing/dates/futures/meetings")
        future_race = await client.get(futures["meetings"][0]["races"][0]["_links"]["self"])
    assert isinstance(jackpots["jackpots"], list) and isinstance(pools["jackpotPools"], list)
    finished = [m for c in afl_results["competitions"] for m in c["matches"]]
    assert finished and all(parse_time(m["resultedTime"]) <= INSTANT for m in finished)
    assert {s["name"] for s in results["sports"]} >= {"AFL Football", "Soccer"}
    assert one_round.status_code == 200 and one_round.json() == rounds["rounds"][0]
    assert futures["meetings"][0]["meetingName"] == "Racing Futures"
    assert future_race.status_code == 200 and future_race.json()["runners"]


async def test_a_days_meetings_are_quick_to_serve() -> None:
    async with sandbox() as (client, _clock):
        await get_json(client, f"/racing/dates/{DAY}/meetings")
        began = time.perf_counter()
        for _ in range(3):
            await get_json(client, f"/racing/dates/{DAY}/meetings")
        per_call = (time.perf_counter() - began) / 3
    assert per_call < 0.5  # generous: typically a few tens of milliseconds


async def test_meeting_races_link_to_race_detail_and_form() -> None:
    async with sandbox() as (client, _clock):
        _stub, path = await _open_race(client)
        meeting_path = path.rsplit("/", 1)[0]
        body = await get_json(client, meeting_path)
        first = body["races"][0]
        detail = (await client.get(first["_links"]["self"])).json()
        form = (await client.get(first["_links"]["form"])).json()
    assert [r["raceNumber"] for r in body["races"]] == list(range(1, len(body["races"]) + 1))
    assert detail["raceNumber"] == first["raceNumber"] and detail["raceName"] == first["raceName"]
    assert len(form["form"]) == len([r for r in detail["runners"] if not r["vacantBox"]])


async def test_jurisdiction_selects_the_pool_host_not_the_meetings() -> None:
    async with sandbox() as (client, _clock):
        _stub, path = await _open_race(client)
        nsw = await get_json(client, path, jurisdiction="NSW")
        vic = await get_json(client, path, jurisdiction="VIC")
        nsw_meetings = await get_json(client, f"/racing/dates/{DAY}/meetings", jurisdiction="NSW")
        qld_meetings = await get_json(client, f"/racing/dates/{DAY}/meetings", jurisdiction="QLD")
    assert {p["cominglingHost"] for p in nsw["pools"]} == {"NSW"}
    assert {p["cominglingHost"] for p in vic["pools"]} == {"VIC"}
    assert [r["fixedOdds"]["returnWin"] for r in nsw["runners"]] == [
        r["fixedOdds"]["returnWin"] for r in vic["runners"]]
    assert [m["meetingName"] for m in nsw_meetings["meetings"]] == [
        m["meetingName"] for m in qld_meetings["meetings"]]
