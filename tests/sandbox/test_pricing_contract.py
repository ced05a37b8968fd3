"""The sandbox's public pricing enquiry, for same-game multis: the request body and the answer
fields the API notes give (`bets[].status`, `legs[].odds.decimal`, `redundantPropositions`),
deterministic prices below the legs' product, refusals that name the proposition."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx2
import pytest

from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from app.tab.pricing import PRICING_PATHS, enquiry_body
from tests.sandbox.world_support import BASE, INSTANT

pytestmark = pytest.mark.anyio

ENQUIRY = PRICING_PATHS["enquiry"]
NRL = "/sports/Rugby%20League/competitions/NRL"


@asynccontextmanager
async def host(instant: datetime = INSTANT) -> AsyncIterator[httpx2.AsyncClient]:
    app = create_sandbox_app(SandboxOptions(clock=Clock(frozen_at=instant)))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                  base_url=BASE) as client:
        yield client


async def bet(client: httpx2.AsyncClient, *ids: int) -> dict[str, Any]:
    """The one bet of the answer to the body tab-mcp sends (no bearer)."""
    response = await client.post(ENQUIRY, json=enquiry_body(list(ids), "NSW"))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()["bets"][0]
    return answer


async def upcoming(client: httpx2.AsyncClient) -> list[dict[str, Any]]:
    response = await client.get(SERVICE_ROOT + NRL, params={"jurisdiction": "NSW"})
    found: list[dict[str, Any]] = [m for m in response.json()["matches"] if not m["inPlay"]]
    return found


def price(answer: dict[str, Any]) -> float:
    return float(answer["legs"][0]["odds"]["decimal"])


async def test_the_body_tab_mcp_sends_is_priced_with_the_notes_fields() -> None:
    async with host() as client:
        match = (await upcoming(client))[0]
        legs = [m["propositions"][0] for m in match["markets"]]
        answer = await bet(client, *(int(p["id"]) for p in legs))
        again = await bet(client, *(int(p["id"]) for p in legs))
    assert answer == again and answer["status"] == "ok"
    [leg] = answer["legs"]
    decimal = leg["odds"]["decimal"]
    assert isinstance(decimal, str) and decimal == f"{float(decimal):.2f}"
    assert leg["redundantPropositions"] == []
    assert [p["propositionId"] for p in leg["propositions"]] == [int(p["id"]) for p in legs]
    assert 1 < price(answer) < math.prod(p["returnWin"] for p in legs)


async def test_a_second_pick_of_one_market_is_redundant_and_leaves_the_price() -> None:
    async with host() as client:
        match = (await upcoming(client))[0]
        home, away = (int(p["id"]) for p in match["markets"][0]["propositions"][:2])
        total = int(match["markets"][2]["propositions"][0]["id"])
        with_both = await bet(client, home, total, away)
        without = await bet(client, home, total)
    assert with_both["status"] == "ok"
    assert with_both["legs"][0]["redundantPropositions"] == [away]
    assert price(with_both) == price(without)


async def test_unknown_and_closed_propositions_are_refused_by_name() -> None:
    async with host() as client:
        match = (await upcoming(client))[0]
        legs = [int(m["propositions"][0]["id"]) for m in match["markets"][:2]]
        unknown = await bet(client, legs[0], 7)
    started = datetime.fromisoformat(match["startTime"].replace("Z", "+00:00"))
    async with host(started + timedelta(minutes=5)) as client:
        closed = await bet(client, *legs)
    for answer, proposition in ((unknown, 7), (closed, legs[0])):
        assert answer["status"] != "ok"
        first = answer["errors"][0]
        assert first["code"] and first["message"] and first["propositionId"] == proposition
