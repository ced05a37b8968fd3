"""Racing tools: dates, meetings, race cards, form, pools, next-to-go, market movers."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.domain.race_types import RaceType
from app.services import Services
from app.tab.client import Fetched
from app.tab.errors import NotFound
from app.tools.base import ResultTemplate, structured
from app.tools.calls import Call, as_list, call_for, source, upstream_tool
from app.tools.models.racing import (
    Approximate,
    Approximates,
    Jackpots,
    MarketMovers,
    MeetingDetail,
    MeetingList,
    Mover,
    NextRace,
    NextToGo,
    OneRunnerForm,
    RaceCard,
    RaceForm,
    RaceResult,
    RacingDate,
    RacingDates,
)
from app.tools.shaping.form import runner_form
from app.tools.shaping.racing import meeting_summary, minutes_to, race_card, race_stubs
from app.tools.timezones import local_iso, parse_utc, resolve_date
from app.tools.venues import check_venue, resolve_meeting

Product = Literal["Quinella", "Exacta", "Duet", "Trifecta", "FirstFour"]

Venue = Annotated[str, Field(description="Name or code: 'Randwick', 'RAN', 'gold coast dogs'",
                             max_length=80)]
DateArg = Annotated[str, Field(description="today, tomorrow or YYYY-MM-DD (AU)", max_length=40)]
RaceNumber = Annotated[int, Field(ge=1, le=99)]
RaceTypeArg = Annotated[RaceType | None, Field(
    description="R gallops, H harness, G greyhounds")]

_APPROXIMATES_CAP = 40


async def resolve(call: Call, date: str, venue: str, race_type: str | None
                  ) -> tuple[dict[str, Any], Fetched, str]:
    """The meeting `venue` names on `date` as a fresh meetings list has it (race statuses and
    results included), that fetch, and the resolved date. The name is resolved by the venue
    directory, like every other venue argument."""
    identity, day = await locate(call, date, venue, race_type)
    fetched = await call.client.meetings(day, jurisdiction=call.jurisdiction)
    meetings = as_list((fetched.data or {}).get("meetings"))
    meeting = next((m for m in meetings
                    if m.get("venueMnemonic") == identity["venueMnemonic"]
                    and m.get("raceType") == identity["raceType"]), None)
    if meeting is None:  # gone from the list since the directory's copy: say what races now
        meeting = resolve_meeting(meetings, venue, race_type, day)
    return meeting, fetched, day


async def locate(call: Call, date: str, venue: str, race_type: str | None,
                 race_number: int | None = None) -> tuple[dict[str, Any], str]:
    """The meeting (its identity and race numbers only) that `venue` names on `date`, checked
    to have `race_number`, and the resolved date. Served from the venue directory."""
    check_venue(venue)
    day = resolve_date(date)

    async def fetch() -> list[dict[str, Any]]:
        fetched = await call.client.meetings(day, jurisdiction=call.jurisdiction)
        return as_list((fetched.data or {}).get("meetings"))

    meeting = await call.venues.meeting((call.jurisdiction, day), day, venue, race_type,
                                        race_number, fetch)
    return meeting, day


async def fetch_race(call: Call, date: str, venue: str, race_number: int,
                     race_type: str | None) -> tuple[dict[str, Any], Fetched, dict[str, Any]]:
    """The meeting, the race detail fetch and its body."""
    meeting, day = await locate(call, date, venue, race_type, race_number)
    fetched = await call.client.race(day, meeting["raceType"], meeting["venueMnemonic"],
                                     race_number, jurisdiction=call.jurisdiction)
    return meeting, fetched, fetched.data if isinstance(fetched.data, dict) else {}


#: The fields of a race card summary that change with the clock rather than the data.
_CARD_VOLATILE = ("minutes_to_jump", "source")


def card_summary(fetched: Fetched, body: dict[str, Any]) -> CallToolResult:
    """The race card summary of a race detail fetch.

    A race is shaped once per upstream fetch (kept in `Fetched.memo`, so cache hits and callers
    sharing a coalesced fetch reuse it); each call renews only the minutes to the jump and the
    data-source block.
    """
    memo: tuple[ResultTemplate, datetime | None] | None = fetched.memo.get("race_card")
    if memo is None:
        card = race_card(body)
        card.source = source(fetched)
        volatile = tuple(key for key in _CARD_VOLATILE if getattr(card, key) is not None)
        memo = ResultTemplate(card, volatile), parse_utc(body.get("raceStartTime"))
        fetched.memo["race_card"] = memo
    template, start = memo
    return template.render(minutes_to_jump=minutes_to(start, datetime.now(UTC)),
                           source=source(fetched).model_dump(mode="json"))


def register(server: MCPServer, services: Services) -> None:
    """Add the racing tools to `server`."""

    @upstream_tool(server, toolset="racing", title="Racing dates")
    async def racing_dates(ctx: Context) -> Annotated[CallToolResult, RacingDates]:
        """Dates Tabcorp has racing for (today, tomorrow, and dated futures)."""
        call = call_for(services, ctx)
        fetched = await call.client.dates(jurisdiction=call.jurisdiction)
        dates = [RacingDate(date=str(d.get("meetingDate")), name=d.get("dateName"))
                 for d in as_list((fetched.data or {}).get("dates")) if d.get("meetingDate")]
        return structured(RacingDates(dates=dates, source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Race meetings")
    async def racing_meetings(
        ctx: Context,
        date: DateArg = "today",
        race_type: RaceTypeArg = None,
        location: Annotated[str | None, Field(
            description="AU state (NSW, VIC, QLD, SA, WA, TAS, NT, ACT) or country code "
                        "(NZL, GBR…).", max_length=8)] = None,
    ) -> Annotated[CallToolResult, MeetingList]:
        """Race meetings of a day with venue, code, track, weather, race count and next race.
        Start here to find what races where; then use race_card."""
        call = call_for(services, ctx)
        day = resolve_date(date)
        fetched = await call.client.meetings(day, jurisdiction=call.jurisdiction)
        now = datetime.now(UTC)
        meetings = [
            meeting_summary(m, now) for m in as_list((fetched.data or {}).get("meetings"))
            if (race_type is None or m.get("raceType") == race_type)
            and (location is None or str(m.get("location", "")).upper() == location.upper())
        ]
        return structured(MeetingList(date=day, meetings=meetings, source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Races of a meeting")
    async def meeting_races(
        ctx: Context, venue: Venue, date: DateArg = "today", race_type: RaceTypeArg = None,
    ) -> Annotated[CallToolResult, MeetingDetail]:
        """Every race of one meeting: number, name, distance, class, status, local start time,
        minutes to jump, results and scratchings."""
        call = call_for(services, ctx)
        meeting, fetched, _ = await resolve(call, date, venue, race_type)
        now = datetime.now(UTC)
        return structured(MeetingDetail(meeting=meeting_summary(meeting, now),
                                        races=race_stubs(meeting, now),
                                        source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Race card", name="race_card")
    async def race_card_tool(
        ctx: Context, venue: Venue, race_number: RaceNumber, date: DateArg = "today",
        race_type: RaceTypeArg = None,
        detail: Annotated[Literal["summary", "full"], Field(
            description="'summary' (compact, every decision field) or 'full' (adds the raw "
                        "upstream body: large).")] = "summary",
    ) -> Annotated[CallToolResult, RaceCard]:
        """A race card: runners with barrier, jockey, trainer, weight, form, scratchings, fixed
        and tote prices, opening price and movement, implied probability, favourite; the race's
        local start time, minutes to jump, track, pools, market percentage, and results and
        dividends once paying. E.g. venue='Randwick', race_number=4."""
        call = call_for(services, ctx)
        _, fetched, body = await fetch_race(call, date, venue, race_number, race_type)
        if detail == "summary":
            return card_summary(fetched, body)
        card = race_card(body)
        card.source = source(fetched)
        card.raw = body
        return structured(card)

    @upstream_tool(server, toolset="racing", title="Next to go")
    async def next_to_go(
        ctx: Context,
        count: Annotated[int, Field(description="How many races.", ge=1, le=50)] = 10,
        race_type: RaceTypeArg = None,
    ) -> Annotated[CallToolResult, NextToGo]:
        """The next races to jump across all venues, soonest first, with minutes to jump."""
        call = call_for(services, ctx)
        fetch_count = count if race_type is None else min(100, count * 4)
        fetched = await call.client.next_to_go(max_races=fetch_count,
                                               jurisdiction=call.jurisdiction)
        now = datetime.now(UTC)
        races = []
        for race in as_list((fetched.data or {}).get("races")):
            meeting = race.get("meeting") or {}
            if race_type and meeting.get("raceType") != race_type:
                continue
            start = parse_utc(race.get("raceStartTime"))
            races.append(NextRace(
                venue=str(meeting.get("meetingName", "")), venue_code=meeting.get("venueMnemonic"),
                race_type=str(meeting.get("raceType", "")), location=meeting.get("location"),
                race_number=int(race.get("raceNumber", 0)), name=str(race.get("raceName", "")),
                distance_m=race.get("raceDistance"), start_utc=race.get("raceStartTime"),
                start_local=local_iso(start, meeting.get("location")) if start else None,
                minutes_to_jump=minutes_to(start, now), track=meeting.get("trackCondition"),
                weather=meeting.get("weatherCondition")))
        return structured(NextToGo(races=races[:count], source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Race form")
    async def race_form(
        ctx: Context, venue: Venue, race_number: RaceNumber, date: DateArg = "today",
        race_type: RaceTypeArg = None,
    ) -> Annotated[CallToolResult, RaceForm]:
        """Form guide for every runner: career, track, distance and condition records,
        first/second up, days since last run, last three starts and the TAB comment."""
        call = call_for(services, ctx)
        meeting, day = await locate(call, date, venue, race_type, race_number)
        fetched = await call.client.race_form(day, meeting["raceType"], meeting["venueMnemonic"],
                                              race_number, jurisdiction=call.jurisdiction)
        entries = as_list((fetched.data or {}).get("form"))
        return structured(RaceForm(
            venue=str(meeting.get("meetingName")), race_number=race_number,
            runners=[runner_form(e, recent=3, comment_chars=300) for e in entries],
            source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Runner form", name="runner_form")
    async def runner_form_tool(
        ctx: Context, venue: Venue, race_number: RaceNumber,
        runner_number: Annotated[int, Field(description="Runner (saddlecloth) number.",
                                            ge=1, le=40)],
        date: DateArg = "today", race_type: RaceTypeArg = None,
    ) -> Annotated[CallToolResult, OneRunnerForm]:
        """One runner's full form: records, last ten starts and the full comment."""
        call = call_for(services, ctx)
        meeting, day = await locate(call, date, venue, race_type, race_number)
        try:
            fetched = await call.client.runner_form(
                day, meeting["raceType"], meeting["venueMnemonic"], race_number, runner_number,
                jurisdiction=call.jurisdiction)
        except NotFound:
            race = await call.client.race(day, meeting["raceType"], meeting["venueMnemonic"],
                                          race_number, jurisdiction=call.jurisdiction)
            numbers = [r.get("runnerNumber") for r in as_list((race.data or {}).get("runners"))]
            raise ToolError(f"runner {runner_number} is not in {meeting.get('meetingName')} race "
                            f"{race_number}; its runners are {numbers}.") from None
        body = fetched.data if isinstance(fetched.data, dict) else {}
        return structured(OneRunnerForm(
            venue=str(meeting.get("meetingName")), race_number=race_number,
            runner=runner_form(body, recent=10, comment_chars=1500), source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Pool approximates")
    async def pool_approximates(
        ctx: Context, venue: Venue, race_number: RaceNumber,
        product: Annotated[Product, Field(description="Exotic pool, e.g. 'Quinella'.")],
        date: DateArg = "today", race_type: RaceTypeArg = None,
    ) -> Annotated[CallToolResult, Approximates]:
        """Approximate tote dividends of an exotic pool, shortest-priced combinations first."""
        call = call_for(services, ctx)
        meeting, day = await locate(call, date, venue, race_type, race_number)
        fetched = await call.client.approximates(
            day, meeting["raceType"], meeting["venueMnemonic"], race_number, product,
            jurisdiction=call.jurisdiction)
        items = [Approximate(selections=[int(s) for s in a.get("selections") or []],
                             returns=float(a.get("return") or 0))
                 for a in as_list((fetched.data or {}).get("approximates"))
                 if isinstance(a.get("return"), int | float) and a.get("return")]
        items.sort(key=lambda a: a.returns)
        return structured(Approximates(
            venue=str(meeting.get("meetingName")), race_number=race_number, product=product,
            combinations=len(items), approximates=items[:_APPROXIMATES_CAP],
            truncated=len(items) > _APPROXIMATES_CAP, source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Racing jackpots")
    async def racing_jackpots(
        ctx: Context,
        date: Annotated[str | None, Field(
            description="Give a date for that day's jackpot pools; omit for open jackpots.",
            max_length=40)] = None,
    ) -> Annotated[CallToolResult, Jackpots]:
        """Open racing jackpots, or the jackpot pools of a date. Upstream shape unverified:
        fields are passed through without links."""
        call = call_for(services, ctx)
        if date is None:
            fetched = await call.client.jackpots(jurisdiction=call.jurisdiction)
        else:
            fetched = await call.client.jackpot_pools(resolve_date(date),
                                                      jurisdiction=call.jurisdiction)
        return structured(Jackpots(jackpots=_jackpot_items(fetched.data), source=source(fetched)))

    @upstream_tool(server, toolset="racing", title="Market movers")
    async def market_movers(
        ctx: Context,
        races: Annotated[int, Field(description="How many upcoming races to scan.",
                                    ge=1, le=20)] = 5,
        venue: Annotated[str | None, Field(
            description="Scan this meeting's upcoming races instead of next-to-go.",
            max_length=80)] = None,
        race_type: RaceTypeArg = None,
        min_move_pct: Annotated[float, Field(
            description="Smallest move since open to report, in percent.", ge=0, le=500)] = 10,
    ) -> Annotated[CallToolResult, MarketMovers]:
        """Runners firming (price shortening) and drifting since their opening fixed price in
        the next races (or one meeting's upcoming races). Reports progress per race."""
        call = call_for(services, ctx)
        targets = await _upcoming(call, races, venue, race_type)
        fetches: list[Fetched] = []
        firming: list[Mover] = []
        drifting: list[Mover] = []
        for index, (day, kind, code) in enumerate(targets, start=1):
            fetched = await call.client.race(day, kind, code[0], code[1],
                                             jurisdiction=call.jurisdiction)
            fetches.append(fetched)
            card = race_card(fetched.data if isinstance(fetched.data, dict) else {})
            for runner in card.runners:
                if runner.move_pct is None or abs(runner.move_pct) < min_move_pct:
                    continue
                mover = Mover(venue=card.venue, race_number=card.race_number,
                              minutes_to_jump=card.minutes_to_jump, number=runner.number,
                              name=runner.name, open=runner.fixed_open or 0,
                              now=runner.fixed_win or 0, move_pct=runner.move_pct,
                              flucs=runner.flucs)
                (firming if runner.move_pct < 0 else drifting).append(mover)
            await ctx.report_progress(index, len(targets),
                                      f"scanned {card.venue} R{card.race_number}")
        firming.sort(key=lambda m: m.move_pct)
        drifting.sort(key=lambda m: -m.move_pct)
        if not fetches:
            raise ToolError("no upcoming races to scan; try another venue or later")
        return structured(MarketMovers(races_scanned=len(targets), firming=firming[:20],
                                       drifting=drifting[:20], source=source(*fetches)))


async def _upcoming(call: Call, count: int, venue: str | None, race_type: str | None
                    ) -> list[tuple[str, str, tuple[str, int]]]:
    """(date, race type, (venue code, race number)) of the races to scan."""
    if venue:
        meeting, _, day = await resolve(call, "today", venue, race_type)
        stubs = [r for r in as_list(meeting.get("races")) if r.get("raceStatus") == "Normal"]
        return [(day, meeting["raceType"], (meeting["venueMnemonic"], int(r["raceNumber"])))
                for r in stubs[:count]]
    fetched = await call.client.next_to_go(max_races=min(100, count * 4),
                                           jurisdiction=call.jurisdiction)
    out = []
    for race in as_list((fetched.data or {}).get("races")):
        meeting = race.get("meeting") or {}
        if not meeting.get("venueMnemonic") or (race_type and meeting.get("raceType") != race_type):
            continue
        out.append((str(meeting.get("meetingDate")), str(meeting.get("raceType")),
                    (str(meeting["venueMnemonic"]), int(race.get("raceNumber", 0)))))
    return out[:count]


def _jackpot_items(data: Any) -> list[dict[str, Any]]:
    """Jackpot entries without HAL links (the shape is unverified, so keep the rest)."""
    items = as_list((data or {}).get("jackpots") if isinstance(data, dict) else data)
    return [{k: v for k, v in item.items() if k != "_links"} for item in items
            if isinstance(item, dict)]


def register_results(server: MCPServer, services: Services) -> None:
    """Add the race results tool (the results toolset) to `server`."""

    @upstream_tool(server, toolset="results", title="Race results")
    async def race_results(
        ctx: Context, venue: Venue, race_number: RaceNumber, date: DateArg = "today",
        race_type: RaceTypeArg = None,
    ) -> Annotated[CallToolResult, RaceResult]:
        """Placings with runner names and every dividend of a race once it is paying."""
        call = call_for(services, ctx)
        _, fetched, body = await fetch_race(call, date, venue, race_number, race_type)
        card = race_card(body)
        if not card.results:
            when = (f"; it jumps in {card.minutes_to_jump:.0f} min"
                    if card.minutes_to_jump and card.minutes_to_jump > 0 else "")
            raise ToolError(f"{card.venue} race {race_number} has no results yet (status "
                            f"{card.status}{when}); results appear once it is Paying.")
        names = {r.number: r.name for r in card.runners}
        placings = [{"position": pos, "runners": group,
                     "names": [names.get(n, "?") for n in group]}
                    for pos, group in enumerate(card.results, start=1)]
        return structured(RaceResult(venue=card.venue, race_number=race_number, name=card.name,
                                     status=card.status, placings=placings,
                                     dividends=card.dividends or [], source=source(fetched)))
