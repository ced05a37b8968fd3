"""Inbound API keys over real HTTP: 401 without a valid key, the official client with one."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from app.asgi import create_app
from app.security.api_keys import ApiKeyError, ApiKeys, hash_entry
from tests.security.helpers import INITIALIZE, MCP_HEADERS, make_settings
from tests.support.clients import mcp_client
from tests.support.servers import serve

PLAIN_KEY = "plain-key-0123456789abcdef"
HASHED_KEY = "hashed-key-fedcba9876543210"
METRICS_KEY = "metrics-key-5555555555"


@pytest.fixture(scope="module")
def keyed_url() -> Iterator[str]:
    settings = make_settings(tab_mcp_api_keys=f"{PLAIN_KEY},{hash_entry(HASHED_KEY)}")
    with serve(create_app(settings)) as url:
        yield url


def post_initialize(url: str, **headers: str) -> httpx2.Response:
    with httpx2.Client(timeout=10) as http:
        return http.post(f"{url}/mcp", content=json.dumps(INITIALIZE),
                         headers={**MCP_HEADERS, **headers})


def test_missing_and_wrong_keys_get_the_same_401(keyed_url: str) -> None:
    missing = post_initialize(keyed_url)
    wrong = post_initialize(keyed_url, Authorization=f"Bearer {PLAIN_KEY[:-1]}x")
    prefix = post_initialize(keyed_url, Authorization=f"Bearer {PLAIN_KEY}extra")
    other_scheme = post_initialize(keyed_url, Authorization=f"Basic {PLAIN_KEY}")
    for response in (missing, wrong, prefix, other_scheme):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Bearer realm="tab-mcp"'
        assert response.headers["content-type"] == "application/json"
        assert response.content == missing.content
    error = missing.json()["error"]
    assert "Authorization: Bearer" in error["message"]
    assert error["data"]["scheme"] == "Bearer"
    assert PLAIN_KEY not in missing.text


@pytest.mark.anyio
@pytest.mark.parametrize("key", [PLAIN_KEY, HASHED_KEY])
async def test_official_client_works_with_a_plain_or_hashed_key(keyed_url: str, key: str) -> None:
    async with mcp_client(f"{keyed_url}/mcp", api_key=key) as client:
        tools = await client.list_tools()
        result = await client.call_tool("server_status", {})
    assert "server_status" in {tool.name for tool in tools.tools}
    assert not result.is_error


def test_scheme_is_case_insensitive_and_the_hash_itself_is_no_key(keyed_url: str) -> None:
    assert post_initialize(keyed_url, Authorization=f"bearer {PLAIN_KEY}").status_code == 200
    # Knowing the configured hash must not let anyone in.
    hashed = hash_entry(HASHED_KEY)
    assert post_initialize(keyed_url, Authorization=f"Bearer {hashed}").status_code == 401


def test_health_and_ready_stay_open(keyed_url: str) -> None:
    with httpx2.Client(timeout=10) as http:
        assert http.get(f"{keyed_url}/health").status_code == 200
        assert http.get(f"{keyed_url}/ready").status_code == 200
        # with API keys set, /metrics needs one too unless made public explicitly
        assert http.get(f"{keyed_url}/metrics").status_code == 401


def test_every_configured_key_is_compared_as_a_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    configured = ["first-key-aaaaaaaaaaaa", "second-key-bbbbbbbbbbb", "third-key-cccccccccccc"]
    keys = ApiKeys.parse([configured[0], hash_entry(configured[1]), configured[2]])
    expected = [hashlib.sha256(key.encode()).digest() for key in configured]
    for presented, index in [(configured[0], 0), (configured[2], 2), ("nope", None), (None, None)]:
        calls.clear()
        assert keys.match(presented) == index
        # every key, in order, whether or not (and wherever) one matched
        assert [b for _, b in calls] == expected
        digest = hashlib.sha256((presented or "").encode()).digest()
        assert all(a == digest for a, _ in calls)


def test_malformed_hash_entry_is_refused_without_echo() -> None:
    bad = "sha256:" + "z" * 64
    with pytest.raises(ApiKeyError) as error:
        ApiKeys.parse(["fine-key-000000000000", bad])
    assert "entry 2" in str(error.value) and bad not in str(error.value)


@pytest.mark.anyio
async def test_no_keys_configured_means_open() -> None:
    with serve(create_app(make_settings())) as url:
        async with mcp_client(f"{url}/mcp") as client:
            result = await client.call_tool("server_status", {})
    assert not result.is_error


@pytest.mark.parametrize(("settings", "headers", "status"), [
    ({"tab_mcp_metrics_key": METRICS_KEY}, {}, 401),
    ({"tab_mcp_metrics_key": METRICS_KEY}, {"Authorization": "Bearer wrong"}, 401),
    ({"tab_mcp_metrics_key": METRICS_KEY, "tab_mcp_api_keys": PLAIN_KEY},
     {"Authorization": f"Bearer {PLAIN_KEY}"}, 401),
    ({"tab_mcp_metrics_key": METRICS_KEY}, {"Authorization": f"Bearer {METRICS_KEY}"}, 200),
    ({"tab_mcp_metrics_public": False, "tab_mcp_api_keys": PLAIN_KEY}, {}, 401),
    ({"tab_mcp_metrics_public": False, "tab_mcp_api_keys": PLAIN_KEY},
     {"Authorization": f"Bearer {PLAIN_KEY}"}, 200),
    ({"tab_mcp_metrics_public": False}, {}, 403),
    ({"tab_mcp_metrics_public": True}, {}, 200),
])
def test_metrics_access_policy(settings: dict[str, Any], headers: dict[str, str],
                               status: int) -> None:
    with serve(create_app(make_settings(**settings))) as url, httpx2.Client(timeout=10) as http:
        response = http.get(f"{url}/metrics", headers=headers)
    assert response.status_code == status
    if status == 200:
        assert "tabmcp_inbound_rejected" in response.text
    if status == 401:
        assert response.headers["www-authenticate"] == 'Bearer realm="tab-mcp"'
        assert METRICS_KEY not in response.text
