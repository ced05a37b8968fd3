"""Hostile credential load: new credential sets cost nothing until a token is needed, rejected
sets are backed off, and `/ready` never logs in on its own nor explains itself to strangers.

Over real HTTP: tab-mcp and the sandbox on sockets (the production transport), the sandbox's
counters as the observation.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import ssl
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from app.asgi import create_app
from tests.security.helpers import make_settings
from tests.support.stack import Stack, running_stack

API_KEY = "exhaustion-key-0123456789abcdef"  # pragma: allowlist secret


def session_headers(index: int) -> dict[str, str]:
    """A distinct per-session credential set the sandbox does not know."""
    return {"X-TAB-Client-Id": f"flood-client-{index}",
            "X-TAB-Client-Secret": f"flood-Secret-{index:05d}"}  # pragma: allowlist secret


class _Shared(httpx2.AsyncBaseTransport):
    """A transport that outlives the clients using it (they close it on exit)."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        pass


@contextlib.asynccontextmanager
async def shared_transport() -> AsyncIterator[httpx2.AsyncBaseTransport]:
    # One transport for every test client, so the test itself builds no TLS context per set.
    async with httpx2.AsyncHTTPTransport() as transport:
        yield _Shared(transport)


async def call_with(transport: httpx2.AsyncBaseTransport, url: str, headers: dict[str, str],
                    tool: str, calls: int = 1) -> list[CallToolResult]:
    async with httpx2.AsyncClient(transport=transport, headers=headers,
                                  timeout=httpx2.Timeout(30)) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            return [await client.call_tool(tool, {}) for _ in range(calls)]


async def bounded(calls: list[Any], at_once: int = 16) -> list[Any]:
    """Await `calls` with at most `at_once` running (a flood without exhausting the test's own
    sockets)."""
    gate = asyncio.Semaphore(at_once)

    async def one(call: Any) -> Any:
        async with gate:
            return await call

    return list(await asyncio.gather(*(one(call) for call in calls)))


def token_requests(stack: Stack) -> int:
    counts: dict[str, int] = stack.admin("GET", "/_sandbox/stats")["token_requests"]
    return sum(counts.values())


def live_ssl_contexts() -> int:
    gc.collect()
    return sum(isinstance(item, ssl.SSLContext) for item in gc.get_objects())


@pytest.mark.anyio
async def test_new_credential_sets_build_no_tls_context_and_call_nobody() -> None:
    with running_stack(tab_mcp_rate_limit=0) as stack:
        async with shared_transport() as transport:
            await call_with(transport, stack.mcp_url, session_headers(0), "server_status")
            before = live_ssl_contexts()
            results = await bounded([
                call_with(transport, stack.mcp_url, session_headers(index), "server_status")
                for index in range(1, 41)])
            after = live_ssl_contexts()
        assert not any(result.is_error for batch in results for result in batch)
        assert after - before <= 2, f"{after - before} TLS contexts for 40 credential sets"
        assert token_requests(stack) == 0


@pytest.mark.anyio
async def test_rejected_session_credentials_are_tried_once_then_backed_off() -> None:
    sets = 120
    with running_stack(tab_mcp_rate_limit=0, tab_cache_enabled=False) as stack:
        async with shared_transport() as transport:
            batches = await bounded([
                call_with(transport, stack.mcp_url, session_headers(index), "racing_dates", 3)
                for index in range(sets)])
            requests_after_flood = stack.upstream_requests()
        assert token_requests(stack) == sets  # each set once, never again while backed off
        assert requests_after_flood == sets  # no data request without a token
        for batch in batches:
            assert all(result.is_error for result in batch)
            last = batch[-1].content[0].text
            assert "rejected" in last and "flood-Secret" not in last


@pytest.mark.anyio
async def test_ready_never_logs_in_while_server_credentials_are_rejected() -> None:
    with running_stack(tab_client_secret="wrong-secret-0000", tab_mcp_rate_limit=0) as stack:
        async with httpx2.AsyncClient(timeout=30) as http:
            first = await http.get(f"{stack.url}/ready")
            assert first.status_code == 200  # nothing known yet, and /ready does not ask
            async with shared_transport() as transport:
                [failed] = await call_with(transport, stack.mcp_url, {}, "racing_dates")
            assert failed.is_error
            answers = await bounded([http.get(f"{stack.url}/ready") for _ in range(300)])
            # and a tool call within the backoff fails fast without a login
            async with shared_transport() as transport:
                [again] = await call_with(transport, stack.mcp_url, {}, "racing_dates")
        assert {answer.status_code for answer in answers} == {503}
        assert "rejected" in answers[-1].json()["reason"]
        assert again.is_error and "rejected" in again.content[0].text  # type: ignore[union-attr]
        assert token_requests(stack) == 1


def _ready_body(client: tuple[str, int], **headers: str) -> Any:
    settings = make_settings(tab_sandbox=True, tab_mcp_api_keys=API_KEY)
    transport = httpx2.ASGITransport(create_app(settings), client=client)

    async def get() -> Any:
        async with httpx2.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            return (await http.get("/ready", headers=headers)).json()

    return asyncio.run(get())


def test_ready_gives_reasons_only_on_loopback_or_with_an_api_key() -> None:
    stranger = _ready_body(("203.0.113.9", 40000))
    keyed = _ready_body(("203.0.113.9", 40000), Authorization=f"Bearer {API_KEY}")
    wrong_key = _ready_body(("203.0.113.9", 40000), Authorization="Bearer not-the-key")
    local = _ready_body(("127.0.0.1", 40000))
    assert set(stranger) == {"status"} and set(wrong_key) == {"status"}
    assert "reason" in keyed and "reason" in local
