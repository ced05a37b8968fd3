"""Shutdown drains: on SIGTERM (or Ctrl-C) the calls in flight finish and their results reach
the client, new requests get 503 with `Connection: close`, and the process exits 0."""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client

from app.sandbox.embedded import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from app.sandbox.options import FaultConfig, SandboxOptions
from app.sandbox.server import create_sandbox_app
from tests.support.clients import mcp_client
from tests.support.process import ServerProcess, server_process
from tests.support.servers import serve

SLOW_MS = 2500
CALLS = 4
INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-06-18", "capabilities": {},
    "clientInfo": {"name": "drain-test", "version": "1"}}}


@pytest.fixture
def slow_sandbox() -> Iterator[str]:
    """A sandbox whose every info-service answer takes SLOW_MS."""
    options = SandboxOptions(faults=[FaultConfig(latency_ms=SLOW_MS)])
    with serve(create_sandbox_app(options)) as url:
        yield url


def server_env(sandbox_url: str, **extra: str) -> dict[str, str]:
    return {"TAB_SANDBOX": "true", "TAB_BASE_URL": sandbox_url,
            "TAB_CLIENT_ID": SANDBOX_CLIENT_ID, "TAB_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
            "TAB_CACHE_ENABLED": "false", **extra}


def wait_for_exit(server: ServerProcess, timeout: float) -> int:
    try:
        return server.process.wait(timeout=timeout)
    except Exception:
        pytest.fail(f"the server did not exit within {timeout} s:\n{server.output()}")


async def calls_across_signal(server: ServerProcess, sig: signal.Signals
                              ) -> tuple[list[Any], httpx2.Response, float]:
    """Start CALLS slow tool calls, send `sig` while they run, then a new request.

    Returns the calls' results, the new request's response and the seconds from the signal
    to the last result."""
    results: list[Any] = []
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(mcp_client(server.mcp_url))
                   for _ in range(CALLS)]
        for client in clients:
            await client.list_tools()  # the client validates results against the listing

        async def one_call(client: Client, jurisdiction: str) -> None:
            results.append(await client.call_tool("racing_meetings",
                                                  {"jurisdiction": jurisdiction}))

        async with anyio.create_task_group() as group:
            for client, jurisdiction in zip(clients, ("NSW", "VIC", "QLD", "SA"), strict=False):
                group.start_soon(one_call, client, jurisdiction)
            await anyio.sleep(SLOW_MS / 1000 / 2)  # every call is now waiting on the upstream
            server.process.send_signal(sig)
            signalled = time.monotonic()
            await anyio.sleep(0.3)
            async with httpx2.AsyncClient(timeout=5) as http:
                refused = await http.post(server.mcp_url, json=INITIALIZE, headers={
                    "Accept": "application/json, text/event-stream"})
        took = time.monotonic() - signalled
    return results, refused, took


@pytest.mark.anyio
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_calls_in_flight_finish_across_a_shutdown_signal(
        slow_sandbox: str, sig: signal.Signals) -> None:
    with server_process(env=server_env(slow_sandbox)) as server:
        results, refused, took = await calls_across_signal(server, sig)
        code = wait_for_exit(server, timeout=15)
        log = server.output()
    assert len(results) == CALLS, log
    for result in results:
        assert not result.is_error, result.content
        assert result.structured_content and result.structured_content["meetings"], result
    assert took >= SLOW_MS / 1000 / 2 - 0.2  # they really were still running at the signal
    assert refused.status_code == 503, refused.text
    assert refused.headers["connection"] == "close"
    assert "shutting down" in refused.json()["error"]["message"]
    assert code == 0, log
    assert "drained; stopping" in log and '"unfinished": 0' in log


@pytest.mark.anyio
async def test_an_idle_standalone_stream_is_closed_at_shutdown(slow_sandbox: str) -> None:
    with server_process(env=server_env(slow_sandbox)) as server:
        async with httpx2.AsyncClient(timeout=15) as http, http.stream(
                "GET", server.mcp_url, headers={"Accept": "text/event-stream",
                                                "Mcp-Protocol-Version": "2025-06-18"}) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            # The stream ends when the server closes it (an idle stream has nothing to finish,
            # so it may be cut without the final chunk).
            with contextlib.suppress(httpx2.RemoteProtocolError):
                async for _ in stream.aiter_bytes():
                    pass
            closed_after = time.monotonic() - started
        code = await anyio.to_thread.run_sync(wait_for_exit, server, 15)
    assert code == 0, server.output()
    assert closed_after < 5, closed_after  # not held for the whole graceful timeout (10 s)


@pytest.mark.anyio
async def test_a_call_longer_than_the_graceful_timeout_is_ended(slow_sandbox: str) -> None:
    env = server_env(slow_sandbox, TAB_MCP_GRACEFUL_TIMEOUT="1")
    with server_process(env=env) as server:
        async with anyio.create_task_group() as group:
            async def stuck_call() -> None:
                with pytest.raises(Exception):  # noqa: B017 - the stream is cut
                    async with mcp_client(server.mcp_url, http_timeout=10) as client:
                        await client.call_tool("racing_meetings", {})
                        await client.call_tool("racing_meetings", {"jurisdiction": "VIC"})
            group.start_soon(stuck_call)
            await anyio.sleep(0.5)
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            code = await anyio.to_thread.run_sync(wait_for_exit, server, 15)
            took = time.monotonic() - started
    assert code == 0, server.output()
    assert took < 4.5, took


@pytest.mark.anyio
async def test_each_worker_drains_its_calls_in_flight(slow_sandbox: str) -> None:
    with server_process("--workers", "2", env=server_env(slow_sandbox)) as server:
        results, refused, _ = await calls_across_signal(server, signal.SIGTERM)
        code = wait_for_exit(server, timeout=20)
        log = server.output()
    assert len(results) == CALLS, log
    assert all(not result.is_error for result in results), log
    assert refused.status_code == 503, refused.text
    assert code == 0, log
    assert log.count("drained; stopping") == 2 and '"exit_codes": [0, 0]' in log, log
