"""The benchmark run: tab-mcp against the ceiling, on loopback, in one go (a few minutes).

Starts, as separate processes, the sandbox (with upstream latency), tab-mcp reading from it
(`python -m app`) and the ceiling (`python -m bench.ceiling`), then prints:

1. race card, cache warm: tab-mcp vs the ceiling (calls/s, p50, p99, CPU per call, ratios);
   the ceiling answers with the very result tab-mcp gave for the same call;
2. race card, cache off (every call goes upstream): tab-mcp vs the ceiling;
3. coalescing: N identical concurrent calls on a cold cache -> upstream requests;
4. token expiry under load: token requests while M sessions call through an expiry;
5. result sizes: every tool on its standard sandbox input, and the real Warwick Farm card's
   summary against its raw body;
6. workers: race card, cache warm, one worker against two (`WEB_CONCURRENCY=2`), calls/s and
   CPU per call of the whole process tree.

(Parts measuring the shared store - processes sharing Redis against processes without it,
upstream requests per 1,000 calls with and without it - go after part 6.)

    uv run python bench/run.py [--latency-ms 20] [--sessions 16] [--seconds 15]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

if __package__ in (None, ""):  # run as a script: make `bench` and `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.inputs import Sandbox, race_card_call, standard_calls
from bench.load import LoadResult, Session, ToolCall, burst
from bench.load import run_load_process as load
from bench.procs import LOG_LEVEL, REPO_ROOT, Proc, Processes, processes

SAMPLES = REPO_ROOT.parent / "shared" / "tabcorp-samples"
REAL_DATE = "2026-09-23"
REAL_MEETINGS = f"/v1/tab-info-service/racing/dates/{REAL_DATE}/meetings"
REAL_RACE = f"{REAL_MEETINGS}/R/WFM/races/2"
ALL_TOOLSETS = "racing,sports,results,footytab,raw"


def heading(text: str) -> None:
    """Print a section heading, underlined."""
    print(f"\n{text}\n{'-' * len(text)}", flush=True)


def ratio(value: float, baseline: float) -> str:
    """`value / baseline` as "1.23x" ("n/a" without a baseline)."""
    return f"{value / baseline:.2f}x" if baseline else "n/a"


@dataclass
class Series:
    """The rounds of one server under one load."""

    name: str
    rounds: list[LoadResult] = field(default_factory=list)
    server_cpu_s: float = 0.0
    upstream_cpu_s: float = 0.0
    #: CPU time of everything else on the machine meanwhile (other users' work).
    other_cpu_s: float = 0.0
    elapsed_s: float = 0.0

    @property
    def calls(self) -> int:
        """Calls completed inside the measured windows."""
        return sum(r.calls for r in self.rounds)

    @property
    def calls_per_s(self) -> float:
        """Calls per second over every measured window."""
        window = sum(r.window_s for r in self.rounds)
        return self.calls / window if window else 0.0

    def median(self, name: str) -> float:
        """The median over the rounds of a `LoadResult` figure (e.g. "p50_ms")."""
        return float(statistics.median(getattr(r, name) for r in self.rounds))

    @property
    def errors(self) -> int:
        """Failed calls over every round."""
        return sum(r.errors for r in self.rounds)


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used since boot (from /proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


async def _round(series: Series, proc: Proc, call: ToolCall, args: argparse.Namespace,
                 upstream: Proc) -> None:
    cpu, upstream_cpu = proc.cpu_seconds(), upstream.cpu_seconds()
    machine, own = machine_busy_seconds(), time.process_time()
    started = time.monotonic()
    result = await load(proc.url + "/mcp", [call], sessions=args.sessions,
                        seconds=args.seconds, warmup=args.warmup)
    series.rounds.append(result)
    series.elapsed_s += time.monotonic() - started
    server, sandbox = proc.cpu_seconds() - cpu, upstream.cpu_seconds() - upstream_cpu
    series.server_cpu_s += server
    series.upstream_cpu_s += sandbox
    series.other_cpu_s += max(0.0, machine_busy_seconds() - machine - server - sandbox
                              - result.client_cpu_s - (time.process_time() - own))


async def same_bytes_ceiling(procs: Processes, ours: Proc, call: ToolCall) -> Proc:
    """The ceiling answering `call` with the very result tab-mcp gives for it now."""
    session = Session(ours.url + "/mcp")
    try:
        await session.open()
        result = await session.call(call)
    finally:
        session.close()
    path = procs.log_dir / "ceiling-result.json"
    path.write_text(json.dumps(result), encoding="utf-8")
    return procs.ceiling(result=path)


async def compare(ours: Proc, ceiling: Proc, call: ToolCall, args: argparse.Namespace,
                  upstream: Proc) -> tuple[Series, Series]:
    """Load tab-mcp and the ceiling in alternating rounds (same sessions, same call); print
    both and their ratios. Alternating spreads any drift of the machine over both; the
    median of the ratios of adjacent rounds is the figure least moved by it."""
    mine, best = Series(ours.name), Series(ceiling.name)
    for index in range(args.rounds):
        order = [(mine, ours), (best, ceiling)]
        for series, proc in order if index % 2 == 0 else reversed(order):
            await _round(series, proc, call, args, upstream)
    print(f"{'':10} {'calls/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'errors':>7} "
          f"{'CPU ms/call':>11} {'bytes/resp':>10}")
    for series in (mine, best):
        busy = series.server_cpu_s / series.elapsed_s
        # CPU over whole rounds (warm-ups too), scaled to the measured windows' share.
        per_call = series.server_cpu_s / series.calls * 1000 * (
            sum(r.window_s for r in series.rounds) / series.elapsed_s) if series.calls else 0.0
        print(f"{series.name:10} {series.calls_per_s:9.1f} {series.median('p50_ms'):8.1f} "
              f"{series.median('p90_ms'):8.1f} {series.median('p99_ms'):8.1f} "
              f"{series.errors:7d} {per_call:11.2f} "
              f"{series.median('mean_response_bytes'):10.0f}")
        rounds = ", ".join(f"{r.calls_per_s:.0f}" for r in series.rounds)
        client = sum(r.client_cpu_s for r in series.rounds) / series.elapsed_s
        note = f"server busy {busy:.0%} of a core"
        if series.upstream_cpu_s / series.elapsed_s >= 0.02:
            note += f", sandbox {series.upstream_cpu_s / series.elapsed_s:.0%}"
        print(f"  {'':8} calls/s by round: {rounds}; {note}; load generator {client:.0%}; "
              f"other processes {series.other_cpu_s / series.elapsed_s:.0%}")
        for result in series.rounds:
            for kind, count in {**result.protocol_errors, **result.tool_errors}.items():
                print(f"  {series.name} error x{count}: {kind}")
    print(f"{'ratio':10} {ratio(mine.calls_per_s, best.calls_per_s):>9} "
          f"{ratio(mine.median('p50_ms'), best.median('p50_ms')):>8} "
          f"{ratio(mine.median('p90_ms'), best.median('p90_ms')):>8} "
          f"{ratio(mine.median('p99_ms'), best.median('p99_ms')):>8}")
    paired = [a.calls_per_s / b.calls_per_s for a, b in zip(mine.rounds, best.rounds, strict=True)
              if b.calls_per_s]
    if paired:
        print(f"  calls/s ratio of adjacent rounds: median {statistics.median(paired):.2f}x "
              f"(range {min(paired):.2f}-{max(paired):.2f}x)")
    return mine, best


_METRIC_LINE = re.compile(
    r'^tabmcp_(upstream_duration_seconds_(?:sum|count)|cache_events_total)\{(.*)\} (\S+)$')


def upstream_metrics(proc: Proc) -> dict[tuple[str, str], float]:
    """tab-mcp's upstream round-trip sums and counts by endpoint, and its cache events."""
    text = httpx2.get(proc.url + "/metrics", timeout=10).text
    values: dict[tuple[str, str], float] = {}
    for line in text.splitlines():
        match = _METRIC_LINE.match(line)
        if match:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2)))
            label = labels.get("endpoint") or labels.get("event", "")
            values[match.group(1), label] = float(match.group(3))
    return values


def upstream_floor(before: dict[tuple[str, str], float], after: dict[tuple[str, str], float],
                   sessions: int, ceiling_rate: float) -> None:
    """Print the upstream's share of a call: mean round trip per endpoint (as tab-mcp timed
    it) and the throughput those round trips alone allow, weighted by how often a call needs
    each."""
    def delta(key: tuple[str, str]) -> float:
        return after.get(key, 0.0) - before.get(key, 0.0)

    counts = {endpoint: delta((name, endpoint)) for (name, endpoint) in sorted(after)
              if name == "upstream_duration_seconds_count" and delta((name, endpoint))}
    # A call waits for each endpoint in proportion to how often it is read per call (the
    # meetings list is resolved once per day, the race on every call).
    per_call = max(counts.values(), default=0.0)
    floor = 0.0
    for endpoint, count in counts.items():
        mean = delta(("upstream_duration_seconds_sum", endpoint)) / count
        floor += mean * count / per_call
        print(f"  upstream {endpoint}: {count:.0f} requests, mean round trip {mean * 1000:.1f} ms")
    shared = delta(("cache_events_total", "coalesced"))
    reads = shared + delta(("cache_events_total", "miss")) + delta(("cache_events_total", "hit"))
    print(f"  {shared:.0f} of {reads:.0f} upstream reads shared an in-flight fetch (coalesced)")
    if floor:
        best = sessions / floor
        print(f"  a call waits {floor * 1000:.0f} ms for the upstream: "
              f"at most {best:.0f} calls/s with {sessions} sessions = "
              f"{ratio(best, ceiling_rate)} of the ceiling even if tab-mcp took no time")


async def coalescing(ours: Proc, sandbox: Sandbox, call: ToolCall, count: int) -> None:
    """`count` identical calls at once on a cold cache: how many upstream requests?"""
    sandbox.reset_stats()
    outcomes = await burst(ours.url + "/mcp", call, count)
    stats = sandbox.stats()
    print(f"{count} concurrent identical race_card calls: {dict(outcomes)}")
    print(f"upstream requests: {stats['requests_total']} in all")
    for path, requests in sorted(stats["requests"].items()):
        print(f"  {requests:4d}  {path}")
    print(f"token requests: {sum(stats['token_requests'].values())}")


async def token_expiry(ours: Proc, sandbox: Sandbox, call: ToolCall,
                       args: argparse.Namespace) -> None:
    """Expire every token in the middle of a load run: how many token requests follow?"""
    seconds = 8.0
    before = sandbox.token_requests()
    run = asyncio.ensure_future(load(ours.url + "/mcp", [call], sessions=args.expiry_sessions,
                                     seconds=seconds, warmup=1.0))
    await asyncio.sleep(1.0 + seconds / 2)
    expired = await asyncio.to_thread(sandbox.admin, "POST", "/tokens/expire")
    result = await run
    after = sandbox.token_requests()
    print(f"{args.expiry_sessions} sessions for {seconds:.0f} s (cache off), every access token "
          f"expired at {seconds / 2:.0f} s ({expired})")
    print(f"token requests: {after - before} (before {before}, after {after})")
    print(f"load: {result.summary()}")
    for kind, count in {**result.protocol_errors, **result.tool_errors}.items():
        print(f"  error x{count}: {kind}")


def _sizes(result: dict[str, Any]) -> tuple[int, int, int]:
    """(text bytes, structured content bytes, whole result bytes) of a tool result."""
    text = "".join(block.get("text", "") for block in result.get("content") or [])
    structured = result.get("structuredContent")
    return (len(text.encode()),
            len(json.dumps(structured, separators=(",", ":"), ensure_ascii=False).encode())
            if structured is not None else 0,
            len(json.dumps(result, separators=(",", ":"), ensure_ascii=False).encode()))


async def result_sizes(ours: Proc, sandbox: Sandbox) -> None:
    """Bytes of every tool's result, and of the real card's summary against its raw body."""
    session = Session(ours.url + "/mcp")
    try:
        await session.open()
        print(f"{'tool':22} {'text B':>8} {'result B':>9}  note")
        for call in standard_calls(sandbox):
            result = await session.call(call)
            text, _, whole = _sizes(result)
            note = "tool error: " + str(result["content"][0]["text"])[:50] if result.get(
                "isError") else ""
            print(f"{call.name:22} {text:8d} {whole:9d}  {note}")
        raw = (SAMPLES / "race-detail.json").read_bytes()
        sandbox.admin("PUT", "/overrides", {
            "path": REAL_MEETINGS, "status": 200,
            "body": json.loads((SAMPLES / "meetings.json").read_text())})
        sandbox.admin("PUT", "/overrides", {"path": REAL_RACE, "status": 200,
                                            "body": json.loads(raw)})
        try:
            real = {"venue": "Warwick Farm", "race_number": 2, "date": REAL_DATE}
            summary = await session.call(ToolCall("race_card", real))
            full = await session.call(ToolCall("race_card", {**real, "detail": "full"}))
        finally:
            sandbox.admin("DELETE", "/overrides")
    finally:
        session.close()
    text, _, whole = _sizes(summary)
    full_text, _, full_whole = _sizes(full)
    compact_raw = len(json.dumps(json.loads(raw), separators=(",", ":")).encode())
    print(f"\nreal Warwick Farm R2 (race-detail.json, {len(raw)} B as captured, {compact_raw} B "
          "compact):")
    print(f"  summary: text {text} B ({text / len(raw):.1%} of the raw body), "
          f"whole result {whole} B (text + structuredContent)")
    print(f"  detail='full': text {full_text} B, whole result {full_whole} B")


async def workers(procs: Processes, upstream: Proc, call: ToolCall,
                  args: argparse.Namespace) -> None:
    """The cached race card served by one worker, then by two, under the same load."""
    figures: list[tuple[int, Series]] = []
    for count in (1, 2):
        server = procs.ours(upstream, name=f"{count} worker{'s' * (count > 1)}",
                            WEB_CONCURRENCY=str(count))
        series = Series(server.name)
        for _ in range(args.rounds):
            await _round(series, server, call, args, upstream)
        procs.stop(server)
        figures.append((count, series))
    print(f"{'':10} {'calls/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'CPU ms/call':>11}")
    for _, series in figures:
        per_call = series.server_cpu_s / series.calls * 1000 * (
            sum(r.window_s for r in series.rounds) / series.elapsed_s) if series.calls else 0.0
        print(f"{series.name:10} {series.calls_per_s:9.1f} {series.median('p50_ms'):8.1f} "
              f"{series.median('p99_ms'):8.1f} {series.errors:7d} {per_call:11.2f}")
        print(f"  {'':8} server busy {series.server_cpu_s / series.elapsed_s:.0%} of a core; "
              f"other processes {series.other_cpu_s / series.elapsed_s:.0%}")
    (_, one), (_, two) = figures
    print(f"2 workers / 1 worker: {ratio(two.calls_per_s, one.calls_per_s)} calls/s "
          f"on {os.cpu_count()} CPUs (the load generator and the sandbox share them)")


async def _run(args: argparse.Namespace, procs: Processes) -> None:
    wanted = set(args.parts)
    print(f"tab-mcp benchmark: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{platform.machine()}; tab-mcp and the ceiling both log at {procs.log_level}; "
          f"sandbox latency {args.latency_ms:g} ms per info request; "
          f"{args.sessions} sessions; {args.rounds} alternating rounds of {args.seconds:g} s "
          f"measured after {args.warmup:g} s warm-up")
    load1, _, _ = os.getloadavg()
    if load1 > 0.5:
        print(f"note: the machine is busy before the start (load average {load1:.1f}); "
              "other processes' CPU use is shown per series, and figures will be noisier")
    upstream = procs.sandbox(latency_ms=args.latency_ms)
    sandbox = Sandbox(upstream.url)
    try:
        call = race_card_call(sandbox)
        print(f"race card input: {json.dumps(call.arguments)}")
        ceiling: Proc | None = None
        if wanted & {1, 3}:
            ours = procs.ours(upstream)
            if 3 in wanted:
                heading(f"3. Coalescing: {args.burst} identical concurrent calls, cold cache")
                await coalescing(ours, sandbox, call, args.burst)
            if 1 in wanted:
                ceiling = await same_bytes_ceiling(procs, ours, call)
                heading(f"1. Race card, cache warm, {args.sessions} sessions")
                await compare(ours, ceiling, call, args, upstream)
            procs.stop(ours)
        if wanted & {2, 4}:
            uncached = procs.ours(upstream, TAB_CACHE_ENABLED="false", TAB_RATE_LIMIT="0")
            if 2 in wanted and ceiling is None:
                ceiling = await same_bytes_ceiling(procs, uncached, call)
            if 2 in wanted and ceiling:
                heading(f"2. Race card, cache off (TAB_CACHE_ENABLED=false, TAB_RATE_LIMIT=0), "
                         f"{args.latency_ms:g} ms upstream, {args.sessions} sessions")
                before = upstream_metrics(uncached)
                _, best = await compare(uncached, ceiling, call, args, upstream)
                upstream_floor(before, upstream_metrics(uncached), args.sessions,
                               best.calls_per_s)
            if 4 in wanted:
                heading("4. Token expiry under load")
                await token_expiry(uncached, sandbox, call, args)
            procs.stop(uncached)
        if 5 in wanted:
            heading(f"5. Result sizes (TAB_MCP_TOOLSETS={ALL_TOOLSETS})")
            every = procs.ours(upstream, TAB_MCP_TOOLSETS=ALL_TOOLSETS)
            await result_sizes(every, sandbox)
            procs.stop(every)
        if 6 in wanted:
            heading(f"6. Workers: race card, cache warm, {args.sessions} sessions")
            await workers(procs, upstream, call, args)
        # The shared-store parts (Redis) go here.
    finally:
        sandbox.close()


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=float, default=20,
                        help="sandbox latency per info request (default 20)")
    parser.add_argument("--sessions", type=int, default=16, help="sessions for parts 1-2")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternating rounds per server in parts 1-2 (default 5)")
    parser.add_argument("--seconds", type=float, default=4,
                        help="measured seconds per round (default 4)")
    parser.add_argument("--warmup", type=float, default=1,
                        help="unmeasured seconds before each round (default 1)")
    parser.add_argument("--burst", type=int, default=100, help="concurrent calls in part 3")
    parser.add_argument("--expiry-sessions", type=int, default=50, help="sessions in part 4")
    parser.add_argument("--parts", type=lambda text: [int(p) for p in text.split(",")],
                        default=[1, 2, 3, 4, 5, 6], help="which parts to run, e.g. 1,2")
    parser.add_argument("--keep-logs", action="store_true", help="keep the servers' logs")
    parser.add_argument("--log-level", default=LOG_LEVEL, type=str.upper,
                        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help=f"the level tab-mcp and the ceiling both log at (default {LOG_LEVEL}; "
                             "INFO is the server's default, with access lines)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    args = _parse_args(argv)
    started = time.monotonic()
    with processes(keep_logs=args.keep_logs, log_level=args.log_level) as procs:
        asyncio.run(_run(args, procs))
    print(f"\ndone in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
