"""Racing futures: all-in fixed-odds markets on coming feature races (the `futures` date)."""

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import Field

from app.services import Services
from app.tab.client import Fetched
from app.tab.errors import InvalidInput
from app.tab.shapes import record_list, records
from app.tools.base import structured
from app.tools.calls import call_for, source, upstream_tool
from app.tools.models.futures import FuturesEvent, FuturesRunner, RacingFutures
from app.tools.shaping.racing import race_card

FUTURES = "futures"
_RUNNER_FIELDS = set(FuturesRunner.model_fields)


#: The endpoint label the shape boundary names in its log lines.
_FUTURES = "racing/dates/futures/meetings"

def futures_events(meetings: list[dict[str, Any]]) -> list[FuturesEvent]:
    """Every market of the futures meetings list."""
    return [FuturesEvent(meeting=str(m.get("meetingName", "")), name=str(r.get("raceName", "")),
                         date=r.get("meetingDate"))
            for m in meetings
            for r in record_list(m.get("races"), "races", _FUTURES) if r.get("raceName")]


def _matching(events: list[FuturesEvent], wanted: str, attribute: str) -> list[FuturesEvent]:
    text = wanted.strip().casefold()
    exact = [e for e in events if getattr(e, attribute).casefold() == text]
    return exact or [e for e in events if text and text in getattr(e, attribute).casefold()]


def find_event(events: list[FuturesEvent], race: str, meeting: str | None) -> FuturesEvent:
    """The one market `race` (and `meeting`, if given) names, case-insensitively, whole or in
    part; otherwise `InvalidInput` listing the markets there are."""
    pool = _matching(events, meeting, "meeting") if meeting else events
    found = _matching(pool, race, "name")
    if len(found) == 1:
        return found[0]
    listed = "; ".join(f"{e.name} ({e.meeting})" for e in (found or events)[:30]) or "none"
    where = f" in meeting {meeting[:40]!r}" if meeting else ""
    if found:
        raise InvalidInput(f"race {race[:60]!r}{where} matches several futures markets: "
                           f"{listed}. Send the full name.")
    raise InvalidInput(f"no futures market {race[:60]!r}{where}; markets open: {listed}.")


def _no_meeting(events: list[FuturesEvent], meeting: str) -> list[FuturesEvent]:
    names = sorted({e.meeting for e in events})
    raise InvalidInput(f"no futures meeting {meeting[:40]!r}; meetings: "
                       f"{', '.join(names) or 'none'}.")


def futures_market(body: dict[str, Any], fetched: Fetched, *more: Fetched) -> RacingFutures:
    """A futures market shaped like a race card, runners shortest price first."""
    card = race_card(body)
    runners = [FuturesRunner(**runner.model_dump(include=_RUNNER_FIELDS))
               for runner in card.runners]
    runners.sort(key=lambda r: (r.fixed_win is None, r.fixed_win or 0.0, r.number))
    return RacingFutures(meeting=card.venue, name=card.name, date=card.date,
                         start_local=card.start_local, status=card.status,
                         market_pct=card.market_pct, runners=runners,
                         source=source(fetched, *more))


@upstream_tool(title="Racing futures")
async def racing_futures(
    services: Services, ctx: Context,
    race: Annotated[str | None, Field(description="Market name, e.g. 'melbourne cup'; omit to "
                                      "list markets", max_length=100)] = None,
    meeting: Annotated[str | None, Field(description="Futures meeting, e.g. 'Racing Futures'",
                                         max_length=60)] = None,
) -> Annotated[CallToolResult, RacingFutures]:
    """Futures (all-in) markets, racing_dates' 'futures'. No race: every market. With race:
    fixed prices, open, movement, probability, market %. Shape unverified upstream."""
    call = call_for(services, ctx)
    listed = await call.client.meetings(FUTURES, jurisdiction=call.jurisdiction)
    events = futures_events(records(listed.data, "meetings", _FUTURES))
    if race is None:
        if meeting:
            events = _matching(events, meeting, "meeting") or _no_meeting(events, meeting)
        return structured(RacingFutures(markets=events, source=source(listed)))
    event = find_event(events, race, meeting)
    fetched = await call.client.race(FUTURES, "R", event.meeting, event.name,
                                     jurisdiction=call.jurisdiction)
    body = fetched.data if isinstance(fetched.data, dict) else {}
    return structured(futures_market(body, fetched, listed))
