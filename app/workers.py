"""`tab-mcp --workers N` (or `WEB_CONCURRENCY=N`): N serving processes on one listening socket.

The parent binds the socket once (every worker accepts connections from it) and spawns N
workers. Each builds its own app from the same settings (`app.serving`): nothing is shared
between them but the socket, so without a shared store every cache, budget and limit is per
worker. The parent restarts a worker that dies after it started, and stops (exit 1) when one
dies while starting, as that would fail again. On SIGTERM or Ctrl-C it passes SIGTERM to every
worker, and each drains its calls in flight exactly as a single process does (`app.drain`):
a second Ctrl-C stops the workers at once. The parent exits once every worker has. `/metrics`
adds up every worker's metrics, through a directory the parent keeps for them.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from types import FrameType

import structlog
import uvicorn

from app.betting.switches import betting_refusal
from app.config import Settings
from app.observability.worker_metrics import forget_worker, shared_metrics_dir
from app.serving import ServeSpec, run_worker
from app.wiring import embedded_sandbox

log = structlog.get_logger("app.workers")

#: Fresh interpreters: a forked copy of the parent's event loop or threads is never safe.
SPAWN = multiprocessing.get_context("spawn")
#: A worker that exits within this many seconds of its start failed to start.
STARTUP_GRACE_S = 15.0
#: How often the parent looks for a dead worker.
POLL_S = 0.5


def workers_refusal(settings: Settings, *, sandbox: bool) -> str | None:
    """Why `settings.web_concurrency` workers cannot run (one line), or None."""
    if settings.web_concurrency > 1 and embedded_sandbox(settings, requested=sandbox):
        return (
            f"refusing {settings.web_concurrency} workers with the embedded sandbox: each worker "
            "would simulate its own separate world (prices, account, bets), so calls would "
            "disagree. Run one sandbox for all of them (`python -m app.sandbox --port 8082`, "
            "then TAB_SANDBOX=true TAB_BASE_URL=http://127.0.0.1:8082), or use --workers 1.")
    if (settings.web_concurrency > 1 and betting_refusal(settings) is None
            and settings.tab_mcp_quote_secret is None and settings.tab_mcp_redis_url is None):
        return (
            f"refusing {settings.web_concurrency} workers with betting on and no quote key they "
            "share: each worker would sign quotes with its own key and refuse the others'. Set "
            "TAB_MCP_QUOTE_SECRET (the same on every worker and replica, e.g. `openssl rand -hex "
            "32`), or TAB_MCP_REDIS_URL with TAB_MCP_STORE_KEY, or use --workers 1.")
    return None


@dataclass
class _Worker:
    process: BaseProcess
    started: float

    def signal(self, sig: signal.Signals) -> None:
        if self.process.is_alive() and self.process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, sig)


class Supervisor:
    """Starts, watches and stops the workers (see the module)."""

    def __init__(self, spec: ServeSpec, settings: Settings) -> None:
        self.spec = spec
        self.count = settings.web_concurrency
        self.stop_timeout = settings.tab_mcp_graceful_timeout + 10
        # Only for binding the socket as uvicorn does; each worker builds its own app.
        self.config = uvicorn.Config("app.asgi:create_app", factory=True, host=settings.host,
                                     port=settings.port, workers=self.count, log_config=None)
        self.stopping = threading.Event()
        self.interrupts = 0
        self.failed = False
        self.workers: list[_Worker] = []
        self.metrics_dir: str | None = None

    def _start(self, sock: object) -> _Worker:
        process = SPAWN.Process(target=run_worker, args=(self.spec, [sock]),
                                name="tab-mcp-worker")
        process.start()
        return _Worker(process, time.monotonic())

    def _on_signal(self, sig: int, _: FrameType | None) -> None:
        if sig == signal.SIGINT:
            self.interrupts += 1
            if self.interrupts > 1:  # a second Ctrl-C: no more draining
                for worker in self.workers:
                    worker.signal(signal.SIGINT)
        self.stopping.set()

    def _replace_dead(self, sock: object) -> None:
        for index, worker in enumerate(self.workers):
            if worker.process.is_alive() or self.stopping.is_set():
                continue
            code = worker.process.exitcode
            forget_worker(self.metrics_dir, worker.process.pid)
            if time.monotonic() - worker.started < STARTUP_GRACE_S:
                log.error("a worker failed to start; stopping", pid=worker.process.pid,
                          exit_code=code)
                self.failed = True
                self.stopping.set()
                return
            log.warning("a worker died; starting another", pid=worker.process.pid,
                        exit_code=code)
            self.workers[index] = self._start(sock)

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT and every worker has drained; the exit code. The workers
        share a private metrics directory (`app.observability.worker_metrics`) that lasts as
        long as this call."""
        with shared_metrics_dir() as self.metrics_dir:
            return self._serve()

    def _serve(self) -> int:
        sock = self.config.bind_socket()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)
        try:
            self.workers = [self._start(sock) for _ in range(self.count)]
            log.info("workers started", pids=[w.process.pid for w in self.workers])
            while not self.stopping.wait(POLL_S):
                self._replace_dead(sock)
            for worker in self.workers:
                worker.signal(signal.SIGTERM)
            deadline = time.monotonic() + self.stop_timeout
            for worker in self.workers:
                worker.process.join(max(0.0, deadline - time.monotonic()))
                if worker.process.is_alive():
                    log.error("a worker did not stop in time; killing it", pid=worker.process.pid)
                    worker.signal(signal.SIGKILL)
                    worker.process.join()
        finally:
            sock.close()
        log.info("workers stopped", exit_codes=[w.process.exitcode for w in self.workers])
        return 1 if self.failed else 0
