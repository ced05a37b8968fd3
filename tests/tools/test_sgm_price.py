"""sgm_price end to end: legs from match_markets, priced through the sandbox's pricing
enquiry, dropped legs shown, refusals and invented ids answered with what to send."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from app.tab.pricing import PRICING_PATHS, enquiry_body
from tests.support.stack import Stack, running_stack

ENQUIRY_PATH = PRICING_PATHS["enquiry"]
WHERE = {"sport": "Rugby League", "competition": "NRL"}


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(tab_mcp_toolsets="sports") as running:
        yield running


async def open_match(stack: Stack, which: int = 0) -> dict[str, Any]:
    listing = await stack.call("competition_matches", **WHERE)
    upcoming = [m for m in listing["matches"] if not m.get("in_play")]
    data = await stack.call("match_markets", **WHERE, match=upcoming[which]["name"])
    match: dict[str, Any] = data["match"]
    return match


def enquire(stack: Stack, legs: list[int]) -> dict[str, Any]:
    """The sandbox's own answer to the enquiry tab-mcp makes."""
    response = httpx2.post(stack.sandbox_url + ENQUIRY_PATH, json=enquiry_body(legs, "NSW"),
                           timeout=10)
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def enquiries(stack: Stack) -> int:
    return int(stack.admin("GET", "/_sandbox/stats")["requests"].get(ENQUIRY_PATH, 0))


@pytest.mark.anyio
async def test_one_pick_per_market_is_priced_as_the_service_prices_it(stack: Stack) -> None:
    match = await open_match(stack)
    picks = [market["propositions"][0] for market in match["markets"]]
    legs = [p["id"] for p in picks]
    data = await stack.call("sgm_price", **WHERE, match=match["name"], legs=legs)
    answer = enquire(stack, legs)["bets"][0]
    assert answer["status"] == "ok"
    assert data["price"] == float(answer["legs"][0]["odds"]["decimal"])
    assert [(leg["id"], leg["price"]) for leg in data["legs"]] == [
        (p["id"], p["price"]) for p in picks]
    assert data["legs_product"] == round(math.prod(p["price"] for p in picks), 2)
    assert 1 < data["price"] < data["legs_product"]
    assert "dropped" not in data and data["source"]["sandbox"] is True


@pytest.mark.anyio
async def test_a_second_pick_of_one_market_is_dropped_and_said(stack: Stack) -> None:
    match = await open_match(stack)
    first, second = match["markets"][0]["propositions"][:2]
    other = match["markets"][1]["propositions"][0]
    data = await stack.call("sgm_price", **WHERE, match=match["name"],
                            legs=[first["id"], other["id"], second["id"]])
    assert [leg["id"] for leg in data["dropped"]] == [second["id"]]
    assert [leg["id"] for leg in data["legs"]] == [first["id"], other["id"]]
    both = await stack.call("sgm_price", **WHERE, match=match["name"],
                            legs=[first["id"], other["id"]])
    assert data["price"] == both["price"] and "covers the other legs" in data["note"]


@pytest.mark.anyio
async def test_an_invented_id_names_the_real_ones(stack: Stack) -> None:
    match = await open_match(stack)
    real = match["markets"][0]["propositions"][0]
    text = await stack.call_error("sgm_price", **WHERE, match=match["name"],
                                  legs=[real["id"], 12345])
    assert "[12345]" in text and "match_markets" in text and str(real["id"]) in text


@pytest.mark.anyio
async def test_a_leg_of_another_match_is_refused_before_pricing(stack: Stack) -> None:
    match, other = await open_match(stack, 0), await open_match(stack, 1)
    foreign = other["markets"][0]["propositions"][0]["id"]
    before = enquiries(stack)
    text = await stack.call_error("sgm_price", **WHERE, match=match["name"],
                                  legs=[match["markets"][0]["propositions"][0]["id"], foreign])
    assert f"[{foreign}]" in text and f"not propositions of {match['name']}" in text
    assert enquiries(stack) == before
    await stack.call("sgm_price", **WHERE, match=match["name"],
                     legs=[market["propositions"][0]["id"] for market in match["markets"]])
    assert enquiries(stack) == before + 1


@pytest.mark.anyio
async def test_a_refusal_is_an_error_with_the_services_reason(stack: Stack) -> None:
    match = await open_match(stack)
    legs = [market["propositions"][0]["id"] for market in match["markets"][:2]]
    refusal = {"bets": [{"status": "error", "errors": [
        {"code": "INCOMPATIBLE", "message": "these selections cannot be combined",
         "propositionId": legs[1]}]}]}
    stack.admin("PUT", "/_sandbox/overrides", {"path": ENQUIRY_PATH, "body": refusal})
    try:
        text = await stack.call_error("sgm_price", **WHERE, match=match["name"], legs=legs)
        stack.admin("PUT", "/_sandbox/overrides", {"path": ENQUIRY_PATH, "body": [1, 2]})
        odd = await stack.call_error("sgm_price", **WHERE, match=match["name"], legs=legs)
    finally:
        stack.admin("DELETE", "/_sandbox/overrides")
    assert "will not price" in text and "these selections cannot be combined" in text
    assert "unreadable response" in odd and "try again" in odd


@pytest.mark.anyio
async def test_same_match_name_rules_apply(stack: Stack) -> None:
    match = await open_match(stack)
    home, away = match["name"].split(" v ")
    legs = [market["propositions"][0]["id"] for market in match["markets"][:2]]
    data = await stack.call("sgm_price", sport="rugby league", competition="nrl",
                            match=f"{away} v {home}", legs=legs)
    assert data["match"] == match["name"]
