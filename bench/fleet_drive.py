"""What `bench/fleet.py` runs beside the servers: a redis-server of its own, and call drivers
spreading calls over several servers (a burst at one instant, a paced stream, a list once)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence

from bench.load import Session, ToolCall, call_body
from bench.procs import free_port


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A `redis-server` on a free loopback port (no persistence); yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (Debian/Ubuntu: apt-get install "
                         "redis-server)")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", tempfile.gettempdir()],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.kill()
        process.wait(10)


async def _sessions(urls: Sequence[str], count: int) -> list[Session]:
    """`count` open sessions, spread round robin over the servers at `urls` (MCP endpoints)."""
    sessions = [Session(urls[n % len(urls)]) for n in range(count)]
    await asyncio.gather(*(session.open() for session in sessions))
    return sessions


async def fire(urls: Sequence[str], calls: Sequence[ToolCall]) -> Counter[str]:
    """One session per call, spread over `urls`; every call sent at the same instant.
    Returns how many ended in each kind ("ok", "tool", "protocol")."""
    sessions = await _sessions(urls, len(calls))
    try:
        outcomes = await asyncio.gather(*(session.post(call_body(call))
                                          for session, call in zip(sessions, calls, strict=True)))
    finally:
        for session in sessions:
            session.close()
    return Counter(kind for kind, _, _ in outcomes)


async def paced(urls: Sequence[str], calls: Sequence[ToolCall], *, rate: float,
                seconds: float, sessions: int = 8) -> Counter[str]:
    """`calls` in turn at `rate` calls per second in all for `seconds`, from `sessions` sessions
    spread over `urls` (the same pace whatever the number of servers)."""
    opened = await _sessions(urls, sessions)
    bodies = [call_body(call) for call in calls]
    kinds: Counter[str] = Counter()
    interval = sessions / rate
    ends = time.monotonic() + seconds

    async def loop(index: int, session: Session) -> None:
        due = time.monotonic() + index / rate
        turn = index
        while due < ends:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            kind, _, _ = await session.post(bodies[turn % len(bodies)])
            kinds[kind] += 1
            turn += sessions
            due += interval

    try:
        await asyncio.gather(*(loop(index, session) for index, session in enumerate(opened)))
    finally:
        for session in opened:
            session.close()
    return kinds


async def call_all(url: str, calls: Sequence[ToolCall], sessions: int = 8) -> Counter[str]:
    """Each of `calls` once, through `sessions` concurrent sessions of the server at `url`."""
    opened = await _sessions([url], sessions)
    kinds: Counter[str] = Counter()
    queue = list(calls)

    async def loop(session: Session) -> None:
        while queue:
            kind, _, _ = await session.post(call_body(queue.pop()))
            kinds[kind] += 1

    try:
        await asyncio.gather(*(loop(session) for session in opened))
    finally:
        for session in opened:
            session.close()
    return kinds
