"""tab-mcp as a real process (`python -m app`), for what only a process shows: signals, exit."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx2

from tests.support.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ServerProcess:
    """A running `python -m app` and its base URL."""

    process: subprocess.Popen[str]
    url: str
    log: IO[str]

    @property
    def mcp_url(self) -> str:
        return f"{self.url}/mcp"

    def output(self) -> str:
        """Everything the process has written so far (stdout and stderr)."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()


@contextlib.contextmanager
def server_process(*args: str, env: dict[str, str] | None = None,
                   startup_timeout: float = 30) -> Iterator[ServerProcess]:
    """Start `python -m app ARGS` on a free loopback port, with `env` over an environment
    cleared of `TAB_*` settings and run from the temporary directory (so no `.env` is
    read); wait until
    `/health` answers; kill it when the block ends if it is still running."""
    port = free_port()
    full_env = {key: value for key, value in os.environ.items()
                if not key.startswith(("TAB_", "FORWARDED_"))}
    full_env.update({"PORT": str(port), "HOST": "127.0.0.1", "TAB_MCP_LOG_FORMAT": "json",
                     "PYTHONPATH": str(REPO_ROOT), **(env or {})})
    log = tempfile.TemporaryFile("w+", encoding="utf-8")  # a pipe could fill and block it
    process = subprocess.Popen([sys.executable, "-m", "app", *args], cwd=tempfile.gettempdir(),
                               env=full_env, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    server = ServerProcess(process, url, log)
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited at start:\n{server.output()}")
            with contextlib.suppress(httpx2.TransportError):
                if httpx2.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("server did not become healthy")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        log.close()
