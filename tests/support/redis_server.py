"""A real `redis-server` on a free loopback port, started and killed by the test."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.support.servers import free_port

REQUIRE_REDIS = "TAB_MCP_REQUIRE_REDIS"


def redis_server_binary() -> str:
    """The `redis-server` path; skips the test when missing, unless `TAB_MCP_REQUIRE_REDIS=1`
    (CI), where it fails instead."""
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)"
        if os.environ.get(REQUIRE_REDIS) == "1":
            pytest.fail(f"{message}, and {REQUIRE_REDIS}=1 requires it")
        pytest.skip(message)
    return binary


@dataclass
class RedisServer:
    """One redis-server process on `port`, which can be killed and started again."""

    binary: str
    port: int = field(default_factory=free_port)
    password: str | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it (empty: no persistence) and wait until it accepts connections."""
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", tempfile.gettempdir()]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=0.2):
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def kill(self) -> None:
        """Kill it at once (SIGKILL: no goodbye to its clients)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextlib.contextmanager
def redis_server(password: str | None = None) -> Iterator[RedisServer]:
    """A running redis-server for the block (skipped when not installed, see above)."""
    server = RedisServer(redis_server_binary(), password=password)
    server.start()
    try:
        yield server
    finally:
        server.kill()
