"""`--workers N` / `WEB_CONCURRENCY`: N real worker processes share the port, each serving the
MCP endpoint and the probes, and all of them stop cleanly on SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator

import anyio
import httpx2
import pytest

from app.config import load_settings
from app.sandbox.embedded import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from app.sandbox.server import create_sandbox_app
from app.workers import workers_refusal
from tests.support.clients import mcp_client
from tests.support.process import REPO_ROOT, server_process
from tests.support.servers import serve


@pytest.fixture(scope="module")
def sandbox_url() -> Iterator[str]:
    """One standalone sandbox every worker reads from."""
    with serve(create_sandbox_app()) as url:
        yield url


def networked_sandbox(url: str, **extra: str) -> dict[str, str]:
    return {"TAB_SANDBOX": "true", "TAB_BASE_URL": url, "TAB_CLIENT_ID": SANDBOX_CLIENT_ID,
            "TAB_CLIENT_SECRET": SANDBOX_CLIENT_SECRET, **extra}


def worker_pids(log: str) -> list[int]:
    for line in log.splitlines():
        if '"workers started"' in line:
            return list(json.loads(line)["pids"])
    return []


@pytest.mark.anyio
@pytest.mark.parametrize("how", [["--workers", "2"], []], ids=["cli", "env"])
async def test_two_workers_serve_calls_and_stop_on_sigterm(sandbox_url: str,
                                                           how: list[str]) -> None:
    env = networked_sandbox(sandbox_url, WEB_CONCURRENCY="2" if not how else "1")
    with server_process(*how, env=env) as server:
        async def one_client(jurisdiction: str) -> None:
            async with mcp_client(server.mcp_url) as client:
                result = await client.call_tool("racing_meetings",
                                                {"jurisdiction": jurisdiction})
                assert not result.is_error, result.content
                assert result.structured_content and result.structured_content["meetings"]

        async with anyio.create_task_group() as group:
            for jurisdiction in ("NSW", "VIC", "QLD", "SA") * 2:
                group.start_soon(one_client, jurisdiction)
        async with httpx2.AsyncClient(timeout=5) as http:
            for _ in range(6):  # new connections, spread over the workers by the kernel
                assert (await http.get(f"{server.url}/health",
                                       headers={"Connection": "close"})).status_code == 200
        server.process.send_signal(signal.SIGTERM)
        code = await anyio.to_thread.run_sync(lambda: server.process.wait(timeout=20))
        log = server.output()
    pids = worker_pids(log)
    assert len(set(pids)) == 2 and server.process.pid not in pids, log
    assert code == 0, log
    for pid in pids:
        assert f"Finished server process [{pid}]" in log, log
    assert re.search(r'"exit_codes": \[0, 0\]', log), log


def test_the_command_line_wins_over_web_concurrency(sandbox_url: str) -> None:
    env = networked_sandbox(sandbox_url, WEB_CONCURRENCY="3")
    with server_process("--workers", "1", env=env) as server:
        assert httpx2.get(f"{server.url}/health", timeout=5).status_code == 200
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 0
        assert "workers started" not in server.output()


def test_workers_refuse_the_embedded_sandbox() -> None:
    done = subprocess.run([sys.executable, "-m", "app", "--sandbox", "--workers", "2"],
                          cwd=tempfile.gettempdir(), capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 2
    assert "embedded sandbox" in done.stderr and "python -m app.sandbox" in done.stderr
    assert "--workers 1" in done.stderr


BETTING_ACCOUNT: dict[str, object] = {
    "tab_username": "1234567", "tab_password": "pw-canary-workers", "tab_client_id": "client",
    "tab_client_secret": "secret-canary-workers", "tab_base_url": "http://127.0.0.1:9",
    "tab_mcp_api_keys": "k" * 32, "tab_mcp_betting": True, "web_concurrency": 2}


@pytest.mark.parametrize(("shared", "refused"), [
    ({}, True),
    ({"web_concurrency": 1}, False),
    ({"tab_mcp_quote_secret": "q" * 32}, False),
    ({"tab_mcp_redis_url": "redis://127.0.0.1:9/0", "tab_mcp_store_key": "s" * 32}, False),
    ({"tab_mcp_betting": False}, False),
])
def test_workers_with_betting_need_one_quote_key(shared: dict[str, object],
                                                 refused: bool) -> None:
    settings = load_settings(None, **{**BETTING_ACCOUNT, **shared})
    refusal = workers_refusal(settings, sandbox=False)
    assert (refusal is not None) == refused
    if refusal is not None:
        assert "TAB_MCP_QUOTE_SECRET" in refusal and "--workers 1" in refusal
        assert "canary" not in refusal


def test_a_bad_worker_count_names_the_variable() -> None:
    done = subprocess.run([sys.executable, "-m", "app"], cwd=tempfile.gettempdir(),
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT),
                               "WEB_CONCURRENCY": "0"})
    assert done.returncode == 2
    assert "WEB_CONCURRENCY" in done.stderr
