"""Racing tools for finding races and reading them: dates, meetings, a meeting's races, race
cards, next to go and race results."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.domain.zones import zone_of
from app.services import Services
from app.tab.shapes import nested_object, records
from app.tools.base import structured
from app.tools.calls import call_for, source, upstream_tool
from app.tools.models.racing import (
    MeetingDetail,
    MeetingList,
    NextRace,
    NextToGo,
    RaceCard,
    RaceResult,
    RacingDate,
    RacingDates,
)
from app.tools.racing import (
    DateArg,
    Location,
    RaceNumber,
    RaceTypeArg,
    Venue,
    card_summary,
    day_meetings,
    fetch_race,
    resolve,
)
from app.tools.racing_args import location_code
from app.tools.results_history import info_service_lacks, past_result, placings
from app.tools.shaping.racing import meeting_summary, minutes_to, race_card, race_stubs
from app.tools.timezones import local_iso, parse_utc, resolve_date

#: The upstream's date token for futures markets, and the tool that opens them.
_FUTURES = "futures"
FUTURES_TOOL = "racing_futures"


@upstream_tool(title="Racing dates")
async def racing_dates(services: Services, ctx: Context) -> Annotated[CallToolResult, RacingDates]:
    """Dates Tabcorp has racing for (today, tomorrow); `futures` names the futures tool."""
    call = call_for(services, ctx)
    fetched = await call.client.dates(jurisdiction=call.jurisdiction)
    listed = records(fetched.data, "dates", "racing/dates")
    dates = [RacingDate(date=str(d["meetingDate"]), name=d.get("dateName")) for d in listed
             if d.get("meetingDate") and d.get("meetingDate") != _FUTURES]
    futures = (f"open futures markets with {FUTURES_TOOL}"
               if any(d.get("meetingDate") == _FUTURES for d in listed) else None)
    return structured(RacingDates(dates=dates, futures=futures, source=source(fetched)))


@upstream_tool(title="Race meetings")
async def racing_meetings(
    services: Services, ctx: Context,
    date: DateArg = "today",
    race_type: RaceTypeArg = None,
    location: Annotated[str | None, Field(
        description="AU state (VIC, 'Victoria'…) or country (NZL, GBR…)",
        max_length=40)] = None,
) -> Annotated[CallToolResult, MeetingList]:
    """Race meetings of a day with venue, code, track, weather, race count and next race.
    Start here to find what races where; then use race_card."""
    call = call_for(services, ctx)
    code = location_code(location) if location is not None else None
    day = resolve_date(date)
    listed, fetched = await day_meetings(call, day)
    now = datetime.now(UTC)
    meetings = [
        meeting_summary(m, now) for m in listed
        if (race_type is None or m.get("raceType") == race_type)
        and (code is None or str(m.get("location", "")).upper() == code)
    ]
    return structured(MeetingList(date=day, meetings=meetings, source=source(fetched)))


@upstream_tool(title="Races of a meeting")
async def meeting_races(
    services: Services, ctx: Context,
    venue: Venue, date: DateArg = "today", race_type: RaceTypeArg = None,
) -> Annotated[CallToolResult, MeetingDetail]:
    """Every race of one meeting: number, name, distance, class, status, local start time,
    minutes to jump, results and scratchings."""
    call = call_for(services, ctx)
    meeting, fetched, _ = await resolve(call, date, venue, race_type)
    now = datetime.now(UTC)
    return structured(MeetingDetail(meeting=meeting_summary(meeting, now),
                                    races=race_stubs(meeting, now),
                                    source=source(fetched)))


@upstream_tool(title="Race card", name="race_card")
async def race_card_tool(
    services: Services, ctx: Context,
    venue: Venue, race_number: RaceNumber, date: DateArg = "today",
    race_type: RaceTypeArg = None,
    detail: Annotated[Literal["summary", "full"], Field(
        description="'full' adds the raw upstream body (large)")] = "summary",
) -> Annotated[CallToolResult, RaceCard]:
    """A race card: runners with barrier, jockey, trainer, weight, form, scratchings, fixed
    and tote prices, movement since first and day open, implied probability, favourite;
    local start, minutes to jump, track, rail, pools, market %, Top 2/3/4, Favourite Out,
    multi-leg approximates, price update time; results and dividends once paying.
    E.g. venue='Randwick', race_number=4."""
    call = call_for(services, ctx)
    meeting, fetched, body = await fetch_race(call, date, venue, race_number, race_type)
    rail = meeting.get("railPosition")
    if detail == "summary":
        return card_summary(fetched, body, rail)
    card = race_card(body, rail=rail)
    card.source = source(fetched)
    card.raw = body
    return structured(card)


@upstream_tool(title="Next to go")
async def next_to_go(
    services: Services, ctx: Context,
    count: Annotated[int, Field(description="How many races.", ge=1, le=50)] = 10,
    race_type: RaceTypeArg = None,
    location: Location = None,
) -> Annotated[CallToolResult, NextToGo]:
    """The next races to jump across all venues, soonest first, with minutes to jump. A row's
    meeting_date, venue_code, race_type, race_number open it in race_card."""
    call = call_for(services, ctx)
    where = location_code(location) if location is not None else None
    filtered = race_type is not None or where is not None
    fetched = await call.client.next_to_go(max_races=min(100, count * 4) if filtered else count,
                                           jurisdiction=call.jurisdiction)
    now = datetime.now(UTC)
    races = [next_race(race, now)
             for race in records(fetched.data, "races", "racing/next-to-go/races")]
    races = [r for r in races if (race_type is None or r.race_type == race_type)
             and (where is None or (r.location or "").upper() == where)]
    return structured(NextToGo(races=races[:count], source=source(fetched)))


def next_race(race: dict[str, Any], now: datetime) -> NextRace:
    """A next-to-go row, with the arguments that open the race."""
    meeting = nested_object(race, "meeting", "racing/next-to-go/races")
    local = zone_of(meeting.get("meetingName"), meeting.get("location"))
    start = parse_utc(race.get("raceStartTime"))
    return NextRace(
        venue=str(meeting.get("meetingName", "")), meeting_date=meeting.get("meetingDate"),
        venue_code=meeting.get("venueMnemonic"), race_type=str(meeting.get("raceType", "")),
        location=meeting.get("location"), race_number=int(race.get("raceNumber", 0)),
        name=str(race.get("raceName", "")), distance_m=race.get("raceDistance"),
        start_utc=race.get("raceStartTime"),
        start_local=local_iso(start, local.zone) if start else None,
        minutes_to_jump=minutes_to(start, now), track=meeting.get("trackCondition"),
        weather=meeting.get("weatherCondition"))


@upstream_tool(title="Race results")
async def race_results(
    services: Services, ctx: Context,
    venue: Venue, race_number: RaceNumber, date: DateArg = "today",
    race_type: RaceTypeArg = None,
) -> Annotated[CallToolResult, RaceResult]:
    """Placings with runner names and every dividend of a paying race; any past date too
    (from Tabcorp's results history, with margins where given)."""
    call = call_for(services, ctx)
    day = resolve_date(date)
    if await info_service_lacks(call, day):
        return await past_result(call, day, venue, race_number, race_type)
    _, fetched, body = await fetch_race(call, day, venue, race_number, race_type)
    card = race_card(body)
    if not card.results:
        when = (f"; it jumps in {card.minutes_to_jump:.0f} min"
                if card.minutes_to_jump and card.minutes_to_jump > 0 else "")
        raise ToolError(f"{card.venue} race {race_number} has no results yet (status "
                        f"{card.status}{when}); results appear once it is Paying.")
    names = {r.number: r.name for r in card.runners}
    return structured(RaceResult(venue=card.venue, race_number=race_number, name=card.name,
                                 status=card.status, placings=placings(card.results, names),
                                 dividends=card.dividends or [], source=source(fetched)))
