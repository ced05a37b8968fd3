"""Two server processes with betting on, sharing a real Redis and no configured quote secret:
a quote from one is placed on either, and twenty concurrent place calls for it spread over both
send one betslip, place one bet and change the balance once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import anyio
import pytest

from app.sandbox.embedded import SANDBOX_PASSWORD, SANDBOX_USERNAME
from tests.betting.support import ADMIN, BETSLIP, KEY, OTHER_KEY, open_runner
from tests.fleet.cluster import Fleet, running_fleet
from tests.support.clients import mcp_client
from tests.support.redis_server import RedisServer

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def fleet(redis: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    journals = tmp_path_factory.mktemp("journals")
    with running_fleet(redis, namespace="betting", TAB_USERNAME=SANDBOX_USERNAME,
                       TAB_PASSWORD=SANDBOX_PASSWORD, TAB_MCP_API_KEYS=f"{KEY},{OTHER_KEY}",
                       TAB_MCP_BETTING="true", TAB_MCP_TOOLSETS="racing,account",
                       # Each replica keeps its own durable journal.
                       each=lambda n: {"TAB_MCP_BET_JOURNAL": str(journals / f"{n}.sqlite3")}
                       ) as running:
        yield running


def balance_cents(fleet: Fleet) -> int:
    return int(fleet.admin("GET", ADMIN)["balanceCents"])


async def test_concurrent_place_calls_on_every_replica_place_one_bet(fleet: Fleet) -> None:
    runner = open_runner(cast(Any, fleet))  # it reads the sandbox as a stack does
    async with mcp_client(fleet.servers[0].mcp_url, api_key=KEY) as client:
        quoted = await client.call_tool("bet_quote", {
            "venue": runner.venue, "race_number": runner.race_number,
            "selections": [[runner.runner_number]], "stake": 5, "bet_type": "WIN"})
    assert not quoted.is_error, quoted.content
    quote_id = quoted.structured_content["quote_id"]
    before, betslips = balance_cents(fleet), fleet.stats()["requests"].get(BETSLIP, 0)
    placed = len(fleet.admin("GET", ADMIN + "/bets")["bets"])
    # The betslip takes a while, so both replicas' calls arrive while it is in flight.
    fleet.admin("PUT", "/_sandbox/faults", [{"path_prefix": BETSLIP, "latency_ms": 1500}])
    answers: list[Any] = []

    async def place(url: str) -> None:
        async with mcp_client(url, api_key=KEY) as client:
            await client.list_tools()
            async with anyio.create_task_group() as group:
                for _ in range(10):
                    group.start_soon(one, client)

    async def one(client: Any) -> None:
        answers.append(await client.call_tool("bet_place", {"quote_id": quote_id}))

    try:
        async with anyio.create_task_group() as group:
            for server in fleet.servers:  # the other replica verifies the quote id too
                group.start_soon(place, server.mcp_url)
    finally:
        fleet.admin("DELETE", "/_sandbox/faults")
    assert len(answers) == 20 and not any(answer.is_error for answer in answers), [
        answer.content for answer in answers if answer.is_error]
    assert {answer.structured_content["status"] for answer in answers} == {"placed"}
    # One betslip left the fleet (the upstream's idempotency was never needed).
    assert fleet.stats()["requests"].get(BETSLIP, 0) - betslips == 1
    assert len(fleet.admin("GET", ADMIN + "/bets")["bets"]) == placed + 1
    assert balance_cents(fleet) == before - 500
