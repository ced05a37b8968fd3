"""Betting faults: the answer lost, late or replaced after the bet was taken, or lost before.

In-process (ASGI transport) a dropped connection is `httpx2.ReadError`; over real sockets the
same rules reset the TCP connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest

from app.sandbox.clock import Clock
from app.sandbox.options import SandboxOptions
from tests.sandbox.account_support import (
    ACCOUNTS,
    BETSLIP,
    MORNING,
    Bettor,
    bettor,
    open_runner,
    remote_bettor,
    win_bet,
)
from tests.sandbox.conftest import SandboxFactory

pytestmark = pytest.mark.anyio
DROPPED = (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.ConnectError)


async def install(b: Bettor, **rule: Any) -> None:
    rule = {"path_prefix": BETSLIP, "count": 1, **rule}
    assert (await b.client.put("/_sandbox/faults", json=[rule])).status_code == 200


async def test_response_lost_after_commit_the_bet_stands_and_a_retry_is_idempotent() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        before = await b.balance_cents()
        await install(b, drop_rate=1, after_handler=True)
        body = win_bet(runner)
        with pytest.raises(httpx2.ReadError):
            await b.place(body)
        assert len(await b.bets(body["transactionId"])) == 1
        assert await b.balance_cents() == before - 1000
        retry = await b.place(body)
        assert retry.status_code == 201 and retry.json()["errors"] == []
        assert len(await b.bets(body["transactionId"])) == 1
        assert await b.balance_cents() == before - 1000
        stats = (await b.client.get("/_sandbox/stats")).json()
        assert stats["faults_by_kind"] == {"drop": 1}


async def test_response_lost_before_commit_places_nothing() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        before = await b.balance_cents()
        await install(b, drop_rate=1)
        body = win_bet(runner)
        with pytest.raises(httpx2.ReadError):
            await b.place(body)
        assert await b.bets(body["transactionId"]) == []
        assert await b.balance_cents() == before
        assert (await b.place(body)).json()["errors"] == []  # the next try goes on, once
        assert len(await b.bets(body["transactionId"])) == 1


@pytest.mark.parametrize("status", [500, 503])
async def test_5xx_after_commit_hides_a_bet_that_was_taken(status: int) -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        await install(b, error_rate=1, error_status=status, after_handler=True)
        body = win_bet(runner)
        answer = await b.place(body)
        assert answer.status_code == status
        assert "bets" not in answer.json()
        assert len(await b.bets(body["transactionId"])) == 1


async def test_only_the_selected_route_is_affected() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        await install(b, error_rate=1, error_status=502, after_handler=True)
        balance = await b.client.get(ACCOUNTS + "/balance", headers=b.headers)
        assert balance.status_code == 200
        assert (await b.place(win_bet(runner))).status_code == 502


@pytest.fixture
def frozen_server(sandbox_factory: SandboxFactory) -> Iterator[str]:
    """A real (uvicorn) sandbox frozen at MORNING: its base URL."""
    server = sandbox_factory(SandboxOptions(clock=Clock(frozen_at=MORNING)))
    yield server.base_url


async def test_slow_commit_times_out_the_client_yet_the_bet_is_taken(frozen_server: str) -> None:
    async with remote_bettor(frozen_server) as b:
        _card, runner = await open_runner(b.client, MORNING)
        await install(b, latency_ms=1500, after_handler=True)
        body = win_bet(runner)
        started = datetime.now(UTC)
        with pytest.raises(httpx2.ReadTimeout):
            await b.client.post(BETSLIP, json=body, headers=b.headers, timeout=0.5)
        assert (datetime.now(UTC) - started).total_seconds() < 1.4
        assert len(await b.bets(body["transactionId"])) == 1


async def test_a_client_that_gives_up_before_the_route_runs_places_nothing(
        frozen_server: str) -> None:
    async with remote_bettor(frozen_server) as b:
        _card, runner = await open_runner(b.client, MORNING)
        await install(b, latency_ms=800)
        body = win_bet(runner)
        with pytest.raises(httpx2.ReadTimeout):
            await b.client.post(BETSLIP, json=body, headers=b.headers, timeout=0.3)
        await asyncio.sleep(1.0)  # past the delay: the abandoned request never commits
        assert await b.bets(body["transactionId"]) == []


async def test_connection_reset_after_commit_over_real_sockets(frozen_server: str) -> None:
    async with remote_bettor(frozen_server) as b:
        _card, runner = await open_runner(b.client, MORNING)
        await install(b, drop_rate=1, after_handler=True)
        body = win_bet(runner)
        with pytest.raises(DROPPED):
            await b.place(body)
        assert len(await b.bets(body["transactionId"])) == 1


async def test_429_and_a_truncated_answer_after_commit_also_hide_a_taken_bet() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        await install(b, rate_limit_rate=1, retry_after=7, after_handler=True)
        limited = win_bet(runner)
        answer = await b.place(limited)
        assert answer.status_code == 429 and answer.headers["retry-after"] == "7"
        await install(b, garbage_rate=1, after_handler=True)
        cut = win_bet(runner)
        answer = await b.place(cut)
        assert answer.status_code == 200
        with pytest.raises(ValueError):
            answer.json()
        assert len(await b.bets(limited["transactionId"])) == 1
        assert len(await b.bets(cut["transactionId"])) == 1


async def test_an_after_handler_rule_is_validated() -> None:
    async with bettor() as b:
        answer = await b.client.put("/_sandbox/faults",
                                    json=[{"after_handler": "yes", "drop_rate": 1}])
        assert answer.status_code == 400
        assert "after_handler" in answer.json()["error"]["message"]
