"""Every row that names a race opens it: the first rows of next_to_go, market_movers,
racing_meetings and meeting_races, sent back as they are to race_card, race_form,
pool_approximates and (once the race has paid) race_results, at several sandbox instants,
including hours when US and UK meetings filed under the previous Australian date are running.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest

from app.domain.zones import SYDNEY
from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from tests.support.stack import Stack, running_stack

Address = tuple[str, str, str, int]  # meeting_date, venue_code, race_type, race_number


def sydney(days: int, hour: int, minute: int = 0) -> datetime:
    today = datetime.now(UTC).astimezone(SYDNEY).date() + timedelta(days=days)
    return datetime.combine(today, time(hour, minute), SYDNEY).astimezone(UTC)


#: (Sydney day offset, hour): an Australian afternoon each day, and the small hours when the
#: previous day's UK (about 01:00-04:00) and US (about 05:00-10:00) meetings run.
INSTANTS = [(-1, 14), (0, 2), (0, 8), (0, 14), (1, 13)]


@pytest.fixture(scope="module")
def clocked() -> Iterator[tuple[Stack, Clock]]:
    clock = Clock(frozen_at=sydney(0, 12))
    with running_stack(SandboxOptions(clock=clock), tab_cache_enabled=False, tab_mcp_rate_limit=0,
                       tab_mcp_toolsets="racing,results") as stack:
        yield stack, clock


async def first_rows(stack: Stack) -> dict[str, Address]:
    """The address in the first row of each row-producing tool (where it has rows)."""
    rows: dict[str, Address] = {}
    to_go = (await stack.call("next_to_go", count=3))["races"]
    if to_go:
        r = to_go[0]
        rows["next_to_go"] = (r["meeting_date"], r["venue_code"], r["race_type"],
                              r["race_number"])
    movers = await stack.call("market_movers", races=2, min_move_pct=0)
    if movers["firming"] + movers["drifting"]:
        m = (movers["firming"] + movers["drifting"])[0]
        rows["market_movers"] = (m["meeting_date"], m["venue_code"], m["race_type"],
                                 m["race_number"])
    meetings = (await stack.call("racing_meetings"))["meetings"]
    upcoming = [m for m in meetings if m.get("next_race") and m.get("venue_code")]
    if upcoming:
        m = upcoming[0]
        rows["racing_meetings"] = (m["date"], m["venue_code"], m["race_type"], m["next_race"])
        races = (await stack.call("meeting_races", venue=m["venue_code"], date=m["date"],
                                  race_type=m["race_type"]))["races"]
        s = races[0]
        rows["meeting_races"] = (s["meeting_date"], s["venue_code"], s["race_type"],
                                 s["race_number"])
    return rows


async def open_everywhere(stack: Stack, clock: Clock, address: Address) -> None:
    day, code, kind, number = address
    where = {"venue": code, "date": day, "race_type": kind, "race_number": number}
    card = await stack.call("race_card", **where)
    assert (card["date"], card["venue_code"], card["race_type"], card["race_number"]) == address
    await stack.call("race_form", **where)
    await stack.call("pool_approximates", product="Quinella", **where)
    if card["status"] == "Abandoned":
        return
    now = clock.now()
    start = datetime.fromisoformat(card["start_utc"].replace("Z", "+00:00"))
    clock.set(max(now, start + timedelta(hours=2)))
    try:
        if (await stack.call("race_card", **where))["status"] != "Abandoned":
            result = await stack.call("race_results", **where)
            assert result["placings"] and result["race_number"] == number
    finally:
        clock.set(now)


@pytest.mark.anyio
async def test_first_rows_of_every_tool_open_with_every_race_tool(
        clocked: tuple[Stack, Clock]) -> None:
    stack, clock = clocked
    filed_earlier = []
    opened = 0
    for days, hour in INSTANTS:
        clock.set(sydney(days, hour))
        local_day = clock.now().astimezone(SYDNEY).date().isoformat()
        for tool, address in (await first_rows(stack)).items():
            await open_everywhere(stack, clock, address)
            opened += 1
            if address[0] < local_day:
                filed_earlier.append((tool, address))
    assert opened >= 2 * len(INSTANTS)
    # US and UK meetings run after Sydney's midnight, filed under the previous date.
    assert filed_earlier
