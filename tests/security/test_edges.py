"""Smaller edges of the inbound policy: Host matching, loopback names, request ids, metrics."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2
import pytest
from pydantic import ValidationError

from app.asgi import create_app
from app.security.startup import startup_refusal
from app.setting_rules import is_loopback_host
from app.tab.breaker import CircuitBreaker
from app.tab.errors import CircuitOpen
from app.tools.calls import describe
from tests.security.helpers import INITIALIZE, MCP_HEADERS, make_settings
from tests.support.clients import mcp_client
from tests.support.servers import serve

API_KEY = "edges-key-0123456789abcdef"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with serve(create_app(make_settings(tab_mcp_allowed_hosts="mcp.example.com"))) as base:
        yield base


def initialize(url: str, host: bytes) -> httpx2.Response:
    """POST an initialize with `host` as raw header bytes (they may be any bytes at all)."""
    headers = [(name.encode(), value.encode()) for name, value in MCP_HEADERS.items()]
    return httpx2.post(f"{url}/mcp", content=json.dumps(INITIALIZE),
                       headers=[*headers, (b"Host", host)], timeout=10)


@pytest.mark.parametrize("host", ["LOCALHOST", "LocalHost:8081", "MCP.Example.COM",
                                  "mcp.example.com:443"])
def test_host_matching_ignores_case(url: str, host: str) -> None:
    response = initialize(url, host.encode())
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("host", [
    b"localhost:8\xb2",  # a superscript two: a digit to str.isdigit(), not to a port
    "localhost:\u0668\u0660".encode(), "localhost:８０".encode(), b"localhost:80x",
    b"localhost:", b"localhost:123456", b"localhost.evil.com"])
def test_host_ports_are_ascii_digits_only(url: str, host: bytes) -> None:
    response = initialize(url, host)
    assert response.status_code == 421
    assert "Host is not served here" in response.json()["error"]["message"]


@pytest.mark.parametrize("name", ["sandbox.localhost", "evil.localhost", "localhost.evil.com"])
def test_subdomains_of_localhost_are_not_taken_for_loopback(name: str) -> None:
    assert not is_loopback_host(name)
    with pytest.raises(ValidationError, match="must use https"):
        make_settings(tab_base_url=f"http://{name}")
    exposed = make_settings(host=name, tab_client_id="id", tab_client_secret="secret-value",
                            tab_username="user", tab_password="password-value")
    assert startup_refusal(exposed) is not None


@pytest.mark.parametrize(("inbound", "kept"), [
    ("proxy-id-0123456789", True),
    ("short", False),
    ("x" * 65, False),
    ("bad id with spaces", False),
    ("id\u00e9-0123456789", False),
])
def test_client_request_ids_are_validated_or_replaced(url: str, inbound: str,
                                                      kept: bool) -> None:
    response = httpx2.get(f"{url}/health", headers=[(b"X-Request-ID", inbound.encode())],
                          timeout=10)
    returned = response.headers["x-request-id"]
    assert (returned == inbound) is kept
    assert len(returned) <= 64 and returned.isascii()


@pytest.mark.anyio
async def test_metrics_need_an_api_key_once_api_keys_are_set() -> None:
    with serve(create_app(make_settings(tab_mcp_api_keys=API_KEY))) as base:
        async with mcp_client(f"{base}/mcp", api_key=API_KEY) as client:
            assert not (await client.call_tool("server_status", {})).is_error
        anonymous = httpx2.get(f"{base}/metrics", timeout=10)
        keyed = httpx2.get(f"{base}/metrics", headers={"Authorization": f"Bearer {API_KEY}"},
                           timeout=10)
    assert anonymous.status_code == 401
    assert keyed.status_code == 200 and "tabmcp_" in keyed.text


def test_metrics_can_still_be_made_public_explicitly() -> None:
    settings = make_settings(tab_mcp_api_keys=API_KEY, tab_mcp_metrics_public=True)
    with serve(create_app(settings)) as base:
        assert httpx2.get(f"{base}/metrics", timeout=10).status_code == 200


def test_an_open_breaker_tells_the_client_when_to_try_again() -> None:
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout=42.0)
    breaker.record_failure()
    with pytest.raises(CircuitOpen) as raised:
        breaker.before_call()
    message = describe(raised.value)
    assert "try again in about 42 s" in message
    assert "timeouts or server errors" not in message
