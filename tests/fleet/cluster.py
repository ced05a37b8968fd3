"""A fleet on one machine: a sandbox over a real socket, a real redis-server, and several
`python -m app` processes pointed at both."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx2
from prometheus_client.parser import text_string_to_metric_families

from app.sandbox.embedded import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from app.sandbox.options import FaultConfig, SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from tests.support.clients import mcp_client
from tests.support.process import ServerProcess, server_process
from tests.support.redis_server import RedisServer
from tests.support.servers import serve

STORE_KEY = "c0ffee" * 10 + "c0ff"


@dataclass
class Fleet:
    """The sandbox (upstream), the store, and the processes serving from them."""

    sandbox_url: str
    redis: RedisServer
    servers: list[ServerProcess]

    def stats(self) -> dict[str, Any]:
        """The sandbox's request counters (`GET /_sandbox/stats`)."""
        response = httpx2.get(f"{self.sandbox_url}/_sandbox/stats", timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call a sandbox admin route (e.g. `("PUT", "/_sandbox/config", {...})`)."""
        response = httpx2.request(method, self.sandbox_url + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def reset_stats(self) -> None:
        httpx2.post(f"{self.sandbox_url}/_sandbox/stats/reset", timeout=10).raise_for_status()

    def requests_for(self, path: str) -> int:
        """How many requests the sandbox served for the info-service `path`."""
        return int(self.stats()["requests"].get(SERVICE_ROOT + path, 0))

    def upstream(self, path: str) -> Any:
        """GET an info-service path straight from the sandbox (not counted by tab-mcp)."""
        response = httpx2.get(f"{self.sandbox_url}{SERVICE_ROOT}{path}",
                              params={"jurisdiction": "NSW"}, timeout=10)
        response.raise_for_status()
        return response.json()


async def next_race_cards(server: ServerProcess, count: int) -> list[dict[str, Any]]:
    """`race_card` arguments for the next `count` races, as `next_to_go` lists them."""
    async with mcp_client(server.mcp_url) as client:
        await client.list_tools()
        listing = await client.call_tool("next_to_go", {"count": count})
    return [{"venue": row["venue_code"] or row["venue"], "race_type": row["race_type"],
             "race_number": row["race_number"], "date": row["meeting_date"]}
            for row in listing.structured_content["races"]]


def ready(server: ServerProcess) -> dict[str, Any]:
    """The server's `/ready` body (read from loopback, so reasons are included)."""
    body: dict[str, Any] = httpx2.get(f"{server.url}/ready", timeout=10).json()
    return body


def metric(server: ServerProcess, name: str, **labels: str) -> float:
    """The sum of the samples of `name` with `labels` in the server's `/metrics`."""
    text = httpx2.get(f"{server.url}/metrics", timeout=10).text
    return sum(sample.value for family in text_string_to_metric_families(text)
               for sample in family.samples
               if sample.name == name and labels.items() <= sample.labels.items())


@contextlib.contextmanager
def running_fleet(redis: RedisServer, *, processes: int = 2, latency_ms: int = 0,
                  namespace: str, each: Callable[[int], dict[str, str]] | None = None,
                  **env: str) -> Iterator[Fleet]:
    """A sandbox (each info-service answer `latency_ms` late) and `processes` servers sharing
    `redis` under `namespace`; `env` adds settings, `each(n)` those of process `n` alone."""
    faults = ([FaultConfig(latency_ms=latency_ms, path_prefix=SERVICE_ROOT)]
              if latency_ms else [])
    with serve(create_sandbox_app(SandboxOptions(faults=faults))) as sandbox_url:
        settings = {"TAB_SANDBOX": "true", "TAB_BASE_URL": sandbox_url,
                    "TAB_CLIENT_ID": SANDBOX_CLIENT_ID, "TAB_CLIENT_SECRET": SANDBOX_CLIENT_SECRET,
                    "TAB_MCP_REDIS_URL": redis.url, "TAB_MCP_STORE_KEY": STORE_KEY,
                    "TAB_MCP_STORE_NAMESPACE": namespace, "TAB_MCP_LOG_LEVEL": "WARNING",
                    **env}
        with contextlib.ExitStack() as stack, ThreadPoolExecutor(processes) as pool:
            # Started side by side: each takes seconds to import and warm up.
            starting = [server_process(env={**settings, **(each(n) if each else {})})
                        for n in range(processes)]
            servers = list(pool.map(stack.enter_context, starting))
            yield Fleet(sandbox_url, redis, servers)
