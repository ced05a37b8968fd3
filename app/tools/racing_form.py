"""Racing tools for form and pools: race form, one runner's form, exotic pool approximates and
jackpots."""

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.services import Services
from app.tab.errors import NotFound
from app.tab.shapes import body_object, record_list, records
from app.tools.base import structured
from app.tools.calls import call_for, source, upstream_tool
from app.tools.models.racing import Approximate, Approximates, Jackpots, OneRunnerForm, RaceForm
from app.tools.racing import RACE, DateArg, Product, RaceNumber, RaceTypeArg, Venue, locate
from app.tools.shaping.form import runner_form
from app.tools.timezones import resolve_date

#: Combinations of an exotic pool listed at most (shortest-priced first).
_APPROXIMATES_CAP = 40
_APPROXIMATES = "racing/.../pools/{product}/approximates"
_JACKPOTS = "racing/jackpots"


@upstream_tool(title="Race form")
async def race_form(
    services: Services, ctx: Context,
    venue: Venue, race_number: RaceNumber, date: DateArg = "today",
    race_type: RaceTypeArg = None,
) -> Annotated[CallToolResult, RaceForm]:
    """Form guide for every runner: every record (career, track, distance, going, class,
    first/second up), days since last run, last three starts, trials apart, TAB comment."""
    call = call_for(services, ctx)
    meeting, day = await locate(call, date, venue, race_type, race_number)
    fetched = await call.client.race_form(day, meeting["raceType"], meeting["venueMnemonic"],
                                          race_number, jurisdiction=call.jurisdiction)
    entries = records(fetched.data, "form", "racing/.../races/{raceNumber}/form")
    return structured(RaceForm(
        venue=str(meeting.get("meetingName")), race_number=race_number,
        runners=[runner_form(e, recent=3, comment_chars=300) for e in entries],
        source=source(fetched)))


@upstream_tool(title="Runner form", name="runner_form")
async def runner_form_tool(
    services: Services, ctx: Context, venue: Venue, race_number: RaceNumber,
    runner_number: Annotated[int, Field(description="Runner (saddlecloth) number.",
                                        ge=1, le=40)],
    date: DateArg = "today", race_type: RaceTypeArg = None,
) -> Annotated[CallToolResult, OneRunnerForm]:
    """One runner's full form: every record, last ten starts and trials, the full comment."""
    call = call_for(services, ctx)
    meeting, day = await locate(call, date, venue, race_type, race_number)
    try:
        fetched = await call.client.runner_form(
            day, meeting["raceType"], meeting["venueMnemonic"], race_number, runner_number,
            jurisdiction=call.jurisdiction)
    except NotFound:
        race = await call.client.race(day, meeting["raceType"], meeting["venueMnemonic"],
                                      race_number, jurisdiction=call.jurisdiction)
        numbers = [r.get("runnerNumber") for r in records(race.data, "runners", RACE)]
        raise ToolError(f"runner {runner_number} is not in {meeting.get('meetingName')} race "
                        f"{race_number}; its runners are {numbers}.") from None
    body = body_object(fetched.data, "racing/.../runners/{runnerNumber}/form")
    return structured(OneRunnerForm(
        venue=str(meeting.get("meetingName")), race_number=race_number,
        runner=runner_form(body, recent=10, comment_chars=1500), source=source(fetched)))


@upstream_tool(title="Pool approximates")
async def pool_approximates(
    services: Services, ctx: Context, venue: Venue, race_number: RaceNumber,
    product: Product,
    date: DateArg = "today", race_type: RaceTypeArg = None,
) -> Annotated[CallToolResult, Approximates]:
    """Approximate dividends of a Quinella, Exacta or Duet pool (Tabcorp publishes no
    others), shortest-priced first."""
    call = call_for(services, ctx)
    meeting, day = await locate(call, date, venue, race_type, race_number)
    fetched = await call.client.approximates(
        day, meeting["raceType"], meeting["venueMnemonic"], race_number, product,
        jurisdiction=call.jurisdiction)
    items = [Approximate(selections=[int(s) for s in a.get("selections") or []],
                         returns=float(a.get("return") or 0))
             for a in records(fetched.data, "approximates", _APPROXIMATES)
             if isinstance(a.get("return"), int | float) and a.get("return")]
    items.sort(key=lambda a: a.returns)
    return structured(Approximates(
        venue=str(meeting.get("meetingName")), race_number=race_number, product=product,
        combinations=len(items), approximates=items[:_APPROXIMATES_CAP],
        truncated=len(items) > _APPROXIMATES_CAP, source=source(fetched)))


@upstream_tool(title="Racing jackpots")
async def racing_jackpots(
    services: Services, ctx: Context,
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


def _jackpot_items(data: Any) -> list[dict[str, Any]]:
    """Jackpot entries without HAL links (the shape is unverified, so keep the rest)."""
    # Unverified shape: a bare list of jackpots is taken as readily as {"jackpots": [...]}.
    items = (record_list(data, "the body", _JACKPOTS) if isinstance(data, list)
             else records(data, "jackpots", _JACKPOTS))
    return [{k: v for k, v in item.items() if k != "_links"} for item in items]
