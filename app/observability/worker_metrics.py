"""One `/metrics` for several worker processes: prometheus_client's multiprocess mode.

With `--workers N` the parent creates a private directory and names it in
`PROMETHEUS_MULTIPROC_DIR` before it spawns the workers. prometheus_client reads that variable
when it is imported, which in a freshly spawned worker is before any metric exists, so every
worker's metrics live in memory-mapped files there; a scrape, whichever worker answers it, adds
them all up. Without the variable (one process) nothing changes: the registry is read directly.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

import structlog
from prometheus_client import CollectorRegistry, multiprocess

from app.observability.metrics import REGISTRY

log = structlog.get_logger("app.workers")

#: The variable prometheus_client reads at import to switch to multiprocess mode.
MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def exposition_registry() -> CollectorRegistry:
    """What `/metrics` exposes: this process's registry, or, in multiprocess mode, a registry
    adding up the files of every worker (live or dead; live-only gauges drop dead workers)."""
    path = os.environ.get(MULTIPROC_DIR_ENV)
    if not path:
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
    return registry


@contextlib.contextmanager
def shared_metrics_dir() -> Iterator[str | None]:
    """A private directory (mode 0700) named in `PROMETHEUS_MULTIPROC_DIR` for the processes
    started inside the block; removed, and the variable restored, when the block ends. None,
    with a warning, when no temporary directory is writable (a read-only root filesystem
    without a volume at /tmp): the workers then serve, each exposing its own metrics only."""
    try:
        path = tempfile.mkdtemp(prefix="tab-mcp-metrics-")  # mkdtemp creates it 0700
    except OSError as error:
        log.warning("no writable temporary directory: /metrics shows only the worker that "
                    "answers (mount a volume at /tmp, or set TMPDIR)", error=str(error))
        yield None
        return
    before = os.environ.get(MULTIPROC_DIR_ENV)
    os.environ[MULTIPROC_DIR_ENV] = path
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(MULTIPROC_DIR_ENV, None)
        else:
            os.environ[MULTIPROC_DIR_ENV] = before
        shutil.rmtree(path, ignore_errors=True)


def forget_worker(path: str | None, pid: int | None) -> None:
    """A worker has exited: drop its live-only gauges (its counters and histograms stay in the
    totals, as its calls did happen)."""
    if path is not None and pid is not None:
        multiprocess.mark_process_dead(pid, path)  # type: ignore[no-untyped-call]
