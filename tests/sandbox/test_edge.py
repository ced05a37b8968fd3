"""The CDN-like edge protection over real sockets: bursts and bot-like clients are reset."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
import pytest

from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from tests.sandbox.conftest import SandboxFactory, SandboxServer

DATES = SERVICE_ROOT + "/racing/dates"
BROWSER = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36",
    "Accept": "application/json",
    "Accept-Language": "en-AU,en;q=0.9",
}
RESET = (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.ConnectError, httpx2.WriteError)


def edge_server(factory: SandboxFactory, rate: float, burst: int) -> SandboxServer:
    server = factory(SandboxOptions(edge_protection=True, edge_rate=rate, edge_burst=burst))
    with httpx2.Client(base_url=server.base_url) as c:
        override = {"path": DATES, "body": {"dates": []}}
        c.put("/_sandbox/overrides", json=override).raise_for_status()
    return server


@pytest.fixture
def strict(sandbox_factory: SandboxFactory) -> Iterator[SandboxServer]:
    """Edge on: one request a second, bursts of three."""
    yield edge_server(sandbox_factory, rate=1, burst=3)


def attempt(client: httpx2.Client) -> str:
    try:
        return str(client.get(DATES, params={"jurisdiction": "NSW"}).status_code)
    except RESET:
        return "reset"


def edge_resets(server: SandboxServer) -> int:
    return int(httpx2.get(server.base_url + "/_sandbox/stats").json()["edge_resets"])


def test_burst_beyond_the_bucket_is_reset(strict: SandboxServer) -> None:
    with httpx2.Client(base_url=strict.base_url, headers=BROWSER, timeout=5) as c:
        outcomes = [attempt(c) for _ in range(6)]
    assert outcomes == ["200", "200", "200", "reset", "reset", "reset"]
    assert edge_resets(strict) == 3


def test_missing_browser_headers_are_reset(strict: SandboxServer) -> None:
    for missing in BROWSER:
        headers = {name: value for name, value in BROWSER.items() if name != missing}
        with httpx2.Client(base_url=strict.base_url, headers=headers, timeout=5) as c:
            c.headers.pop(missing, None)  # httpx2 has its own User-Agent and Accept
            assert attempt(c) == "reset"
    assert edge_resets(strict) == 3
    with httpx2.Client(base_url=strict.base_url, headers=BROWSER, timeout=5) as c:
        assert attempt(c) == "200"  # refusals did not use up the bucket


def test_polite_client_passes(sandbox_factory: SandboxFactory) -> None:
    server = edge_server(sandbox_factory, rate=20, burst=2)
    with httpx2.Client(base_url=server.base_url, headers=BROWSER, timeout=5) as c:
        outcomes = []
        for _ in range(6):
            outcomes.append(attempt(c))
            time.sleep(0.1)
    assert outcomes == ["200"] * 6
    assert edge_resets(server) == 0


def test_buckets_are_per_client_address(strict: SandboxServer) -> None:
    other = httpx2.HTTPTransport(local_address="127.0.0.2")
    with (
        httpx2.Client(base_url=strict.base_url, headers=BROWSER, timeout=5) as first,
        httpx2.Client(base_url=strict.base_url, headers=BROWSER, timeout=5,
                      transport=other) as second,
    ):
        assert [attempt(first) for _ in range(4)] == ["200", "200", "200", "reset"]
        assert attempt(second) == "200"


def test_token_endpoint_is_behind_the_edge(strict: SandboxServer) -> None:
    form = {"grant_type": "client_credentials", "client_id": "sandbox-client",
            "client_secret": "sandbox-secret"}
    with httpx2.Client(base_url=strict.base_url, timeout=5) as c:
        with pytest.raises(RESET):
            c.post("/oauth/token", data=form)
        c.headers.update(BROWSER)
        assert c.post("/oauth/token", data=form).status_code == 200


def test_admin_routes_are_exempt(strict: SandboxServer) -> None:
    with httpx2.Client(base_url=strict.base_url, timeout=5) as c:
        assert [c.get("/_sandbox/stats").status_code for _ in range(8)] == [200] * 8


def test_off_by_default_and_switchable(sandbox_server: SandboxServer) -> None:
    with httpx2.Client(base_url=sandbox_server.base_url, timeout=5) as c:
        c.put("/_sandbox/overrides", json={"path": DATES, "body": {"dates": []}})
        assert {attempt(c) for _ in range(8)} == {"200"}
        config = c.put("/_sandbox/config", json={"edge_protection": True, "edge_burst": 2})
        assert config.json()["edge_protection"] is True
        assert attempt(c) == "reset"  # no Accept-Language
        c.headers.update(BROWSER)
        assert [attempt(c) for _ in range(3)] == ["200", "200", "reset"]
    assert edge_resets(sandbox_server) == 2
