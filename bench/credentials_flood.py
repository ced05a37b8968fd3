"""What a flood of distinct per-session credential sets costs the server.

Starts the sandbox and tab-mcp (default limits) as separate processes, then calls
`server_status` once per session: first every session with the same credential set (the
baseline), then every session with a new one. Prints the server's RSS growth and its CPU per
request in each phase, and their ratio.

    uv run python -m bench.credentials_flood --sets 10000
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable, Sequence

from bench.load import Session, ToolCall
from bench.procs import Proc, processes

STATUS = ToolCall("server_status")


def credential_headers(index: int) -> dict[str, str]:
    """Session credentials (`X-TAB-*` headers) numbered `index`."""
    return {"X-TAB-Client-Id": f"bench-client-{index}",
            "X-TAB-Client-Secret": f"bench-Secret-{index:06d}"}  # pragma: allowlist secret


async def one_session(url: str, headers: dict[str, str]) -> None:
    """initialize, then one server_status, on a fresh connection."""
    session = Session(url)
    session.headers.update(headers)
    try:
        await session.open()
        await session.call(STATUS)
    finally:
        session.close()


async def flood(url: str, count: int, headers_of: Callable[[int], dict[str, str]],
                concurrency: int) -> None:
    """`count` sessions, `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with gate:
            await one_session(url, headers_of(index))

    await asyncio.gather(*(one(index) for index in range(count)))


def phase(proc: Proc, name: str, count: int, headers_of: Callable[[int], dict[str, str]],
          concurrency: int) -> float:
    """Run one phase; print and return the server's CPU milliseconds per session."""
    rss, cpu, started = proc.rss_kib(), proc.cpu_seconds(), time.monotonic()
    asyncio.run(flood(proc.url + "/mcp", count, headers_of, concurrency))
    cpu_ms = (proc.cpu_seconds() - cpu) * 1000 / count
    print(f"{name:<26} {count:>6} sessions in {time.monotonic() - started:6.1f} s  "
          f"server CPU {cpu_ms:5.2f} ms/session  RSS {rss / 1024:6.1f} -> "
          f"{proc.rss_kib() / 1024:6.1f} MB")
    return cpu_ms


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=10_000,
                        help="distinct credential sets in the flood (default 10000)")
    parser.add_argument("--baseline", type=int, default=1_000,
                        help="sessions with one credential set, for the baseline")
    parser.add_argument("--concurrency", type=int, default=8)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    args = _parse_args(argv)
    with processes() as procs:
        sandbox = procs.sandbox()
        ours = procs.ours(sandbox)
        phase(ours, "warm-up (one set)", 100, lambda _: credential_headers(0), args.concurrency)
        start_rss = ours.rss_kib()
        single = phase(ours, "baseline (one set)", args.baseline,
                       lambda _: credential_headers(0), args.concurrency)
        distinct = phase(ours, "flood (a new set each)", args.sets,
                         lambda index: credential_headers(index + 1), args.concurrency)
        growth = (ours.rss_kib() - start_rss) / 1024
    print(f"\nRSS growth over the flood: {growth:+.1f} MB (target: at most +50 MB)")
    print(f"CPU per session, distinct/single: {distinct / single:.2f} (target: at most 1.10)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
