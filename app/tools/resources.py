"""Resources (the race card, next-to-go), argument completions and punters' prompts."""

from datetime import UTC, datetime

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    Completion,
    CompletionArgument,
    CompletionContext,
    PromptReference,
)
from mcp_types import ResourceTemplateReference as TemplateRef

from app.domain.race_types import RACE_TYPES
from app.services import Services
from app.tab.errors import BadRequest, InvalidInput, NotFound, TabError
from app.tab.shapes import nested_object, records
from app.tools.base import compact_json
from app.tools.calls import bind_services, call_for, describe, source
from app.tools.racing import MEETINGS, fetch_race
from app.tools.shaping.racing import race_card
from app.tools.timezones import DateError, resolve_date

RACE_CARD_URI = "tab://racing/{date}/{race_type}/{venue}/{race_number}"
NEXT_TO_GO_URI = "tab://racing/next-to-go"
_COMPLETIONS = 20
_NEXT_TO_GO = "racing/next-to-go/races"
#: The resources (URIs and URI templates) and prompts each toolset's registrars add: a
#: session's toolsets decide which of them it sees.
RACING_SURFACE = frozenset({RACE_CARD_URI, NEXT_TO_GO_URI, "race_preview",
                            "next_to_go_briefing"})
SPORTS_SURFACE = frozenset({"match_preview"})


def _invalid(message: str, uri: str) -> MCPError:
    """A resource argument error: invalid params (-32602), like a tool argument error."""
    return MCPError(code=INVALID_PARAMS, message=message, data={"uri": uri})


async def race_card_resource(services: Services, date: str, race_type: str, venue: str,
                             race_number: str, ctx: Context) -> str:
    """The race card summary named by a `RACE_CARD_URI`."""
    uri = RACE_CARD_URI.format(date=date, race_type=race_type, venue=venue,
                               race_number=race_number)
    if not race_number.isascii() or not race_number.isdigit() or not 1 <= int(race_number) <= 99:
        raise _invalid("race_number must be a number from 1 to 99", uri)
    if race_type.upper() not in RACE_TYPES:
        raise _invalid("race_type must be R, H or G", uri)
    try:
        call = call_for(services, ctx)
        _, fetched, body = await fetch_race(call, date, venue, int(race_number),
                                            race_type.upper())
    except DateError as exc:
        raise _invalid(str(exc), uri) from None
    except (InvalidInput, NotFound, BadRequest) as exc:
        raise _invalid(describe(exc), uri) from None
    except TabError as exc:
        raise ResourceError(describe(exc)) from None
    card = race_card(body)
    card.source = source(fetched)
    return compact_json(card.model_dump(mode="json", exclude_none=True))


async def next_to_go_resource(services: Services) -> str:
    """The next 10 races to jump, in brief."""
    call = call_for(services)
    try:
        fetched = await call.client.next_to_go(max_races=10, jurisdiction=call.jurisdiction)
        listed = records(fetched.data, "races", _NEXT_TO_GO)
        races = [{"venue": meeting.get("meetingName"), "meeting_date": meeting.get("meetingDate"),
                  "venue_code": meeting.get("venueMnemonic"), "race_type": meeting.get("raceType"),
                  "race_number": r.get("raceNumber"), "name": r.get("raceName"),
                  "start_utc": r.get("raceStartTime")}
                 for r in listed for meeting in [nested_object(r, "meeting", _NEXT_TO_GO)]]
    except TabError as exc:
        raise ResourceError(describe(exc)) from None
    return compact_json({"races": races,
                         "source": source(fetched).model_dump(mode="json")})


def register_resources(server: MCPServer, services: Services) -> None:
    """The race card as a resource template, next-to-go as a resource."""
    server.resource(RACE_CARD_URI, name="race_card", mime_type="application/json",
                    title="Race card",
                    description="Race card summary, e.g. tab://racing/today/R/Randwick/4")(
        bind_services(race_card_resource, services))
    server.resource(NEXT_TO_GO_URI, name="next_to_go", mime_type="application/json",
                    title="Next to go",
                    description="The next 10 races to jump across all venues")(
        bind_services(next_to_go_resource, services))


def register_completions(server: MCPServer, services: Services) -> None:
    """Complete `venue` (today's meetings) and `sport` (open sports) arguments."""

    async def complete(ref: PromptReference | TemplateRef, argument: CompletionArgument,
                       context: CompletionContext | None) -> Completion | None:
        del ref
        prefix = argument.value.strip().lower()
        try:
            if argument.name == "venue":
                names = await _venue_names(services, context)
            elif argument.name == "sport":
                call = call_for(services)
                fetched = await call.client.sports(jurisdiction=call.jurisdiction)
                names = [str(s.get("name")) for s in records(fetched.data, "sports", "sports")]
            else:
                return None
        except (TabError, DateError):
            return Completion(values=[])
        matches = [n for n in names if n.lower().startswith(prefix)] or [
            n for n in names if prefix in n.lower()]
        return Completion(values=matches[:_COMPLETIONS], total=len(matches),
                          has_more=len(matches) > _COMPLETIONS)

    # The SDK's completion decorator is untyped; `complete` itself is fully typed.
    server.completion()(complete)  # type: ignore[no-untyped-call]


async def _venue_names(services: Services, context: CompletionContext | None) -> list[str]:
    """Venue names racing on the date given so far (today by default)."""
    known = (context.arguments or {}) if context else {}
    day = resolve_date(known.get("date") or "today", datetime.now(UTC))
    call = call_for(services)
    fetched = await call.client.meetings(day, jurisdiction=call.jurisdiction)
    race_type = known.get("race_type")
    return sorted({str(m.get("meetingName")) for m in records(fetched.data, "meetings", MEETINGS)
                   if m.get("venueMnemonic") and (not race_type or m.get("raceType") == race_type)})


def race_preview(venue: str, race_number: str, date: str = "today") -> str:
    """Preview one race: market, chances, movers, speed and form."""
    return (
        f"Preview race {race_number} at {venue} ({date}).\n"
        f"1. Call race_card with venue={venue!r}, race_number={race_number}, date={date!r}.\n"
        "2. Call race_form for the same race.\n"
        "Then summarise: start time (local) and minutes to jump, track and weather; the "
        "favourite and market percentage; the top chances by win_prob_pct; runners firming "
        "or drifting (move_pct_day_open, move_pct_first_open, flucs); the likely speed map "
        "(speed bands, barriers, rail); key form notes (records at track, distance and going; "
        "first/second up; recent starts, trials apart). Mention scratchings and say how old "
        "the prices are (odds_updated, source.age_seconds). If source.sandbox "
        "is true, say the data is simulated."
    )


def next_to_go_briefing(count: str = "5", race_type: str = "") -> str:
    """A quick briefing on the next races to jump and their market movers."""
    kind = f", race_type={race_type!r}" if race_type else ""
    return (
        f"Brief me on the next {count} races to jump.\n"
        f"1. Call next_to_go with count={count}{kind}.\n"
        f"2. Call market_movers with races={count}{kind}.\n"
        "For each race give venue, race number, local start and minutes to jump, and any "
        "runner firming or drifting strongly. Keep it to a few lines per race."
    )


def register_racing_prompts(server: MCPServer, services: Services) -> None:
    """Racing prompts a punter would use; each steers the agent to the right tools."""
    del services  # prompts are static text
    server.prompt(title="Race preview")(race_preview)
    server.prompt(title="Next-to-go briefing")(next_to_go_briefing)


def match_preview(sport: str, competition: str, match: str) -> str:
    """Preview a sports match from its markets."""
    return (
        f"Preview {match} ({competition}, {sport}).\n"
        f"Call match_markets with sport={sport!r}, competition={competition!r}, "
        f"match={match!r}. Summarise head to head prices and implied chances, the line and "
        "totals, and any notable side markets; give each market's market_pct. If the match "
        "is not found, call competition_matches to list the competition's matches."
    )


def register_sports_prompts(server: MCPServer, services: Services) -> None:
    """A sports prompt that steers the agent to the match tools."""
    del services  # prompts are static text
    server.prompt(title="Match preview")(match_preview)
