"""Sports tools, sports results, FootyTAB rounds and the generic read."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.domain.zones import SYDNEY
from app.services import Services
from app.tab.client import Fetched
from app.tab.shapes import body_object, record_list, records
from app.tools.base import structured
from app.tools.calls import call_for, source, upstream_tool
from app.tools.models.sports import (
    CompetitionMatches,
    CompetitionSummary,
    MatchDetail,
    Passthrough,
    SportCompetitions,
    SportList,
    SportsNextToGo,
    SportSummary,
)
from app.tools.shaping.passthrough import fit, strip_links
from app.tools.shaping.sports import match_summary, next_match, starts_within
from app.tools.sports_lookup import (
    check_names,
    find_match,
    find_place,
    find_sport,
    known_names,
    match_list,
    matches_of,
    sports_tree,
    tournament_hint,
)
from app.tools.timezones import resolve_date

Sport = Annotated[str, Field(
    description="Sport, e.g. 'AFL Football', 'Soccer'.", max_length=100)]
Competition = Annotated[str, Field(
    description="Competition, e.g. 'NRL', 'English Premier League'.",
    max_length=150)]
MatchName = Annotated[str, Field(
    description="Match, e.g. 'Adelaide v Geelong'.", max_length=200)]
Tournament = Annotated[str | None, Field(
    description="Tennis/golf tournament (see sport_competitions).",
    max_length=150)]
DayText = Annotated[str | None, Field(
    description="today, tomorrow or YYYY-MM-DD (Australian dates).", max_length=20)]

_MAIN_MARKETS = 3
_RAW_CAP_BYTES = 24_000
#: Sports next-to-go rows read upstream when filtering by sport.
_NEXT_TO_GO_SCAN = 100


@upstream_tool(title="Sports")
async def sports_list(services: Services, ctx: Context) -> Annotated[CallToolResult, SportList]:
    """All open sports with their competition names. Start here for sports betting."""
    tree, fetched = await sports_tree(call_for(services, ctx))
    sports = [SportSummary(name=str(item.get("name", "")),
                           competitions=[str(c.get("name"))
                                         for c in record_list(item.get("competitions"),
                                                              "competitions", "sports")])
              for item in tree]
    return structured(SportList(sports=sports, source=source(fetched)))


@upstream_tool(title="Competitions of a sport")
async def sport_competitions(services: Services, ctx: Context, sport: Sport
                             ) -> Annotated[CallToolResult, SportCompetitions]:
    """One sport's competitions; tennis and golf list their tournaments (pass one as
    tournament= to competition_matches)."""
    entry, fetched = await find_sport(call_for(services, ctx), sport)
    comps = [CompetitionSummary(
        name=str(c.get("name", "")), has_markets=c.get("hasMarkets"),
        tournaments=[str(t.get("name"))
                     for t in record_list(c.get("tournaments"), "tournaments", "sports")] or None)
        for c in record_list(entry.get("competitions"), "competitions", "sports")]
    return structured(SportCompetitions(sport=str(entry.get("name")), competitions=comps,
                                        source=source(fetched)))


def _window(date: str | None, to_date: str | None, within_hours: int | None,
            now: datetime) -> tuple[datetime | None, datetime | None]:
    """The [begin, end) of start times the filters leave (Australian days, Sydney time)."""
    begin = end = None
    if date is not None or to_date is not None:
        first = resolve_date(date or "today", now)
        last = resolve_date(to_date, now) if to_date is not None else first
        if last < first:
            raise ToolError(f"to_date {last} is before date {first}; send a later to_date")
        begin = datetime.fromisoformat(first).replace(tzinfo=SYDNEY)
        end = datetime.fromisoformat(last).replace(tzinfo=SYDNEY) + timedelta(days=1)
    if within_hours is not None:
        begin = max(begin, now) if begin else now
        horizon = now + timedelta(hours=within_hours)
        end = min(end, horizon) if end else horizon
    return begin, end


@upstream_tool(title="Matches of a competition")
async def competition_matches(
    services: Services, ctx: Context, sport: Sport, competition: Competition,
    tournament: Tournament = None, date: DayText = None,
    to_date: Annotated[str | None, Field(description="Last day of a date range.",
                                         max_length=20)] = None,
    within_hours: Annotated[int | None, Field(description="Only matches starting within this "
                                              "many hours.", ge=1, le=336)] = None,
    markets: Annotated[Literal["top", "head_to_head"], Field(
        description="top: first 3 markets; head_to_head: that one only.")] = "top",
) -> Annotated[CallToolResult, CompetitionMatches]:
    """A competition's (or tournament's) matches and prices, by date and market, e.g.
    competition='NRL', date='today', markets='head_to_head'."""
    call = call_for(services, ctx)
    now = datetime.now(UTC)
    begin, end = _window(date, to_date, within_hours, now)
    place = await find_place(call, sport, competition, tournament)
    if place.tournament is None and len(place.tournaments) == 1:
        place = replace(place, tournament=place.tournaments[0])
    fetched = await matches_of(call, place)
    found = match_list(fetched)
    note = None
    if not found and place.tournament is None and place.tournaments:
        note = tournament_hint(place)
    h2h = markets == "head_to_head"
    matches = [match_summary(m, 1 if h2h else _MAIN_MARKETS, h2h)
               for m in found if starts_within(m, begin, end)]
    if found and not matches:
        note = f"none of its {len(found)} open matches starts in that window"
    return structured(CompetitionMatches(
        sport=place.sport, competition=place.competition, tournament=place.tournament,
        tournaments=list(place.tournaments) or None, matches=matches, note=note,
        source=source(fetched)))


@upstream_tool(title="Match markets")
async def match_markets(
    services: Services, ctx: Context, sport: Sport, competition: Competition, match: MatchName,
    tournament: Tournament = None,
) -> Annotated[CallToolResult, MatchDetail]:
    """Every market of one match with prices, market % and proposition ids (the legs
    sgm_price takes; markets with same_game=true combine)."""
    call = call_for(services, ctx)
    check_names(match=match)
    place = await find_place(call, sport, competition, tournament)
    place, fetched = await find_match(call, place, match)
    return structured(MatchDetail(sport=place.sport, competition=place.competition,
                                  match=match_summary(
                                      body_object(fetched.data, "sports/.../match"), None),
                                  source=source(fetched)))


@upstream_tool(title="Sports next to go")
async def sports_next_to_go(
    services: Services, ctx: Context,
    sport: Annotated[str | None, Field(description="Only this sport.", max_length=100)] = None,
    limit: Annotated[int, Field(description="How many matches.", ge=1, le=100)] = 10,
    within_hours: Annotated[int | None, Field(
        description="Only matches starting within this many hours.", ge=1, le=168)] = None,
    open_only: Annotated[bool, Field(description="Only matches open for betting.")] = True,
) -> Annotated[CallToolResult, SportsNextToGo]:
    """Sports matches starting soonest, with head-to-head prices where listed."""
    call = call_for(services, ctx)
    wanted = str((await find_sport(call, sport))[0].get("name")) if sport else None
    fetched = await call.client.sports_next_to_go(
        limit=_NEXT_TO_GO_SCAN if wanted else limit,
        next=f"{within_hours}h" if within_hours else None, open_only=open_only,
        jurisdiction=call.jurisdiction)
    now = datetime.now(UTC)
    matches = [next_match(m, now)
               for m in records(fetched.data, "matches", "sports/next-to-go")
               if wanted is None or m.get("sportName") == wanted]
    return structured(SportsNextToGo(matches=matches[:limit], source=source(fetched)))


@upstream_tool(title="Sports results")
async def sports_results(
    services: Services, ctx: Context,
    sport: Annotated[str | None, Field(description="Narrow to a sport.",
                                       max_length=100)] = None,
    competition: Annotated[str | None, Field(description="Narrow to a competition "
                                             "(needs sport).", max_length=150)] = None,
    match: Annotated[str | None, Field(description="One match (needs sport and "
                                       "competition).", max_length=200)] = None,
) -> Annotated[CallToolResult, Passthrough]:
    """Sports results by sport, competition or match. The upstream shape is unverified:
    fields are passed through without HAL links."""
    if (competition and not sport) or (match and not competition):
        raise ToolError("give sport with competition, and sport and competition with match")
    call = call_for(services, ctx)
    check_names(match=match)
    if sport is not None:
        sport, competition = await known_names(call, sport, competition)
    fetched = await call.client.sports_results(sport, competition, match,
                                               jurisdiction=call.jurisdiction)
    return structured(_passthrough(fetched))


@upstream_tool(title="FootyTAB rounds")
async def footy_rounds(
    services: Services, ctx: Context, sport: Sport) -> Annotated[CallToolResult, Passthrough]:
    """FootyTAB tipping rounds of a football code, e.g. sport='AFL Football'. The upstream
    shape is unverified: fields are passed through without HAL links."""
    call = call_for(services, ctx)
    sport, _ = await known_names(call, sport)
    fetched = await call.client.footy_rounds(sport, jurisdiction=call.jurisdiction)
    return structured(_passthrough(fetched))


@upstream_tool(title="FootyTAB round")
async def footy_round(
    services: Services, ctx: Context, sport: Sport,
    round: Annotated[int, Field(description="Round number.", ge=0, le=60)],
    series: Annotated[str | None, Field(description="Optional series.",
                                        max_length=60)] = None,
) -> Annotated[CallToolResult, Passthrough]:
    """One FootyTAB round (optionally one series). Upstream shape unverified."""
    call = call_for(services, ctx)
    sport, _ = await known_names(call, sport)
    fetched = await call.client.footy_round(sport, round, series,
                                            jurisdiction=call.jurisdiction)
    return structured(_passthrough(fetched))


@upstream_tool(title="Generic Tabcorp read")
async def tab_get(
    services: Services, ctx: Context,
    path: Annotated[str, Field(
        description="Path under /v1/tab-info-service/, e.g. "
                    "'/v1/tab-info-service/racing/dates'.", max_length=500)],
    params: Annotated[dict[str, str] | None, Field(
        description="Extra query parameters (jurisdiction is added).")] = None,
) -> Annotated[CallToolResult, Passthrough]:
    """GET any info-service path the other tools do not cover. Prefer the specific tools:
    this returns raw data (HAL links removed), cut at about 24 KB."""
    call = call_for(services, ctx)
    fetched = await call.client.get_raw(path, dict(params or {}),
                                        jurisdiction=call.jurisdiction)
    return structured(_passthrough(fetched))


def _passthrough(fetched: Fetched) -> Passthrough:
    data, note = fit(strip_links(fetched.data), _RAW_CAP_BYTES)
    return Passthrough(data=data, truncated=note is not None, note=note, source=source(fetched))
