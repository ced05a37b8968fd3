"""Fault injection seen by a client over real HTTP (and in-process through the transport)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from app.sandbox.embedded import SANDBOX_BASE_URL, sandbox_transport
from app.sandbox.options import FaultConfig, SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from tests.sandbox.conftest import SandboxFactory, SandboxServer

RACING = SERVICE_ROOT + "/racing/dates"
SPORTS = SERVICE_ROOT + "/sports"
RECORDED = {"dates": [{"meetingDate": f"2026-09-{day:02d}"} for day in range(1, 25)]}
DROPPED = (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.ConnectError, httpx2.WriteError)


@pytest.fixture
def client(sandbox_server: SandboxServer) -> Iterator[httpx2.Client]:
    """A client of the shared sandbox; the racing and sports roots answer recorded bodies."""
    with httpx2.Client(base_url=sandbox_server.base_url, timeout=5) as c:
        for path in (RACING, SPORTS):
            c.put("/_sandbox/overrides", json={"path": path, "body": RECORDED}).raise_for_status()
        yield c


def install(client: httpx2.Client, *rules: dict[str, Any]) -> None:
    client.put("/_sandbox/faults", json=list(rules)).raise_for_status()


def get(client: httpx2.Client, path: str = RACING) -> httpx2.Response:
    return client.get(path, params={"jurisdiction": "NSW"})


def stats(client: httpx2.Client) -> dict[str, Any]:
    return client.get("/_sandbox/stats").json()  # type: ignore[no-any-return]


def test_latency_delays_the_response(client: httpx2.Client) -> None:
    install(client, {"latency_ms": 300, "count": 1})
    started = time.monotonic()
    assert get(client).json() == RECORDED
    assert time.monotonic() - started >= 0.25
    assert stats(client)["faults_by_kind"] == {"latency": 1}


@pytest.mark.anyio
async def test_latency_does_not_block_other_requests(sandbox_server: SandboxServer) -> None:
    finished: list[str] = []
    async with httpx2.AsyncClient(base_url=sandbox_server.base_url, timeout=5) as c:
        await c.put("/_sandbox/faults", json=[{"latency_ms": 1000, "count": 1}])

        async def call(name: str, path: str) -> None:
            await c.get(path, params={"jurisdiction": "NSW"})
            finished.append(name)

        slow = asyncio.create_task(call("slow", RACING))
        await asyncio.sleep(0.1)
        await call("fast", "/_sandbox/stats")
        await slow
    assert finished == ["fast", "slow"]


def test_forced_error_status_has_the_envelope(client: httpx2.Client) -> None:
    install(client, {"error_rate": 1, "error_status": 503, "count": 1})
    response = get(client)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert response.headers["x-tab-sandbox"] == "1"
    assert get(client).status_code == 200


def test_random_errors_are_500_502_or_503(client: httpx2.Client) -> None:
    install(client, {"error_rate": 1})
    statuses = {get(client).status_code for _ in range(20)}
    assert statuses <= {500, 502, 503}
    assert len(statuses) > 1
    assert stats(client)["faults_injected"] == 20


def test_rate_limit_answers_429_with_retry_after(client: httpx2.Client) -> None:
    install(client, {"rate_limit_rate": 1, "retry_after": 2.5, "count": 1})
    response = get(client)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert response.json()["error"]["code"] == "TOO_MANY_REQUESTS"


def test_truncated_body_looks_like_json_but_is_cut(client: httpx2.Client) -> None:
    install(client, {"garbage_rate": 1, "garbage_kind": "truncated", "count": 1})
    response = get(client)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    whole = get(client).content
    assert whole.startswith(response.content) and len(response.content) < len(whole)
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_not_json_body(client: httpx2.Client) -> None:
    install(client, {"garbage_rate": 1, "garbage_kind": "not_json", "count": 1})
    response = get(client)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_html_block_page(client: httpx2.Client) -> None:
    install(client, {"garbage_rate": 1, "garbage_kind": "html_block", "count": 1})
    response = get(client)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "<TITLE>Access Denied</TITLE>" in response.text
    assert "Reference&#32;&#35;" in response.text


def test_mixed_garbage_uses_every_kind(client: httpx2.Client) -> None:
    install(client, {"garbage_rate": 1})
    kinds = {get(client).headers["content-type"].split(";")[0] for _ in range(30)}
    assert kinds == {"application/json", "text/plain", "text/html"}


def test_dropped_connection_has_no_http_status(client: httpx2.Client) -> None:
    install(client, {"drop_rate": 1, "count": 1})
    with pytest.raises(DROPPED):
        get(client)
    assert get(client).json() == RECORDED
    counted = stats(client)
    assert counted["faults_by_kind"] == {"drop": 1}
    assert counted["requests"][RACING] == 2


def test_count_limits_a_rule_and_first_match_wins(client: httpx2.Client) -> None:
    install(
        client,
        {"path_prefix": "/racing", "error_rate": 1, "error_status": 502, "count": 2},
        {"error_rate": 1, "error_status": 503, "count": 1},
    )
    assert [get(client).status_code for _ in range(4)] == [502, 502, 503, 200]
    rules = client.get("/_sandbox/faults").json()["faults"]
    assert [rule["count"] for rule in rules] == [0, 0]


def test_path_prefix_selects_paths(client: httpx2.Client) -> None:
    install(client, {"path_prefix": "/sports", "error_rate": 1, "error_status": 500})
    assert get(client, SPORTS).status_code == 500
    assert get(client, RACING).status_code == 200


def test_token_endpoint_only_when_targeted(client: httpx2.Client) -> None:
    form = {"grant_type": "client_credentials", "client_id": "sandbox-client",
            "client_secret": "sandbox-secret"}
    install(client, {"error_rate": 1, "error_status": 500})
    assert client.post("/oauth/token", data=form).status_code == 200
    install(client, {"path_prefix": "/oauth/token", "drop_rate": 1, "count": 1})
    with pytest.raises(DROPPED):
        client.post("/oauth/token", data=form)
    assert get(client).status_code == 200


def test_admin_routes_are_never_faulted(client: httpx2.Client) -> None:
    install(client, {"drop_rate": 1, "path_prefix": "/_sandbox"}, {"error_rate": 1})
    assert client.get("/_sandbox/stats").status_code == 200
    assert client.delete("/_sandbox/faults").status_code == 200
    assert get(client).status_code == 200


def _statuses(server: SandboxServer, n: int) -> list[int]:
    with httpx2.Client(base_url=server.base_url, timeout=5) as c:
        install(c, {"error_rate": 0.5})
        return [c.get(SERVICE_ROOT + "/racing/dates").status_code for _ in range(n)]


def test_shares_are_reproducible_for_a_seed(sandbox_factory: SandboxFactory) -> None:
    first = _statuses(sandbox_factory(SandboxOptions(seed=7)), 24)
    second = _statuses(sandbox_factory(SandboxOptions(seed=7)), 24)
    assert first == second
    errors = sum(status >= 500 for status in first)
    assert 4 <= errors <= 20  # about half


def test_options_faults_apply_from_the_start(sandbox_factory: SandboxFactory) -> None:
    server = sandbox_factory(SandboxOptions(faults=[FaultConfig(error_rate=1, error_status=502)]))
    with httpx2.Client(base_url=server.base_url, timeout=5) as c:
        assert get(c).status_code == 502


@pytest.mark.anyio
async def test_in_process_drop_is_a_read_error() -> None:
    transport = sandbox_transport(SandboxOptions(faults=[FaultConfig(drop_rate=1, count=1)]))
    async with httpx2.AsyncClient(transport=transport, base_url=SANDBOX_BASE_URL) as c:
        with pytest.raises(httpx2.ReadError):
            await c.get(RACING, params={"jurisdiction": "NSW"})
        response = await c.get(RACING)
    assert response.status_code == 400  # the real route again: jurisdiction is missing
    assert response.headers["x-tab-sandbox"] == "1"
