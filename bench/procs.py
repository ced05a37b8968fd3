"""The processes a benchmark runs on loopback: the sandbox, tab-mcp and the ceiling.

Each is a real separate process started with this interpreter (so its pid is the server's own,
for reading its memory), with its output in a log file, stopped with SIGTERM at the end.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx2

from app.sandbox.embedded import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET

REPO_ROOT = Path(__file__).resolve().parents[1]
#: The log level tab-mcp and the ceiling run at (both the same), by default, so log output is not
#: what is measured; `Processes.log_level` sets another for both.
LOG_LEVEL = "WARNING"
_SCRUBBED_PREFIXES = ("TAB_", "PORT", "HOST")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Proc:
    """One started server."""

    name: str
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    def rss_kib(self) -> int:
        """Resident memory (VmRSS) in KiB, from /proc."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError(f"{self.name}: no VmRSS in /proc/{self.pid}/status")

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server has used, from /proc: its own and that of its
        live child processes (the workers of `--workers N`)."""
        return sum(_cpu_ticks(pid) for pid in _process_tree(self.pid)) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not exited within 15 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:  # exited meanwhile
        return 0
    return int(fields[11]) + int(fields[12])


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants alive now."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def _environment(extra: Mapping[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(_SCRUBBED_PREFIXES)}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(extra)
    return env


def _answers(proc: Proc, probe: str | None) -> bool:
    if probe is None:  # uvicorn listens only once its lifespan has started
        port = int(proc.url.rsplit(":", 1)[1])
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return True
        return False
    try:
        return httpx2.get(proc.url + probe, timeout=2).status_code < 500
    except httpx2.HTTPError:
        return False


def _wait_ready(proc: Proc, probe: str | None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process.poll() is not None:
            raise RuntimeError(f"{proc.name} exited ({proc.process.returncode}); see {proc.log}")
        if _answers(proc, probe):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{proc.name} did not become ready in {timeout:.0f} s; see {proc.log}")


#: Turns a measured server's name and its arguments after the interpreter into the full command
#: (e.g. under a profiler); None runs `python ARGS`.
Launcher = Callable[[str, Sequence[str]], list[str]]


class Processes:
    """Starts servers, remembers them, and stops every one of them on exit.

    `launcher`, when given, starts tab-mcp and the ceiling (not the sandbox) its way."""

    def __init__(self, log_dir: Path, launcher: Launcher | None = None,
                 start_timeout: float = 60.0, log_level: str = LOG_LEVEL) -> None:
        self.log_dir = log_dir
        self.log_level = log_level
        self.launcher = launcher
        self.start_timeout = start_timeout
        self._running: list[Proc] = []

    def _start(self, name: str, argv: Sequence[str], env: Mapping[str, str], probe: str | None,
               port: int, *, measured: bool = True) -> Proc:
        log = self.log_dir / f"{name}.log"
        command = ([sys.executable, *argv] if not (measured and self.launcher)
                   else self.launcher(name, argv))
        with log.open("wb") as out:
            process = subprocess.Popen(  # the interpreter running this benchmark
                command, cwd=REPO_ROOT, env=_environment(env),
                stdout=out, stderr=subprocess.STDOUT)
        proc = Proc(name, process, f"http://127.0.0.1:{port}", log)
        self._running.append(proc)
        _wait_ready(proc, probe, self.start_timeout if measured else 60.0)
        return proc

    def sandbox(self, *, latency_ms: float = 0, expires_in: int = 10800) -> Proc:
        """`python -m app.sandbox` with `latency_ms` added to every info-service request."""
        port = free_port()
        argv = ["-m", "app.sandbox", "--port", str(port), "--latency-ms", str(latency_ms),
                "--expires-in", str(expires_in)]
        return self._start("sandbox", argv, {}, "/_sandbox/stats", port, measured=False)

    def ours(self, sandbox: Proc, name: str = "tab-mcp", **settings: str) -> Proc:
        """`python -m app` reading from `sandbox` (client credentials), at `log_level`.

        `settings` are extra environment variables (e.g. `TAB_CACHE_ENABLED="false"`). The
        inbound rate limit is off: one load generator address would otherwise be held to its
        default 20 requests/s. `TAB_SANDBOX` stays unset: with it, `python -m app` serves the
        embedded sandbox instead of `TAB_BASE_URL`; results still say `sandbox: true` (the
        sandbox marks its responses).
        """
        port = free_port()
        env = {"TAB_BASE_URL": sandbox.url, "TAB_CLIENT_ID": SANDBOX_CLIENT_ID,
               "TAB_CLIENT_SECRET": SANDBOX_CLIENT_SECRET, "TAB_MCP_RATE_LIMIT": "0",
               "PORT": str(port), "TAB_MCP_LOG_LEVEL": self.log_level,
               "TAB_MCP_LOG_FORMAT": "json", **settings}
        return self._start(name, ["-m", "app"], env, "/health", port)

    def ceiling(self, result: Path | None = None) -> Proc:
        """`python -m bench.ceiling` at `log_level`, answering `result` (a tool result as JSON;
        default: the captured Warwick Farm card)."""
        port = free_port()
        argv = ["-m", "bench.ceiling", "--port", str(port), "--log-level", self.log_level,
                *(["--result", str(result)] if result else [])]
        return self._start("ceiling", argv, {}, None, port)

    def stop(self, proc: Proc) -> None:
        """Stop one server."""
        proc.stop()
        if proc in self._running:
            self._running.remove(proc)

    def stop_all(self) -> None:
        """Stop every server still running, newest first."""
        for proc in reversed(self._running):
            proc.stop()
        self._running.clear()


@contextlib.contextmanager
def processes(keep_logs: bool = False, launcher: Launcher | None = None,
              start_timeout: float = 60.0, log_level: str = LOG_LEVEL) -> Iterator[Processes]:
    """A `Processes` whose servers are all stopped on exit. Their logs go to a temporary
    directory, kept when something failed (or with `keep_logs`)."""
    log_dir = Path(tempfile.mkdtemp(prefix="tab-mcp-bench-"))
    procs = Processes(log_dir, launcher, start_timeout, log_level)
    try:
        yield procs
    except BaseException:
        procs.stop_all()
        print(f"server logs kept in {log_dir}", file=sys.stderr)
        raise
    procs.stop_all()
    if keep_logs:
        print(f"server logs in {log_dir}")
    else:
        for log in log_dir.iterdir():
            log.unlink()
        log_dir.rmdir()
