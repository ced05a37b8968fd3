"""Sports tools, sports results, FootyTAB rounds and the generic read."""

from datetime import UTC, datetime
from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.services import Services
from app.tab.client import Fetched
from app.tab.errors import NotFound
from app.tab.shapes import body_object, records
from app.tools.base import structured
from app.tools.calls import Call, call_for, source, upstream_tool
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
from app.tools.shaping.sports import match_summary, next_match

Sport = Annotated[str, Field(
    description="Sport name as listed by sports_list, e.g. 'AFL Football', 'Rugby League', "
                "'Basketball', 'Soccer', 'Tennis'.", max_length=100)]
Competition = Annotated[str, Field(
    description="Competition name, e.g. 'AFL', 'NRL', 'NBA', 'English Premier League'.",
    max_length=150)]
MatchName = Annotated[str, Field(
    description="Match name as listed, e.g. 'Adelaide v Geelong'.", max_length=200)]

_MAIN_MARKETS = 3
_RAW_CAP_BYTES = 24_000


async def _sport_names(call: Call) -> list[str]:
    fetched = await call.client.sports(jurisdiction=call.jurisdiction)
    return [str(s.get("name")) for s in records(fetched.data, "sports", "sports")]


async def unknown_sport_hint(call: Call, sport: str) -> ToolError:
    """A tool error naming the open sports when `sport` is not one of them."""
    names = await _sport_names(call)
    if sport.lower() not in (n.lower() for n in names):
        return ToolError(f"no open sport {sport[:60]!r}; open sports: {', '.join(names)}.")
    return ToolError(f"Tabcorp has nothing for that {sport!r} request right now; list what is "
                     "open with sport_competitions / competition_matches.")


@upstream_tool(title="Sports")
async def sports_list(services: Services, ctx: Context) -> Annotated[CallToolResult, SportList]:
    """All open sports with their competition names. Start here for sports betting."""
    call = call_for(services, ctx)
    fetched = await call.client.sports(jurisdiction=call.jurisdiction)
    sports = [SportSummary(name=str(item.get("name", "")),
                           competitions=[str(c.get("name"))
                                         for c in item.get("competitions") or []])
              for item in records(fetched.data, "sports", "sports")]
    return structured(SportList(sports=sports, source=source(fetched)))


@upstream_tool(title="Competitions of a sport")
async def sport_competitions(services: Services, ctx: Context, sport: Sport
                             ) -> Annotated[CallToolResult, SportCompetitions]:
    """One sport's competitions (and tennis/golf tournaments)."""
    call = call_for(services, ctx)
    try:
        fetched = await call.client.competitions(sport, jurisdiction=call.jurisdiction)
    except NotFound:
        raise await unknown_sport_hint(call, sport) from None
    comps = [CompetitionSummary(
        name=str(c.get("name", "")), has_markets=c.get("hasMarkets"),
        tournaments=[str(t.get("name")) for t in c.get("tournaments") or []] or None)
        for c in records(fetched.data, "competitions", "sports/{sport}/competitions")]
    return structured(SportCompetitions(sport=sport, competitions=comps,
                                        source=source(fetched)))


@upstream_tool(title="Matches of a competition")
async def competition_matches(
    services: Services, ctx: Context, sport: Sport, competition: Competition,
    tournament: Annotated[str | None, Field(
        description="Tournament (tennis, golf), e.g. 'Australian Open'.",
        max_length=150)] = None,
) -> Annotated[CallToolResult, CompetitionMatches]:
    """A competition's (or tournament's) matches with start times and their main markets
    priced. E.g. sport='AFL Football', competition='AFL'."""
    call = call_for(services, ctx)
    try:
        if tournament:
            fetched = await call.client.tournament(sport, competition, tournament,
                                                   jurisdiction=call.jurisdiction)
        else:
            fetched = await call.client.competition(sport, competition,
                                                    jurisdiction=call.jurisdiction)
    except NotFound:
        raise await unknown_sport_hint(call, sport) from None
    matches = [match_summary(m, _MAIN_MARKETS)
               for m in records(fetched.data, "matches", "sports/.../matches")]
    return structured(CompetitionMatches(sport=sport, competition=competition,
                                         tournament=tournament, matches=matches,
                                         source=source(fetched)))


@upstream_tool(title="Match markets")
async def match_markets(
    services: Services, ctx: Context, sport: Sport, competition: Competition, match: MatchName,
    tournament: Annotated[str | None, Field(
        description="Tournament, for tennis/golf matches.", max_length=150)] = None,
) -> Annotated[CallToolResult, MatchDetail]:
    """Every market and proposition of one match, with prices and market percentages."""
    call = call_for(services, ctx)
    try:
        if tournament:
            fetched = await call.client.tournament_match(
                sport, competition, tournament, match, jurisdiction=call.jurisdiction)
        else:
            fetched = await call.client.match(sport, competition, match,
                                              jurisdiction=call.jurisdiction)
    except NotFound:
        raise await unknown_sport_hint(call, sport) from None
    return structured(MatchDetail(sport=sport, competition=competition,
                                  match=match_summary(body_object(fetched.data, "sports/.../match"),
                                                      None),
                                  source=source(fetched)))


@upstream_tool(title="Sports next to go")
async def sports_next_to_go(
    services: Services, ctx: Context,
    limit: Annotated[int, Field(description="How many matches.", ge=1, le=100)] = 10,
    within_hours: Annotated[int | None, Field(
        description="Only matches starting within this many hours.", ge=1, le=168)] = None,
    open_only: Annotated[bool, Field(description="Only matches open for betting.")] = True,
) -> Annotated[CallToolResult, SportsNextToGo]:
    """Sports matches starting soonest, across all sports."""
    call = call_for(services, ctx)
    fetched = await call.client.sports_next_to_go(
        limit=limit, next=f"{within_hours}h" if within_hours else None, open_only=open_only,
        jurisdiction=call.jurisdiction)
    now = datetime.now(UTC)
    matches = [next_match(m, now)
               for m in records(fetched.data, "matches", "sports/next-to-go")]
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
    fetched = await call.client.sports_results(sport, competition, match,
                                               jurisdiction=call.jurisdiction)
    return structured(_passthrough(fetched))


@upstream_tool(title="FootyTAB rounds")
async def footy_rounds(
    services: Services, ctx: Context, sport: Sport) -> Annotated[CallToolResult, Passthrough]:
    """FootyTAB tipping rounds of a football code, e.g. sport='AFL Football'. The upstream
    shape is unverified: fields are passed through without HAL links."""
    call = call_for(services, ctx)
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
