"""The pricing enquiry through TabClient against the sandbox: the observed body, no bearer,
retries like a read, quotes and refusals read at the boundary."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.tab.errors import BadResponse
from app.tab.pricing import PRICING_PATHS, price_same_game_multi, read_quote
from tests.tab.conftest import Sandbox

pytestmark = pytest.mark.anyio

ENQUIRY_PATH = PRICING_PATHS["enquiry"]

async def first_match(sandbox: Sandbox, mode: str) -> dict[str, Any]:
    client = sandbox.client(mode)
    body = (await client.competition("Rugby League", "NRL", jurisdiction="VIC")).data
    match: dict[str, Any] = next(m for m in body["matches"] if not m["inPlay"])
    return match


async def first_match_legs(sandbox: Sandbox, mode: str) -> list[int]:
    match = await first_match(sandbox, mode)
    return [int(market["propositions"][0]["id"]) for market in match["markets"]]


@pytest.mark.parametrize("mode", ["anonymous", "client_credentials"])
async def test_enquiry_sends_the_observed_body_without_a_bearer(sandbox: Sandbox,
                                                                mode: str) -> None:
    legs = await first_match_legs(sandbox, mode)
    sandbox.recorder.clear()
    quote, fetched = await price_same_game_multi(sandbox.client(mode), legs, jurisdiction="vic")
    [seen] = [s for s in sandbox.recorder.requests if s.path == ENQUIRY_PATH]
    assert "authorization" not in seen.headers and seen.query == ""
    assert seen.headers["content-type"] == "application/json"
    assert quote.price is not None and quote.price > 1 and quote.refusal is None
    assert quote.redundant == () and fetched.sandbox and not fetched.cached


async def test_a_refusal_and_redundant_legs_are_read(asgi_sandbox: Sandbox) -> None:
    match = await first_match(asgi_sandbox, "anonymous")
    legs = [int(market["propositions"][0]["id"]) for market in match["markets"]]
    second = int(match["markets"][0]["propositions"][1]["id"])
    client = asgi_sandbox.client()
    quote, _ = await price_same_game_multi(client, [*legs, second], jurisdiction="NSW")
    assert quote.redundant == (second,)
    refused, _ = await price_same_game_multi(client, [legs[0], 7], jurisdiction="NSW")
    assert refused.price is None and refused.refusal and "7" in refused.refusal


async def test_enquiry_is_retried_after_a_503(asgi_sandbox: Sandbox) -> None:
    legs = await first_match_legs(asgi_sandbox, "anonymous")
    await asgi_sandbox.faults({"path_prefix": "/v1/pricing-service", "error_status": 503,
                               "error_rate": 1.0, "count": 1})
    quote, _ = await price_same_game_multi(asgi_sandbox.client(), legs, jurisdiction="NSW")
    assert quote.price is not None
    assert await asgi_sandbox.requests_for(ENQUIRY_PATH) == 2


@pytest.mark.parametrize("body", [[], {"bets": []}, {"bets": [{"status": "ok"}]},
                                  {"bets": [{"status": "ok", "legs": [{"odds": {}}]}]},
                                  {"bets": [{"status": "ok", "legs": [{"odds": {
                                      "decimal": "x"}}]}]}])
def test_unexpected_answers_are_a_bad_response(body: Any) -> None:
    with pytest.raises(BadResponse):
        read_quote(json.loads(json.dumps(body)))


def test_redundant_legs_given_bare_or_as_objects() -> None:
    leg = {"odds": {"decimal": "15.00"}, "redundantPropositions": [11, {"propositionId": "12"}]}
    assert read_quote({"bets": [{"status": "ok", "legs": [leg]}]}).redundant == (11, 12)
