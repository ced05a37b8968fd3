"""Reads of the results history against the sandbox: paths, jurisdiction in the path, and
NOT_FOUND_ERROR as NotFound however it arrives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from app.tab import paths
from app.tab.errors import InvalidInput, NotFound
from app.tab.history import history_meetings, history_race
from tests.tab.conftest import Sandbox

pytestmark = pytest.mark.anyio

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


def test_history_paths_put_the_venue_before_the_type() -> None:
    route = paths.history_race("vic", "2026-09-20", "M", "r", 7)
    assert route.path == f"{paths.HISTORY_ROOT}/VIC/racing/2026-09-20/M/R/races/7"
    assert route.template == (f"{paths.HISTORY_ROOT}/{{jurisdiction}}/racing/{{date}}/{{venue}}/"
                              "{race_type}/races/{race_number}")
    day = paths.history_meetings("NSW", date(2026, 9, 20))
    assert day.path == f"{paths.HISTORY_ROOT}/NSW/racing/2026-09-20"


@pytest.mark.parametrize(("args", "what"), [
    (("WA", "2026-09-20"), "jurisdiction"), (("NSW", "today"), "YYYY-MM-DD"),
    (("NSW", "futures"), "YYYY-MM-DD"), (("NSW", "2026-02-30"), "calendar"),
    (("NSW", "2026-09-20", "a/b", "R", 1), "venue"), (("NSW", "2026-09-20", "M", "X", 1),
                                                       "race_type"),
    (("NSW", "2026-09-20", "M", "R", 0), "race_number"),
    (("NSW", "2026-09-20", "%2e%2e", "R", 1), "venue"),
])
def test_history_paths_refuse_bad_segments(args: tuple[Any, ...], what: str) -> None:
    builder: Callable[..., object] = (paths.history_meetings if len(args) == 2
                                   else paths.history_race)
    with pytest.raises(InvalidInput) as raised:
        builder(*args)
    assert what in raised.value.message


async def test_history_reads_follow_the_days_own_links(sandbox: Sandbox) -> None:
    client = sandbox.client()
    listed = await history_meetings(client, YESTERDAY, jurisdiction="QLD")
    meeting = listed.data["meetings"][0]
    stub = meeting["races"][0]
    race = await history_race(client, YESTERDAY, meeting["venueMnemonic"], meeting["raceType"],
                              stub["raceNumber"], jurisdiction="QLD")
    assert race.data["results"] == stub["results"] and race.sandbox
    seen = [unquote(r.path) for r in sandbox.recorder.requests
            if r.path.startswith(paths.HISTORY_ROOT)]
    assert seen[-1] == unquote(urlsplit(stub["_links"]["self"]).path)
    assert "/QLD/racing/" in seen[-1]


async def test_not_found_error_is_not_found_as_404_or_in_a_200(sandbox: Sandbox) -> None:
    client = sandbox.client()
    with pytest.raises(NotFound) as missing:
        await history_meetings(client, "2001-01-01")
    assert missing.value.code == "NOT_FOUND_ERROR"
    body = {"error": {"code": "NOT_FOUND_ERROR", "message": "No results", "details": []}}
    await sandbox.override(f"{paths.HISTORY_ROOT}/NSW/racing/2002-02-02", body, status=200)
    with pytest.raises(NotFound) as inside:
        await history_meetings(client, "2002-02-02", jurisdiction="NSW")
    assert inside.value.code == "NOT_FOUND_ERROR"
