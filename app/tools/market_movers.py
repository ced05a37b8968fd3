"""Market movers: runners firming and drifting since their opening price in the next races."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.services import Services
from app.tab.client import Fetched
from app.tab.next_races import next_races, next_to_go_depth
from app.tab.shapes import body_object, record_list
from app.tools.base import structured
from app.tools.calls import Call, call_for, source, upstream_tool
from app.tools.models.racing import MarketMovers, Mover
from app.tools.racing import MEETINGS, RACE, RaceTypeArg, resolve
from app.tools.shaping.racing import race_card


@upstream_tool(title="Market movers")
async def market_movers(
    services: Services, ctx: Context,
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
        card = race_card(body_object(fetched.data, RACE))
        for runner in card.runners:
            move = runner.move_pct_first_open
            if move is None or abs(move) < min_move_pct:
                continue
            mover = Mover(venue=card.venue, meeting_date=card.date, venue_code=card.venue_code,
                          race_type=card.race_type, race_number=card.race_number,
                          minutes_to_jump=card.minutes_to_jump, number=runner.number,
                          name=runner.name, open=runner.first_open or 0,
                          now=runner.fixed_win or 0, move_pct=move,
                          flucs=runner.flucs)
            (firming if move < 0 else drifting).append(mover)
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
        stubs = [r for r in record_list(meeting.get("races"), "races", MEETINGS)
                 if r.get("raceStatus") == "Normal"]
        return [(day, meeting["raceType"], (meeting["venueMnemonic"], int(r["raceNumber"])))
                for r in stubs[:count]]
    fetched = await call.client.next_to_go(max_races=next_to_go_depth(count),
                                           jurisdiction=call.jurisdiction)
    return [(race.date, race.race_type, (race.venue, race.race_number))
            for race in next_races(fetched.data, count, race_type)]
