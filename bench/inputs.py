"""What the benchmarks call: inputs read from a running sandbox, and its admin routes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx2

from bench.load import ToolCall

SERVICE_ROOT = "/v1/tab-info-service"
#: A race must jump at least this far ahead to stay open for a whole benchmark run.
MIN_MINUTES_TO_JUMP = 20


class Sandbox:
    """Reads and admin routes of a sandbox at `url`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx2.Client(base_url=url, timeout=30)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def get(self, path: str, **params: Any) -> Any:
        """GET an info-service path (NSW) as our server would, without a token."""
        response = self._http.get(SERVICE_ROOT + path, params={"jurisdiction": "NSW", **params})
        response.raise_for_status()
        return response.json()

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call an admin route under `/_sandbox`."""
        response = self._http.request(method, "/_sandbox" + path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def stats(self) -> dict[str, Any]:
        """Every counter (`requests_total`, `requests` by path, `token_requests` by grant...)."""
        stats: dict[str, Any] = self.admin("GET", "/stats")
        return stats

    def reset_stats(self) -> None:
        """Zero the counters."""
        self.admin("POST", "/stats/reset")

    def token_requests(self) -> int:
        """Token requests of every grant so far."""
        return sum(self.stats()["token_requests"].values())


def _starts(race: dict[str, Any]) -> datetime | None:
    value = race.get("raceStartTime")
    if not isinstance(value, str):
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def today(sandbox: Sandbox) -> str:
    """The sandbox's "today" (an Australian date, YYYY-MM-DD)."""
    dates = sandbox.get("/racing/dates")["dates"]
    return str(next(d["meetingDate"] for d in dates if d.get("dateName") == "today"))


def open_race(sandbox: Sandbox) -> tuple[dict[str, Any], int, str]:
    """(meeting, race number, date) of an open gallops race that jumps in 20 minutes or more
    (the soonest such race, so it has a full field and live prices)."""
    day = today(sandbox)
    horizon = datetime.now(UTC) + timedelta(minutes=MIN_MINUTES_TO_JUMP)
    candidates = []
    for meeting in sandbox.get(f"/racing/dates/{day}/meetings")["meetings"]:
        for race in meeting.get("races") or []:
            start = _starts(race)
            if race.get("raceStatus") == "Normal" and start and start >= horizon:
                candidates.append((meeting.get("raceType") != "R", start, meeting,
                                   int(race["raceNumber"])))
    if not candidates:
        raise RuntimeError(f"the sandbox has no open race on {day} jumping after {horizon}")
    _, _, meeting, number = min(candidates, key=lambda item: item[:2])
    return meeting, number, day


def race_card_call(sandbox: Sandbox) -> ToolCall:
    """The race card of an open race, by venue code and explicit date."""
    meeting, number, day = open_race(sandbox)
    return ToolCall("race_card", {"venue": meeting["venueMnemonic"], "race_number": number,
                                  "race_type": meeting["raceType"], "date": day})


def _paying_race(sandbox: Sandbox, day: str) -> tuple[dict[str, Any], int, str]:
    """A race that has results: today if one is paying, else yesterday's first."""
    for when in (day, (date.fromisoformat(day) - timedelta(days=1)).isoformat()):
        for meeting in sandbox.get(f"/racing/dates/{when}/meetings")["meetings"]:
            for race in meeting.get("races") or []:
                if race.get("raceStatus") == "Paying":
                    return meeting, int(race["raceNumber"]), when
    raise RuntimeError("the sandbox has no paying race today or yesterday")


def _competition_with_matches(sandbox: Sandbox) -> tuple[str, str, str]:
    for sport in sandbox.get("/sports")["sports"]:
        for competition in sport.get("competitions") or []:
            body = sandbox.get(f"/sports/{quote(sport['name'])}/competitions/"
                               f"{quote(competition['name'])}")
            if body.get("matches"):
                return sport["name"], competition["name"], body["matches"][0]["name"]
    raise RuntimeError("the sandbox has no competition with matches")


def standard_calls(sandbox: Sandbox) -> list[ToolCall]:
    """One ordinary call of every tool of every toolset, on inputs the sandbox has."""
    meeting, number, day = open_race(sandbox)
    venue = {"venue": meeting["venueMnemonic"], "race_number": number, "date": day}
    runners = sandbox.get(f"/racing/dates/{day}/meetings/{meeting['raceType']}/"
                          f"{meeting['venueMnemonic']}/races/{number}")["runners"]
    paying, paid_number, paid_day = _paying_race(sandbox, day)
    sport, competition, match = _competition_with_matches(sandbox)
    return [
        ToolCall("server_status"),
        ToolCall("racing_dates"),
        ToolCall("racing_meetings", {"date": day}),
        ToolCall("meeting_races", {"venue": meeting["venueMnemonic"], "date": day}),
        ToolCall("race_card", venue),
        ToolCall("next_to_go", {"count": 10}),
        ToolCall("race_form", venue),
        ToolCall("runner_form", {**venue, "runner_number": runners[0]["runnerNumber"]}),
        ToolCall("pool_approximates", {**venue, "product": "Quinella"}),
        ToolCall("racing_jackpots"),
        ToolCall("market_movers", {"races": 3}),
        ToolCall("race_results", {"venue": paying["venueMnemonic"],
                                  "race_number": paid_number, "date": paid_day}),
        ToolCall("sports_list"),
        ToolCall("sport_competitions", {"sport": sport}),
        ToolCall("competition_matches", {"sport": sport, "competition": competition}),
        ToolCall("match_markets", {"sport": sport, "competition": competition, "match": match}),
        ToolCall("sports_next_to_go", {"limit": 10}),
        ToolCall("sports_results"),
        ToolCall("footy_rounds", {"sport": "AFL Football"}),
        ToolCall("footy_round", {"sport": "AFL Football", "round": 1}),
        ToolCall("tab_get", {"path": f"{SERVICE_ROOT}/racing/dates"}),
    ]
