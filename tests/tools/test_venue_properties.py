"""Properties of venue resolution over HTTP, across the sandbox's whole venue table and the
published window's days: an exact code never opens another code's meeting, and no race card is
ever returned for a venue that is not racing on the date asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from app.domain.zones import SYDNEY
from app.sandbox.world.venues import VENUES
from tests.support.stack import Stack, running_stack

CODES = {v.mnemonic for v in VENUES if v.mnemonic}
_TYPE_WORDS = {"R": "gallops", "H": "trots", "G": "dogs"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    # Each example opens its own MCP session: more requests a second than a client would send.
    with running_stack(tab_mcp_toolsets="racing", tab_mcp_rate_limit=0) as running:
        yield running


@pytest.fixture(scope="module")
def racing(stack: Stack) -> dict[str, set[tuple[str, str]]]:
    """(code, race type) of every tote meeting, by date of the window."""
    today = datetime.now(UTC).astimezone(SYDNEY).date()
    days = [(today + timedelta(days=shift)).isoformat() for shift in (-1, 0, 1)]
    return {day: {(m["venueMnemonic"], m["raceType"])
                  for m in stack.upstream(f"/racing/dates/{day}/meetings")["meetings"]
                  if m.get("venueMnemonic")} for day in days}


@st.composite
def venue_inputs(draw: st.DrawFn) -> str:
    """A code or name from the venue table, as an agent might type it."""
    venue = draw(st.sampled_from(VENUES))
    name = venue.name
    forms = [name, name.title(), name.lower(), f"{name.title()} {_TYPE_WORDS[venue.race_type]}",
             name[:-1], name[1:], name.split()[0], name.split()[-1]]
    if venue.mnemonic:
        forms += [venue.mnemonic, venue.mnemonic.lower(), venue.mnemonic[:2] + "X"]
    return draw(st.sampled_from(forms))


async def race_card(stack: Stack, arguments: dict[str, Any]) -> dict[str, Any] | None:
    async with Client(stack.mcp_url) as client:
        result = await client.call_tool("race_card", arguments)
    if result.is_error:
        text = result.content[0].text  # type: ignore[union-attr]
        assert "Traceback" not in text and text.strip(), text
        return None
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(venue=venue_inputs(), shift=st.sampled_from([0, 1, 2]),
       race_type=st.sampled_from([None, "R", "H", "G"]))
def test_no_input_opens_another_code_or_a_venue_not_racing(
        stack: Stack, racing: dict[str, set[tuple[str, str]]], venue: str, shift: int,
        race_type: str | None) -> None:
    day = sorted(racing)[shift]
    arguments: dict[str, Any] = {"venue": venue, "race_number": 1, "date": day}
    if race_type:
        arguments["race_type"] = race_type
    card = anyio.run(race_card, stack, arguments)
    if card is None:
        return
    assert card["date"] == day
    assert (card["venue_code"], card["race_type"]) in racing[day]
    if venue.upper() in CODES:
        assert card["venue_code"] == venue.upper()
    if race_type:
        assert card["race_type"] == race_type
