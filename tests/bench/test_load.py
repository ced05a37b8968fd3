"""The load generator against the ceiling server, over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from mcp_types import CallToolResult

from bench.ceiling import card_result, create_ceiling_app
from bench.load import Session, ToolCall, burst, run_load
from tests.conftest import any_sample
from tests.support.servers import serve

CARD = ToolCall("race_card", {"venue": "Warwick Farm", "race_number": 2})


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> CallToolResult:
    # Any race detail body will do for the load generator's tests.
    body = tmp_path_factory.mktemp("ceiling") / "race-detail.json"
    body.write_text(json.dumps(any_sample("race-detail.json")), encoding="utf-8")
    return card_result(body)


@pytest.fixture(scope="module")
def ceiling(card: CallToolResult) -> Iterator[str]:
    with serve(create_ceiling_app(card)) as url:
        yield url


@pytest.mark.anyio
async def test_a_session_reads_the_ceilings_card(ceiling: str, card: CallToolResult) -> None:
    session = Session(ceiling + "/mcp")
    try:
        await session.open()
        result = await session.call(CARD)
    finally:
        session.close()
    assert result["content"][0]["text"] == card.content[0].text  # type: ignore[union-attr]


@pytest.mark.anyio
async def test_load_counts_calls_and_orders_latencies(ceiling: str, card: CallToolResult) -> None:
    result = await run_load(ceiling + "/mcp", [CARD], sessions=3, seconds=0.6, warmup=0.2)
    assert result.calls > 3 and result.ok == result.calls and result.errors == 0
    assert result.calls_by_tool == {"race_card": result.calls}
    assert 0 < result.p50_ms <= result.p90_ms <= result.p99_ms <= result.max_ms
    assert result.mean_response_bytes > len(card.content[0].text)  # type: ignore[union-attr]
    assert result.calls_per_s == pytest.approx(result.calls / 0.6)


@pytest.mark.anyio
async def test_tool_errors_are_told_apart_from_protocol_errors(ceiling: str) -> None:
    bad_input = ToolCall("race_card", {"venue": "Warwick Farm", "race_number": 0})
    result = await run_load(ceiling + "/mcp", [bad_input], sessions=1, seconds=0.3, warmup=0)
    assert result.calls and sum(result.tool_errors.values()) == result.calls
    assert not result.protocol_errors

    missing = await run_load(ceiling + "/nowhere", [CARD], sessions=1, seconds=0.3, warmup=0)
    assert missing.calls == 0 and missing.protocol_errors
    assert all(kind.startswith("handshake") for kind in missing.protocol_errors)


@pytest.mark.anyio
async def test_burst_sends_every_call(ceiling: str) -> None:
    outcomes = await burst(ceiling + "/mcp", CARD, 12)
    assert outcomes == {"ok": 12}
