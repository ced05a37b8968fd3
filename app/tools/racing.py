"""What the racing tools share: their argument types and how a venue argument becomes a
meeting, a race and a race card."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, get_args

from mcp_types import CallToolResult
from pydantic import Field

from app.domain.race_types import RaceType
from app.tab.client import Fetched
from app.tab.shapes import body_object, records
from app.tools.base import ResultTemplate
from app.tools.calls import Call, source
from app.tools.racing_args import outside_window
from app.tools.shaping.racing import minutes_to, race_card
from app.tools.timezones import parse_utc, resolve_date
from app.venues.names import check_venue, resolve_meeting

#: The pools Tabcorp publishes per-combination approximates for (the race card links them).
Product = Literal["Quinella", "Exacta", "Duet"]
#: Every `Product`.
APPROXIMATE_PRODUCTS: tuple[str, ...] = get_args(Product)
#: The endpoint labels the shape boundary names in its log lines.
MEETINGS = "racing/dates/{date}/meetings"
RACE = "racing/.../races/{raceNumber}"

Venue = Annotated[str, Field(description="Name or code: 'Randwick', 'RAN', 'gold coast dogs'",
                             max_length=80)]
DateArg = Annotated[str, Field(description="today, tomorrow or YYYY-MM-DD (AU)", max_length=40)]
RaceNumber = Annotated[int, Field(ge=1, le=99)]
RaceTypeArg = Annotated[RaceType | None, Field(
    description="R gallops, H harness, G greyhounds")]


async def day_meetings(call: Call, day: str) -> tuple[list[dict[str, Any]], Fetched]:
    """The meetings of `day` and their fetch; an error naming the published dates when the
    upstream has none for a day outside them (it answers such days with an empty list)."""
    fetched = await call.client.meetings(day, jurisdiction=call.jurisdiction)
    meetings = records(fetched.data, "meetings", MEETINGS)
    if not meetings and (error := outside_window(day)) is not None:
        raise error
    return meetings, fetched


async def resolve(call: Call, date: str, venue: str, race_type: str | None
                  ) -> tuple[dict[str, Any], Fetched, str]:
    """The meeting `venue` names on `date` as a fresh meetings list has it (race statuses and
    results included), that fetch, and the resolved date. The name is resolved by the venue
    directory, like every other venue argument."""
    identity, day = await locate(call, date, venue, race_type)
    meetings, fetched = await day_meetings(call, day)
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
        return (await day_meetings(call, day))[0]

    meeting = await call.venues.meeting((call.jurisdiction, day), day, venue, race_type,
                                        race_number, fetch)
    return meeting, day


async def fetch_race(call: Call, date: str, venue: str, race_number: int,
                     race_type: str | None) -> tuple[dict[str, Any], Fetched, dict[str, Any]]:
    """The meeting, the race detail fetch and its body."""
    meeting, day = await locate(call, date, venue, race_type, race_number)
    fetched = await call.client.race(day, meeting["raceType"], meeting["venueMnemonic"],
                                     race_number, jurisdiction=call.jurisdiction)
    return meeting, fetched, body_object(fetched.data, RACE)


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
