"""Reads of Tabcorp's results history, a sibling of the info service on the same host.

It keeps past days after the info service has let them go. Its jurisdiction is a path segment
(the client sends the query parameter as well, which it ignores), its venue mnemonics may differ
from the info service's (metropolitan meetings can be a single letter), and a date it does not
hold answers with the error code `NOT_FOUND_ERROR`, which becomes `NotFound` here whether it
comes as a 404 or inside a 200 body.
"""

from __future__ import annotations

from typing import Any

from app.tab import paths
from app.tab.client import Fetched, TabClient
from app.tab.errors import NotFound


def _jurisdiction(client: TabClient, jurisdiction: str | None) -> str:
    return jurisdiction if jurisdiction is not None else client.settings.tab_jurisdiction


def _checked(fetched: Fetched, what: str) -> Fetched:
    """`fetched`, unless its body is the service's error envelope."""
    data: Any = fetched.data
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        code = error.get("code") if isinstance(error.get("code"), str) else None
        raise NotFound(f"the results history has no {what}", status=200, code=code)
    return fetched


async def history_meetings(client: TabClient, day: str, *,
                           jurisdiction: str | None = None) -> Fetched:
    """The meetings of a past `day` (YYYY-MM-DD) with their races and results."""
    code = _jurisdiction(client, jurisdiction)
    fetched = await client._get(paths.history_meetings(code, day), client.ttls.race_final, code)
    return _checked(fetched, f"meetings for {day}")


async def history_race(client: TabClient, day: str, venue: str, race_type: str,
                       race_number: int, *, jurisdiction: str | None = None) -> Fetched:
    """One past race with placings, runners' finishing positions and every dividend; `venue` is
    the mnemonic the results history itself gives the meeting."""
    code = _jurisdiction(client, jurisdiction)
    route = paths.history_race(code, day, venue, race_type, race_number)
    fetched = await client._get(route, client.ttls.race_final, code)
    return _checked(fetched, f"race {race_number} at {venue} on {day}")
