"""The cache warmer against the sandbox over real sockets, through the real upstream client.

What is asserted is what the warmer promises: warmed cards are cache hits for the tools, its
upstream requests stay within its share (counted where they arrive), a caller's requests never
queue behind its reads, it stops cleanly, and upstream faults neither stop it nor flood the log.
Waits poll for a state with a generous limit; nothing asserts how fast anything is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import structlog

from app.config import Settings
from app.observability.metrics import REGISTRY
from app.sandbox.options import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from app.sandbox.server import create_sandbox_app
from app.services import Services
from app.tab.caller import caller_scope
from app.tab.deadline import call_deadline
from app.warming.warmer import ALLOWANCE_BURST
from tests.support.servers import serve
from tests.support.stack import running_stack
from tests.tab.conftest import SERVICE_ROOT, Recorder, Sandbox

pytestmark = pytest.mark.anyio

RACE_PATH = SERVICE_ROOT + "/racing/dates/"  # race detail paths start so; next-to-go does not
AGENT_PATH = SERVICE_ROOT + "/racing/dates"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    """A private sandbox on a real socket, recording every request's arrival."""
    recorder = Recorder(create_sandbox_app())
    with serve(recorder, lifespan="off", access_log=False) as base_url:
        made = Sandbox("socket", base_url, recorder, None)
        yield made
        await made.aclose()


@contextlib.asynccontextmanager
async def services_on(sandbox: Sandbox, **overrides: Any) -> AsyncIterator[Services]:
    """Started `Services` reading from `sandbox` with the warmer on; stopped on exit."""
    values: dict[str, Any] = {"tab_base_url": sandbox.base_url, "tab_mcp_warmer": "on",
                              "tab_client_id": DEFAULT_CLIENT_ID,
                              "tab_client_secret": DEFAULT_CLIENT_SECRET, **overrides}
    services = Services(Settings(_env_file=None, **values))  # type: ignore[call-arg]
    await services.start()
    try:
        yield services
    finally:
        await services.stop()


async def until(condition: Callable[[], bool], what: str, limit: float = 20.0) -> None:
    """Poll `condition` until it holds (fail after `limit` seconds: something is broken)."""
    ends = time.monotonic() + limit
    while not condition():
        if time.monotonic() > ends:
            pytest.fail(f"never happened: {what}")
        await asyncio.sleep(0.05)


def warmer_reads(outcome: str) -> float:
    return REGISTRY.get_sample_value("tabmcp_warmer_reads_total", {"outcome": outcome}) or 0.0


def race_reads(recorder: Recorder) -> list[float]:
    return [seen.at for seen in recorder.requests if seen.path.startswith(RACE_PATH)]


async def test_warmed_cards_are_cache_hits_for_market_movers() -> None:
    with running_stack(tab_mcp_warmer="off") as cold:
        first = await cold.call("market_movers", races=5, min_move_pct=0)
        assert first["source"]["cached"] is False  # without the warmer the tool fetches
    with running_stack(tab_mcp_warmer="on", tab_mcp_warmer_races=5,
                       tab_rate_limit=20) as stack:
        def warmed() -> bool:
            races = stack.admin("GET", "/_sandbox/stats")["requests"]
            return sum(1 for path in races if path.startswith(RACE_PATH)) >= 5

        await until(warmed, "the warmer read the next five races' cards")
        result = await stack.call("market_movers", races=5, min_move_pct=0)
        assert result["races_scanned"] == 5
        assert result["source"]["cached"] is True  # the list and every card: cache hits


async def test_the_warmer_stays_within_its_share_of_the_upstream_rate(sandbox: Sandbox) -> None:
    rate, share = 8.0, 0.25
    before = warmer_reads("no_budget")
    async with services_on(sandbox, tab_rate_limit=rate, tab_mcp_warmer_share=share):
        await until(lambda: len(sandbox.recorder.requests) >= 6, "six warmer requests")
        await until(lambda: warmer_reads("no_budget") > before, "the warmer ran out of budget")
    arrivals = sorted(seen.at for seen in sandbox.recorder.requests)
    allowed = share * rate
    for i, start in enumerate(arrivals):
        for j in range(i, len(arrivals)):
            # its own bucket (rate share*rate, burst ALLOWANCE_BURST) bounds any window, plus one
            # for a request granted just before the window and delayed on its way
            assert j - i + 1 <= ALLOWANCE_BURST + 1 + allowed * (arrivals[j] - start), (
                f"{j - i + 1} requests in {arrivals[j] - start:.2f} s")


async def test_a_callers_requests_never_queue_behind_the_warmer(sandbox: Sandbox) -> None:
    async with services_on(sandbox, tab_rate_limit=2.0, tab_rate_burst=3,
                           tab_mcp_warmer_share=1.0) as services:
        await until(lambda: len(race_reads(sandbox.recorder)) >= 2, "the warmer is busy")
        refused = warmer_reads("no_budget")

        async def agent_read(n: int) -> None:
            with caller_scope("agent"), call_deadline(60):
                await services.client.get_raw(AGENT_PATH, {"probe": n})

        await asyncio.gather(*(agent_read(n) for n in range(6)))
        assert warmer_reads("no_budget") > refused  # it kept trying while the agent waited
    agent = [seen.at for seen in sandbox.recorder.requests if seen.path == AGENT_PATH]
    assert len(agent) == 6
    # The warmer reads one card at a time, so one read granted before the agent's requests came
    # may still arrive among them; any other would have been granted while they waited.
    warmer_between = [at for at in race_reads(sandbox.recorder) if agent[0] <= at <= agent[-1]]
    assert len(warmer_between) <= 1, warmer_between


async def test_stop_cancels_the_warmer_with_a_read_in_flight(sandbox: Sandbox) -> None:
    await sandbox.faults({"latency_ms": 3000, "path_prefix": "/racing/dates"})
    async with services_on(sandbox, tab_rate_limit=20) as services:
        warmer = services.warmer
        assert warmer is not None and warmer.running
        await until(lambda: len(race_reads(sandbox.recorder)) >= 1, "a card read in flight")
    assert not warmer.running and services.warmer is None
    assert not [task for task in asyncio.all_tasks() if task.get_name() == "cache-warmer"]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage()}")
        if record.exc_info:
            self.lines.append("Traceback")


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    saved = structlog.get_config()
    structlog.configure(
        processors=[structlog.processors.add_log_level, structlog.processors.KeyValueRenderer()],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        structlog.configure(**saved)


async def test_upstream_faults_neither_stop_the_warmer_nor_flood_the_log(
        sandbox: Sandbox, captured: Capture) -> None:
    await sandbox.faults({"error_rate": 1, "error_status": 503, "count": 2,
                          "path_prefix": "/racing/dates"},
                         {"garbage_rate": 1, "count": 1, "path_prefix": "/racing/dates"},
                         {"drop_rate": 1, "count": 1, "path_prefix": "/racing/dates"})
    before = warmer_reads("refreshed")
    async with services_on(sandbox, tab_rate_limit=20, tab_mcp_warmer_races=6) as services:
        await until(lambda: len(race_reads(sandbox.recorder)) >= 6, "faults met, reads go on")
        await until(lambda: warmer_reads("refreshed") >= before + 3,
                    "the list and the cards without a fault refreshed")
        await until(lambda: any("succeed again" in line for line in captured.lines),
                    "the recovery is logged")
        warmer = services.warmer
        assert warmer is not None and warmer.running
    warnings = [line for line in captured.lines if "cache warmer" in line
                and line.startswith(("WARNING", "ERROR"))]
    assert len(warnings) == 1, warnings
    assert "Traceback" not in captured.lines

