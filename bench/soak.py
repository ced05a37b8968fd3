"""Soak: mixed tool calls for minutes against a faulty upstream, watching tab-mcp's memory.

Starts the sandbox and tab-mcp (every toolset) as separate processes, has the sandbox fail 5%
of info requests (a mix of 5xx, 429, garbage bodies and dropped connections, plus latency),
and runs 16 sessions that cycle through one call of every tool. Every 30 s it prints the
server's resident memory (VmRSS) and the sandbox's counters; at the end, total calls, errors by
kind (tool errors, which injected faults may surface as, against protocol or HTTP errors, which
should not happen) and the memory growth from minute 1 to the end.

    uv run python bench/soak.py [--minutes 10] [--sessions 16] [--fault-rate 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.inputs import Sandbox, standard_calls
from bench.load import LoadResult, run_load_process
from bench.procs import LOG_LEVEL, Proc, processes

ALL_TOOLSETS = "racing,sports,results,footytab,raw"
SAMPLE_EVERY = 30.0


def fault_rules(rate: float, latency_ms: float) -> list[dict[str, float]]:
    """One rule failing `rate` of info requests: 2/5 5xx, 1/5 each 429, garbage and drops."""
    return [{"latency_ms": latency_ms, "error_rate": rate * 0.4, "rate_limit_rate": rate * 0.2,
             "garbage_rate": rate * 0.2, "drop_rate": rate * 0.2}]


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


async def _watch(server: Proc, sandbox: Sandbox, run: asyncio.Future[LoadResult],
                 samples: list[tuple[float, int]]) -> None:
    started = time.monotonic()
    while not run.done():
        await asyncio.wait([run], timeout=SAMPLE_EVERY)
        elapsed = time.monotonic() - started
        if run.done() and samples and elapsed - samples[-1][0] < SAMPLE_EVERY / 2:
            break
        rss = server.rss_kib()
        samples.append((elapsed, rss))
        stats = await asyncio.to_thread(sandbox.stats)
        print(f"{elapsed:6.0f} s  RSS {_mib(rss):>10}  upstream requests "
              f"{stats['requests_total']:6d}  faults {stats['faults_by_kind']}", flush=True)


def _report(result: LoadResult, samples: list[tuple[float, int]], injected: dict[str, int],
            minutes: float) -> None:
    print(f"\ncalls: {result.calls} in {minutes:g} min ({result.calls_per_s:.1f}/s), "
          f"ok {result.ok}, tool errors {sum(result.tool_errors.values())}, "
          f"protocol/HTTP errors {sum(result.protocol_errors.values())}")
    print(f"latency: p50 {result.p50_ms:.1f} ms, p90 {result.p90_ms:.1f} ms, "
          f"p99 {result.p99_ms:.1f} ms, max {result.max_ms:.0f} ms")
    print(f"faults the sandbox injected: {injected}")
    for title, errors in (("tool errors", result.tool_errors),
                          ("protocol/HTTP errors", result.protocol_errors)):
        print(f"{title} by kind:" if errors else f"{title}: none")
        for kind, count in sorted(errors.items(), key=lambda item: -item[1]):
            print(f"  {count:6d}  {kind}")
    print("calls by tool: " + ", ".join(f"{name} {count}"
                                        for name, count in sorted(result.calls_by_tool.items())))
    after_minute = [rss for elapsed, rss in samples if elapsed >= 60]
    if len(after_minute) >= 2:
        first, last = after_minute[0], after_minute[-1]
        print(f"RSS: {_mib(first)} at minute 1, {_mib(last)} at the end: "
              f"{(last - first) / first:+.1%} (peak {_mib(max(rss for _, rss in samples))})")
    else:
        print("RSS growth: run for at least 2 minutes to measure it")


async def _soak(args: argparse.Namespace) -> None:
    with processes(keep_logs=args.keep_logs) as procs:
        upstream = procs.sandbox()
        sandbox = Sandbox(upstream.url)
        try:
            calls = standard_calls(sandbox)  # read before the faults start
            settings = {"TAB_MCP_TOOLSETS": ALL_TOOLSETS}
            if args.no_cache:
                settings["TAB_CACHE_ENABLED"] = "false"
            server = procs.ours(upstream, **settings)
            sandbox.admin("PUT", "/faults", fault_rules(args.fault_rate, args.latency_ms))
            sandbox.reset_stats()
            print(f"soak: {args.minutes:g} min, {args.sessions} sessions cycling through "
                  f"{len(calls)} tools; upstream faults {args.fault_rate:.0%} "
                  f"(5xx/429/garbage/drop 2:1:1:1) and {args.latency_ms:g} ms latency; "
                  f"cache {'off' if args.no_cache else 'on'}; server logs at {LOG_LEVEL}; "
                  f"tab-mcp pid {server.pid}, RSS {_mib(server.rss_kib())} before load",
                  flush=True)
            samples: list[tuple[float, int]] = []
            run = asyncio.ensure_future(run_load_process(
                server.url + "/mcp", calls, sessions=args.sessions,
                seconds=args.minutes * 60, warmup=0))
            await _watch(server, sandbox, run, samples)
            injected = sandbox.stats()["faults_by_kind"]
            _report(run.result(), samples, injected, args.minutes)
        finally:
            sandbox.close()


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python bench/soak.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--fault-rate", type=float, default=0.05)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--no-cache", action="store_true", help="TAB_CACHE_ENABLED=false")
    parser.add_argument("--keep-logs", action="store_true", help="keep the servers' logs")
    args = parser.parse_args(argv)
    asyncio.run(_soak(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
