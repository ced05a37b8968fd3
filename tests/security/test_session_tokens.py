"""Sessions that bring their own Tabcorp credentials each get their own upstream token.

The server runs over real HTTP against an in-process sandbox; the sandbox's counters and
credential registry are the observations.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from mcp import Client

from app.asgi import create_app
from app.sandbox.embedded import SANDBOX_BASE_URL, SANDBOX_TOKEN_URL, sandbox_transport
from app.sandbox.options import SandboxOptions
from app.sandbox.state import SandboxState
from app.services import Services
from tests.security.helpers import make_settings
from tests.support.clients import mcp_client
from tests.support.servers import serve

ALICE = {"X-TAB-Client-Id": "alice-client",
         "X-TAB-Client-Secret": "alice-Secret-0001"}  # pragma: allowlist secret
BOB = {"X-TAB-Client-Id": "bob-client",
       "X-TAB-Client-Secret": "bob-Secret-0002"}  # pragma: allowlist secret


@dataclass
class Deployment:
    url: str
    sandbox: SandboxState

    def token_requests(self) -> tuple[int, int]:
        stats = self.sandbox.stats.snapshot()
        return (stats["token_requests"]["client_credentials"],
                stats["token_failures"]["client_credentials"])


@contextlib.contextmanager
def deploy(*, cache: bool) -> Iterator[Deployment]:
    options = SandboxOptions(clients={"alice-client": ALICE["X-TAB-Client-Secret"],
                                      "bob-client": BOB["X-TAB-Client-Secret"]}, accounts={})
    transport = sandbox_transport(options)
    # The server itself holds no credentials: every token request is a session's.
    settings = make_settings(tab_sandbox=True, tab_base_url=SANDBOX_BASE_URL,
                             tab_token_url=SANDBOX_TOKEN_URL, tab_mcp_rate_limit=0,
                             tab_cache_enabled=cache)
    app = create_app(settings, Services(settings, transport=transport))
    with serve(app) as url:
        yield Deployment(url, transport.app.state.sandbox)  # type: ignore[attr-defined]


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    # Without the response cache every call reaches the upstream with its session's token
    # (concurrent calls below differ in their upstream path, so none rides on another's).
    with deploy(cache=False) as running:
        yield running


async def call(client: Client, tool: str = "racing_dates", **arguments: Any) -> Any:
    return await client.call_tool(tool, arguments)


@pytest.mark.anyio
async def test_two_concurrent_sessions_get_one_token_each(deployment: Deployment) -> None:
    url = f"{deployment.url}/mcp"
    async with (mcp_client(url, headers=ALICE) as alice, mcp_client(url, headers=BOB) as bob,
                mcp_client(url, headers=ALICE) as alice_again):
        first = await asyncio.gather(call(alice), call(bob, "racing_jackpots"))
        assert [result.is_error for result in first] == [False, False], first
        assert deployment.token_requests() == (2, 0)

        # Reused per credential set, never per call or per connection.
        again = await asyncio.gather(call(alice, "racing_jackpots"), call(bob),
                                     call(alice_again, "racing_meetings"))
        assert not any(result.is_error for result in again)
        assert deployment.token_requests() == (2, 0)

        # Bob's secret is rotated upstream and every token expires: only Bob's session
        # fails, so each session was using its own credentials.
        deployment.sandbox.credentials.set_client("bob-client", "rotated-Secret-0003")
        deployment.sandbox.tokens.expire_all()
        alice_result, bob_result = await asyncio.gather(call(alice),
                                                        call(bob, "racing_jackpots"))
    assert not alice_result.is_error
    assert bob_result.is_error
    text = str(bob_result.content)
    assert "credentials" in text
    for secret in (BOB["X-TAB-Client-Secret"], ALICE["X-TAB-Client-Secret"]):
        assert secret not in text
    requests, failures = deployment.token_requests()
    assert requests >= 4 and failures >= 1


@pytest.mark.anyio
async def test_sessions_without_credentials_share_the_servers_access(
        deployment: Deployment) -> None:
    url = f"{deployment.url}/mcp"
    async with mcp_client(url) as anonymous, mcp_client(
            url, headers={"X-TAB-Jurisdiction": "VIC"}) as victorian:
        results = await asyncio.gather(call(anonymous), call(victorian, "racing_jackpots"))
    assert not any(result.is_error for result in results)
    assert deployment.token_requests() == (0, 0)


@pytest.mark.anyio
async def test_cached_data_is_never_served_across_credential_sets() -> None:
    with deploy(cache=True) as deployment:
        url = f"{deployment.url}/mcp"
        deployment.sandbox.credentials.set_client("bob-client", "rotated-Secret-0004")
        async with mcp_client(url, headers=ALICE) as alice, mcp_client(
                url, headers=BOB) as bob:
            alice_first = await call(alice)
            alice_again = await call(alice)
            bob_result = await call(bob)
    assert not alice_first.is_error and not alice_again.is_error
    # Bob's credentials are rejected upstream: he must not be served Alice's cached dates.
    assert bob_result.is_error and "credentials" in str(bob_result.content)
