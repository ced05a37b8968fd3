"""What the racing tools share: their argument types and how a venue argument becomes a
meeting, a race and a race card."""

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from datetime import date as date_type
from typing import Annotated, Any, Literal, get_args

from mcp_types import CallToolResult
from pydantic import Field

from app.domain.race_types import RaceType
from app.tab.client import Fetched
from app.tab.errors import TabError
from app.tab.shapes import body_object, records
from app.tools.base import ResultTemplate
from app.tools.calls import Call, source, source_data
from app.tools.racing_args import outside_window
from app.tools.shaping.racing import minutes_to, race_card
from app.tools.timezones import australian_today, parse_utc, resolve_date
from app.venues.names import NotRacing, check_venue, races_on, resolve_meeting

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
Location = Annotated[str | None, Field(description="State or country code: VIC, USA…",
                                       max_length=40)]


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
    try:
        meeting = await call.venues.meeting((call.jurisdiction, day), day, venue, race_type,
                                            race_number, _day_fetcher(call, day))
    except NotRacing as exc:
        raise NotRacing(f"{exc.message} {await _nearest_day(call, day, venue, race_type)}"
                        ) from None
    return meeting, day


_LISTS_VENUES = "racing_meetings lists the venues and codes racing on a date"


def _day_fetcher(call: Call, day: str) -> Callable[[], Awaitable[list[dict[str, Any]]]]:
    async def fetch() -> list[dict[str, Any]]:
        return (await day_meetings(call, day))[0]

    return fetch


async def _nearest_day(call: Call, day: str, venue: str, race_type: str | None) -> str:
    """Which date of the published window (yesterday, today, tomorrow) `venue` races on,
    nearest to `day` first (the later on a tie): at most two more meetings lists, read
    through the directory. An upstream fault there only leaves the date out."""
    today = australian_today()
    window = {(today + timedelta(days=shift)).isoformat(): name
              for shift, name in ((-1, "yesterday"), (0, "today"), (1, "tomorrow"))}
    asked = date_type.fromisoformat(day)
    nearest = sorted((d for d in window if d != day),
                     key=lambda d: (abs((date_type.fromisoformat(d) - asked).days), d < day))
    for other in nearest:
        try:
            meetings = await call.venues.meetings((call.jurisdiction, other),
                                                  _day_fetcher(call, other))
        except TabError:
            return f"{_LISTS_VENUES}."
        if races_on(meetings, venue, race_type):
            return f"It races on {other} ({window[other]}): send date='{other}'."
    return f"It does not race yesterday, today or tomorrow; {_LISTS_VENUES}."


async def fetch_race(call: Call, date: str, venue: str, race_number: int,
                     race_type: str | None) -> tuple[dict[str, Any], Fetched, dict[str, Any]]:
    """The meeting, the race detail fetch and its body."""
    meeting, day = await locate(call, date, venue, race_type, race_number)
    fetched = await call.client.race(day, meeting["raceType"], meeting["venueMnemonic"],
                                     race_number, jurisdiction=call.jurisdiction)
    return meeting, fetched, body_object(fetched.data, RACE)


#: The fields of a race card summary that change with the clock rather than the data.
_CARD_VOLATILE = ("minutes_to_jump", "source")


def card_summary(fetched: Fetched, body: dict[str, Any], rail: str | None = None
                 ) -> CallToolResult:
    """The race card summary of a race detail fetch (`rail`: the meeting's rail position).

    A race is shaped once per upstream fetch (kept in `Fetched.memo`, so cache hits and callers
    sharing a coalesced fetch reuse it); each call renews only the minutes to the jump and the
    data-source block.
    """
    memo: tuple[ResultTemplate, datetime | None] | None = fetched.memo.get("race_card")
    if memo is None:
        card = race_card(body, rail=rail)
        card.source = source(fetched)
        volatile = tuple(key for key in _CARD_VOLATILE if getattr(card, key) is not None)
        memo = ResultTemplate(card, volatile), parse_utc(body.get("raceStartTime"))
        fetched.memo["race_card"] = memo
    template, start = memo
    return template.render(minutes_to_jump=minutes_to(start, datetime.now(UTC)),
                           source=source_data(fetched))
