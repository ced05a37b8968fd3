"""The sandbox's same-game-multi enquiry: the fields the API notes give, deterministic prices
below the legs' product by the correlation rule, dropped and refused legs, bad bodies."""

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
from app.sandbox.pricing import ENQUIRY_PATH, OTHER_LEG_FACTOR, SAME_SIDE_FACTOR
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from tests.sandbox.world_support import BASE, INSTANT

pytestmark = pytest.mark.anyio

NRL = "/sports/Rugby%20League/competitions/NRL"


@asynccontextmanager
async def host(instant: datetime = INSTANT) -> AsyncIterator[httpx2.AsyncClient]:
    app = create_sandbox_app(SandboxOptions(clock=Clock(frozen_at=instant)))
    async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app),
                                  base_url=BASE) as client:
        yield client


def body(*ids: Any, jurisdiction: str = "NSW") -> dict[str, Any]:
    """The enquiry body as the API notes give it."""
    return {"clientDetails": {"jurisdiction": jurisdiction, "channel": "web"},
            "bets": [{"type": "FIXED_ODDS", "legs": [{"type": "SAME_GAME_MULTI", "propositions": [
                {"type": "WIN", "propositionId": pid} for pid in ids]}]}],
            "returnValidationMatrix": True}


async def bet(client: httpx2.AsyncClient, *ids: Any) -> dict[str, Any]:
    response = await client.post(ENQUIRY_PATH, json=body(*ids))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()["bets"][0]
    return answer


async def matches(client: httpx2.AsyncClient, path: str = NRL) -> list[dict[str, Any]]:
    response = await client.get(SERVICE_ROOT + path, params={"jurisdiction": "NSW"})
    found: list[dict[str, Any]] = [m for m in response.json()["matches"] if not m["inPlay"]]
    return found


def by_position(market: dict[str, Any], position: str) -> dict[str, Any]:
    return next(p for p in market["propositions"] if p.get("position") == position)


def price(answer: dict[str, Any]) -> float:
    return float(answer["legs"][0]["odds"]["decimal"])


async def test_an_ok_answer_carries_the_fields_the_notes_give() -> None:
    async with host() as client:
        match = (await matches(client))[0]
        legs = [m["propositions"][0] for m in match["markets"]]
        answer = await bet(client, *(int(p["id"]) for p in legs))
        again = await bet(client, *(int(p["id"]) for p in legs))
    assert answer == again and answer["status"] == "ok"
    [leg] = answer["legs"]
    decimal = leg["odds"]["decimal"]
    assert isinstance(decimal, str) and decimal == f"{float(decimal):.2f}"
    assert leg["redundantPropositions"] == []
    assert [(p["propositionId"], float(p["odds"]["decimal"])) for p in leg["propositions"]] == [
        (int(p["id"]), p["returnWin"]) for p in legs]
    product = math.prod(p["returnWin"] for p in legs)
    assert product * SAME_SIDE_FACTOR ** (len(legs) - 1) * 0.9 < price(answer) < product


async def test_legs_backing_one_side_are_priced_lower_than_opposed_legs() -> None:
    async with host() as client:
        head_to_head, line = (await matches(client))[0]["markets"][:2]
        same = [by_position(head_to_head, "HOME"), by_position(line, "HOME")]
        opposed = [by_position(head_to_head, "HOME"), by_position(line, "AWAY")]
        same_price = price(await bet(client, *(int(p["id"]) for p in same)))
        opposed_price = price(await bet(client, *(int(p["id"]) for p in opposed)))
    same_ratio = same_price / math.prod(p["returnWin"] for p in same)
    opposed_ratio = opposed_price / math.prod(p["returnWin"] for p in opposed)
    assert same_ratio == pytest.approx(SAME_SIDE_FACTOR, rel=0.08)
    assert opposed_ratio == pytest.approx(OTHER_LEG_FACTOR, rel=0.08)


async def test_a_second_pick_of_one_market_is_redundant_and_leaves_the_price() -> None:
    async with host() as client:
        match = (await matches(client))[0]
        home, away = (int(p["id"]) for p in match["markets"][0]["propositions"][:2])
        total = int(match["markets"][2]["propositions"][0]["id"])
        with_both = await bet(client, home, total, away)
        without = await bet(client, home, total)
    assert with_both["status"] == "ok"
    assert with_both["legs"][0]["redundantPropositions"] == [away]
    assert price(with_both) == price(without)


async def test_refusals_name_the_proposition_and_the_reason() -> None:
    async with host() as client:
        first, second = (await matches(client))[:2]
        own = int(first["markets"][0]["propositions"][0]["id"])
        other = int(second["markets"][0]["propositions"][0]["id"])
        golf = (await client.get(SERVICE_ROOT + "/sports/Golf", params={
            "jurisdiction": "NSW"})).json()["competitions"][0]["tournaments"][0]["name"]
        winner = (await matches(client, "/sports/Golf/competitions/US%20PGA%20Tour/tournaments/"
                                + golf.replace(" ", "%20")))[0]["markets"][0]
        golfer = int(winner["propositions"][0]["id"])
        answers = {code: await bet(client, *ids) for code, ids in (
            ("PROPOSITION_NOT_FOUND", (own, 1)), ("NOT_SAME_GAME", (own, other)),
            ("SAME_GAME_NOT_OFFERED", (golfer, golfer + 1)))}
    for code, answer in answers.items():
        assert answer["status"] == "error" and "legs" not in answer
        [error] = answer["errors"]
        assert error["code"] == code and error["message"] and isinstance(
            error["propositionId"], int)


async def test_a_started_match_is_closed_for_pricing() -> None:
    async with host() as client:
        match = (await matches(client))[0]
        legs = [int(m["propositions"][0]["id"]) for m in match["markets"][:2]]
    started = datetime.fromisoformat(match["startTime"].replace("Z", "+00:00"))
    async with host(started + timedelta(minutes=5)) as client:
        answer = await bet(client, *legs)
    assert answer["status"] == "error" and answer["errors"][0]["code"] == "PROPOSITION_CLOSED"


@pytest.mark.parametrize(("sent", "path"), [
    ({"bets": []}, "clientDetails.jurisdiction"),
    (dict(body(1, 2), clientDetails={"jurisdiction": "WA"}), "clientDetails.jurisdiction"),
    (dict(body(1, 2), bets=[]), "bets"),
    (dict(body(1, 2), bets=[{"type": "FIXED_ODDS", "legs": [{"type": "WIN"}]}]), "bets[0].legs"),
    (body("1", 2), "bets[0].legs[0].propositions"),
    (body(True, 2), "bets[0].legs[0].propositions"),
    ([1, 2], "$"),
])
async def test_an_unreadable_body_is_a_400_envelope(sent: Any, path: str) -> None:
    async with host() as client:
        response = await client.post(ENQUIRY_PATH, json=sent)
        not_json = await client.post(ENQUIRY_PATH, content=b"{", headers={
            "content-type": "application/json"})
        read = await client.get(ENQUIRY_PATH)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_SYNTAX_ERROR" and error["details"][0]["path"] == path
    assert not_json.status_code == 400 and read.status_code == 405
