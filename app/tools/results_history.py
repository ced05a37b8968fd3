"""Race results of past days from Tabcorp's results history, for when the info service no
longer holds the day."""

from typing import Any

from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult

from app.tab.errors import NotFound
from app.tab.history import history_meetings, history_race
from app.tab.shapes import record_list, records, value_list
from app.tools.base import Source, structured
from app.tools.calls import Call, source
from app.tools.models.racing import RaceResult
from app.tools.shaping.racing import dividends
from app.tools.timezones import australian_today
from app.venues.directory import check_race_number
from app.venues.names import NotRacing, check_venue, resolve_meeting

#: The endpoint label the shape boundary names in its log lines.
_HISTORY = "historical-results-service/racing"

def placings(results: list[Any], names: dict[int, str],
             margins: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """Finishing groups as placings with runner names (and margins, where given); dead heats
    share a position."""
    out = []
    for position, group in enumerate(results, start=1):
        numbers = [n for n in group if isinstance(n, int)] if isinstance(group, list) else []
        placing: dict[str, Any] = {"position": position, "runners": numbers,
                                   "names": [names.get(n, "?") for n in numbers]}
        given = [margins[n] for n in numbers if margins and n in margins]
        if given:
            placing["margins"] = given
        out.append(placing)
    return out


def _results_of(race: dict[str, Any]) -> list[Any]:
    """The race's `results`, or finishing groups rebuilt from runners' `finishingPosition`."""
    results = value_list(race.get("results"), "results", _HISTORY)
    if results:
        return results
    groups: dict[int, list[int]] = {}
    for runner in record_list(race.get("runners"), "runners", _HISTORY):
        position, number = runner.get("finishingPosition"), runner.get("runnerNumber")
        if isinstance(position, int) and position > 0 and isinstance(number, int):
            groups.setdefault(position, []).append(number)
    return [groups[p] for p in sorted(groups)]


def history_result(race: dict[str, Any], venue: str, race_number: int,
                   data_source: Source) -> RaceResult:
    """A results-history race as a race result."""
    runners = record_list(race.get("runners"), "runners", _HISTORY)
    names = {r["runnerNumber"]: str(r.get("runnerName", "")) for r in runners
             if isinstance(r.get("runnerNumber"), int)}
    margins = {r["runnerNumber"]: str(r["margin"]) for r in runners
               if isinstance(r.get("runnerNumber"), int) and r.get("margin") not in (None, "")}
    results = _results_of(race)
    status = str(race.get("raceStatus", ""))
    if not results:
        raise ToolError(f"{venue} race {race_number} has no results in Tabcorp's results "
                        f"history (status {status or 'unknown'}).")
    return RaceResult(venue=venue, race_number=race_number, name=str(race.get("raceName", "")),
                      status=status, placings=placings(results, names, margins),
                      dividends=dividends(race), source=data_source)


async def info_service_lacks(call: Call, day: str) -> bool:
    """True when `day` (YYYY-MM-DD) is past and the info service no longer lists its meetings."""
    if day >= australian_today().isoformat():
        return False
    try:
        fetched = await call.client.meetings(day, jurisdiction=call.jurisdiction)
    except NotFound:
        return True
    return not records(fetched.data, "meetings", "racing/dates/{date}/meetings")


async def past_result(call: Call, day: str, venue: str, race_number: int,
                      race_type: str | None) -> CallToolResult:
    """The result of a race of a past day, from the results history."""
    check_venue(venue)
    try:
        listed = await history_meetings(call.client, day, jurisdiction=call.jurisdiction)
    except NotFound as exc:
        raise ToolError(
            f"Tabcorp's results history has no results for {day} ({exc.code or 'not found'}): "
            "it does not hold that date. Send another past date (YYYY-MM-DD); the latest "
            "day's results can take a while to appear.") from None
    meetings = records(listed.data, "meetings", _HISTORY)
    try:
        meeting = resolve_meeting(meetings, venue, race_type, day)
    except NotRacing as exc:
        held = sorted({str(m.get("meetingName")) for m in meetings})
        raise NotRacing(f"{exc.message} The results history holds for {day}: "
                        f"{', '.join(held) or 'no meetings'}.") from None
    check_race_number(meeting, race_number, day)
    name = str(meeting.get("meetingName", ""))
    try:
        fetched = await history_race(call.client, day, str(meeting.get("venueMnemonic")),
                                     str(meeting.get("raceType")), race_number,
                                     jurisdiction=call.jurisdiction)
    except NotFound:
        raise ToolError(f"Tabcorp's results history has no result for {name} race "
                        f"{race_number} on {day}.") from None
    body = fetched.data if isinstance(fetched.data, dict) else {}
    return structured(history_result(body, name, race_number, source(listed, fetched)))
