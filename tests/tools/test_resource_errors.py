"""The race card resource refuses bad URIs with the same actionable text the tools give, as
invalid params (-32602)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS

from tests.support.stack import Stack, running_stack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack() as running:
        yield running


@pytest.mark.anyio
@pytest.mark.parametrize(("uri", "expected", "code"), [
    ("tab://racing/today/X/Randwick/1", "race_type must be R, H or G", INVALID_PARAMS),
    ("tab://racing/today/R/Randwick/0", "race_number must be a number from 1 to 99",
     INVALID_PARAMS),
    ("tab://racing/today/R/Randwick/%D9%A3", "race_number must be a number from 1 to 99",
     INVALID_PARAMS),
    ("tab://racing/someday/R/Randwick/1", "send YYYY-MM-DD", INVALID_PARAMS),
    ("tab://racing/today/R/Nowhere%20Park/1", "meeting at 'Nowhere Park'", INVALID_PARAMS),
])
async def test_bad_race_card_uris_are_refused_with_what_to_send(
        stack: Stack, uri: str, expected: str, code: int) -> None:
    async with Client(stack.mcp_url) as client:
        with pytest.raises(MCPError) as error:
            await client.read_resource(uri)
    assert expected in str(error.value)
    # An argument error, not a server fault: invalid params, as for a tool's arguments.
    assert error.value.error.code == code
