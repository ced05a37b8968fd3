"""`--workers N` / `WEB_CONCURRENCY`: N real worker processes share the port, each serving the
MCP endpoint and the probes, and all of them stop cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import anyio
import httpx2
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from app.config import load_settings
from app.observability.metrics import REGISTRY
from app.observability.worker_metrics import (
    MULTIPROC_DIR_ENV,
    exposition_registry,
    shared_metrics_dir,
)
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


def samples(families: Iterable[Metric], name: str) -> list[float]:
    """The values of every sample called `name`."""
    return [sample.value for family in families for sample in family.samples
            if sample.name == name]


def counted_calls(families: Iterable[Metric]) -> float:
    """The sum of `tabmcp_tool_calls_total` over every tool and outcome."""
    return sum(samples(families, "tabmcp_tool_calls_total"))


def calls_counted_by(metrics_dir: Path, pid: int) -> float:
    """The tool calls one worker has counted, read from its own file alone."""
    with tempfile.TemporaryDirectory() as alone:
        if (metrics_dir / f"counter_{pid}.db").exists():
            shutil.copy(metrics_dir / f"counter_{pid}.db", alone)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=alone)  # type: ignore[no-untyped-call]
        return counted_calls(registry.collect())


def private_metrics_dir(tmp: Path) -> Path:
    """The one metrics directory the parent made under `tmp`, readable by its owner only."""
    (path,) = tmp.glob("tab-mcp-metrics-*")
    assert path.stat().st_mode & 0o777 == 0o700
    return path


@pytest.mark.anyio
async def test_one_scrape_counts_the_calls_of_every_worker(sandbox_url: str,
                                                           tmp_path: Path) -> None:
    # The parent makes its metrics directory under TMPDIR: here, where the test can see it.
    env = networked_sandbox(sandbox_url, TMPDIR=str(tmp_path))
    with server_process("--workers", "2", env=env) as server:
        pids = worker_pids(server.output())
        metrics_dir = private_metrics_dir(tmp_path)

        async def one_call() -> None:  # one client, its own connections
            async with mcp_client(server.mcp_url) as client:
                result = await client.call_tool("racing_meetings", {"jurisdiction": "NSW"})
                assert not result.is_error, result.content

        calls = 0
        # New connections go to whichever worker accepts first: call until both have served.
        for _ in range(10):
            async with anyio.create_task_group() as group:
                for _ in range(8):
                    group.start_soon(one_call)
            calls += 8
            if all(calls_counted_by(metrics_dir, pid) for pid in pids):
                break
        per_worker = [calls_counted_by(metrics_dir, pid) for pid in pids]
        assert all(per_worker) and sum(per_worker) == calls, (per_worker, calls)
        async with httpx2.AsyncClient(timeout=5) as http:
            response = await http.get(f"{server.url}/metrics")
        assert response.status_code == 200
        families = list(text_string_to_metric_families(response.text))
        assert counted_calls(families) == calls
        # Each gauge is one value combined over the workers, not one series per worker.
        assert samples(families, "tabmcp_upstream_breaker_open") == [0]
        assert samples(families, "tabmcp_store_shared") == [0]
        server.process.send_signal(signal.SIGTERM)
        assert await anyio.to_thread.run_sync(lambda: server.process.wait(timeout=20)) == 0
    assert not metrics_dir.exists()


def test_workers_serve_without_a_writable_temporary_directory(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    monkeypatch.delenv(MULTIPROC_DIR_ENV, raising=False)
    with shared_metrics_dir() as path:
        assert path is None
        assert MULTIPROC_DIR_ENV not in os.environ
        assert exposition_registry() is REGISTRY


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
