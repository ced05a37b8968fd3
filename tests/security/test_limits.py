"""Request limits over real HTTP: per-client rate limit (429) and body size cap (413)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import anyio
import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from app.asgi import create_app
from app.security.rate_limit import GATEWAY_SHARE, RateLimiter
from tests.security.helpers import INITIALIZE, MCP_HEADERS, make_settings
from tests.support.clients import mcp_client
from tests.support.servers import serve

KEY_A = "limits-key-a-0123456789"
KEY_B = "limits-key-b-0123456789"
MAX_BODY = 2048


def post(http: httpx2.Client, url: str, key: str | None = None,
         content: bytes | None = None) -> httpx2.Response:
    headers = dict(MCP_HEADERS)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return http.post(f"{url}/mcp", content=content or json.dumps(INITIALIZE).encode(),
                     headers=headers)


@pytest.fixture(scope="module")
def keyed_url() -> Iterator[str]:
    # 0.01/s: a spent bucket stays empty for the whole test
    settings = make_settings(tab_mcp_api_keys=f"{KEY_A},{KEY_B}", tab_mcp_rate_limit=0.01,
                             tab_mcp_rate_burst=3, tab_mcp_metrics_public=True)
    with serve(create_app(settings)) as url:
        yield url


def rejected(http: httpx2.Client, url: str, reason: str) -> float:
    text = http.get(f"{url}/metrics").text
    for family in text_string_to_metric_families(text):
        if family.name == "tabmcp_inbound_rejected":
            return sum(sample.value for sample in family.samples
                       if sample.name.endswith("_total") and sample.labels["reason"] == reason)
    return 0.0


def test_rate_limit_per_key_with_retry_after(keyed_url: str) -> None:
    with httpx2.Client(timeout=10) as http:
        before = rejected(http, keyed_url, "rate_limited")
        statuses = [post(http, keyed_url, KEY_A).status_code for _ in range(3)]
        limited = post(http, keyed_url, KEY_A)
        other_key = post(http, keyed_url, KEY_B)
        health = [http.get(f"{keyed_url}/health").status_code for _ in range(5)]
        after = rejected(http, keyed_url, "rate_limited")
    assert after == before + 1
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    retry_after = int(limited.headers["retry-after"])
    assert retry_after >= 1
    error = limited.json()["error"]
    assert "Too many requests" in error["message"] and error["data"]["retry_after"] == retry_after
    assert other_key.status_code == 200  # its own bucket
    assert health == [200] * 5


def test_invented_keys_do_not_buy_fresh_buckets() -> None:
    settings = make_settings(tab_mcp_rate_limit=0.01, tab_mcp_rate_burst=2)
    with serve(create_app(settings)) as url, httpx2.Client(timeout=10) as http:
        statuses = [post(http, url, key=f"made-up-{n}").status_code for n in range(4)]
    # no keys configured: every request is this address's, whatever it claims
    assert statuses == [200, 200, 429, 429]


@pytest.fixture(scope="module")
def capped_url() -> Iterator[str]:
    settings = make_settings(tab_mcp_max_body_bytes=MAX_BODY, tab_mcp_rate_limit=0)
    with serve(create_app(settings)) as url:
        yield url


def padded_initialize(size: int) -> bytes:
    body = json.dumps({**INITIALIZE, "pad": ""}).encode()
    return body[:-2] + b" " * (size - len(body)) + body[-2:]


def test_body_over_the_cap_is_413(capped_url: str) -> None:
    with httpx2.Client(timeout=10) as http:
        at_cap = post(http, capped_url, content=padded_initialize(MAX_BODY))
        over = post(http, capped_url, content=padded_initialize(MAX_BODY + 1))
    assert at_cap.status_code == 200, at_cap.text
    assert over.status_code == 413
    assert over.json()["error"]["data"]["max_bytes"] == MAX_BODY


def test_chunked_body_over_the_cap_is_413(capped_url: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b" " * 1024

    with httpx2.Client(timeout=10) as http:
        response = http.post(f"{capped_url}/mcp", content=chunks(), headers=MCP_HEADERS)
    assert response.status_code == 413


def test_huge_declared_body_is_refused_before_it_is_read(capped_url: str) -> None:
    with httpx2.Client(timeout=10) as http:
        response = post(http, capped_url, content=b"{" + b" " * (4 * 1024 * 1024) + b"}")
    assert response.status_code == 413


def test_limiter_refills_and_stays_bounded() -> None:
    now = [0.0]
    limiter = RateLimiter(2.0, 2, max_clients=3, clock=lambda: now[0])
    assert [limiter.take("a") for _ in range(2)] == [0.0, 0.0]
    assert limiter.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert limiter.take("a") == 0.0
    for name in "bcdef":
        limiter.take(name)
    assert len(limiter) == 3
    assert RateLimiter(0, 1).take("x") == 0.0  # 0 switches the limit off


@pytest.fixture(scope="module")
def default_limits_url() -> Iterator[str]:
    """A server with the default inbound limits."""
    with serve(create_app(make_settings())) as url:
        yield url


@pytest.mark.anyio
async def test_a_100_session_burst_from_one_address_fits_the_defaults(
        default_limits_url: str) -> None:
    before = rejected(httpx2.Client(), default_limits_url, "rate_limited")
    statuses: list[str] = []

    async def session(n: int) -> None:
        async with mcp_client(f"{default_limits_url}/mcp") as client:
            tools = (await client.list_tools()).tools
            result = await client.call_tool("server_status", {})
            statuses.append("ok" if tools and not result.is_error else f"failed {n}")

    async with anyio.create_task_group() as group:
        for n in range(100):
            group.start_soon(session, n)
    assert statuses == ["ok"] * 100
    assert rejected(httpx2.Client(), default_limits_url, "rate_limited") == before


@pytest.mark.anyio
async def test_a_flood_from_one_address_is_refused_at_the_defaults(
        default_limits_url: str) -> None:
    defaults = make_settings()
    flood = 3 * defaults.tab_mcp_rate_burst
    codes: list[int] = []
    async with httpx2.AsyncClient(timeout=30) as http:
        async def worker(count: int) -> None:
            for _ in range(count):
                response = await http.post(f"{default_limits_url}/mcp", content=b"{",
                                           headers=MCP_HEADERS)
                codes.append(response.status_code)

        started = time.monotonic()
        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(worker, flood // 20)
        elapsed = time.monotonic() - started
        other = await http.post(f"{default_limits_url}/mcp", content=b"{",
                                headers={**MCP_HEADERS, "X-TAB-Client-Id": "someone-else"})
    # At most the burst plus what the rate refilled meanwhile gets through; the rest is refused.
    allowed = defaults.tab_mcp_rate_burst + defaults.tab_mcp_rate_limit * elapsed
    assert set(codes) == {400, 429}
    assert codes.count(400) <= allowed + 20, (codes.count(400), elapsed)
    assert codes.count(429) >= flood - allowed - 20 > 0, (codes.count(429), elapsed)
    # A gateway session from the same address has its own bucket (400: the body is not JSON).
    assert other.status_code == 400


def gateway_post(http: httpx2.Client, url: str, client_id: str) -> int:
    headers = {**MCP_HEADERS, "X-TAB-Client-Id": client_id}
    return http.post(f"{url}/mcp", content=b"{", headers=headers).status_code


def test_gateway_sessions_have_buckets_of_their_own_within_their_address() -> None:
    settings = make_settings(tab_mcp_rate_limit=0.01, tab_mcp_rate_burst=2)
    share = 2 * GATEWAY_SHARE
    with serve(create_app(settings)) as url, httpx2.Client(timeout=10) as http:
        alice = [gateway_post(http, url, "alice") for _ in range(3)]
        bob = [gateway_post(http, url, "bob") for _ in range(3)]
        plain = [http.post(f"{url}/mcp", content=b"{", headers=MCP_HEADERS).status_code
                 for _ in range(3)]
        # Inventing credential sets buys at most the address's gateway share.
        invented = [gateway_post(http, url, f"made-up-{n}") for n in range(share)]
    # 400: each request passes the limit and is then refused for its bad body.
    assert alice == bob == [400, 400, 429]
    assert plain == [400, 400, 429]  # the address's own bucket is separate from its sessions'
    assert invented.count(400) == share - 4  # alice and bob already used 4 of the share
    assert invented[-1] == 429
