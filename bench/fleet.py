"""The fleet: tab-mcp processes sharing a real Redis against the same number without it, in one run.

Starts, as separate processes, a `redis-server`, sandboxes (with upstream latency) and tab-mcp
servers (`python -m app`), and prints each figure beside its baseline from the same run:

1. upstream requests for a burst of identical calls and of mixed calls, spread over two
   processes sharing Redis and over two without, against one process's (target ratio 1.0 with
   Redis); and upstream requests per 1,000 calls of a paced stream of race cards over a handful
   of races;
2. token requests per refresh period of the upstream token (the sandbox's tokens live
   `--token-life` seconds, cache off so that every call needs one), same three set-ups;
3. server CPU per cached race-card call with `TAB_MCP_REDIS_URL` set against unset (a local hit,
   which never touches Redis), and of a call served from the shared tier (a second process reading
   what the first fetched) against a local hit;
4. `market_movers(races=10)` with the cache warmer on in two replicas sharing Redis, against one
   process with the warmer on (bench/warmer.py's set-up: 2.5 requests/s, burst 3, share 0.5).

    uv run --frozen python -m bench.fleet [--parts 1,2,3,4] [--calls 8] [--keep-logs]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fleet_drive import call_all, fire, paced, redis_server
from bench.inputs import MIN_MINUTES_TO_JUMP, SERVICE_ROOT, Sandbox, race_card_call, today
from bench.load import ToolCall, percentile
from bench.procs import Proc, Processes, processes
from bench.run import compare, heading, ratio
from bench.warmer import BURST, RATE, SHARE, WARM_UP, Side, agent

STORE_KEY = "fleet-bench-store-key-0123456789"
#: Races of part 1's paced stream (none of them in its bursts).
STREAMED = 5
#: A race card is final (cached an hour) once its race pays or is abandoned.
FINAL = frozenset({"Paying", "Abandoned"})


@dataclass
class Setup:
    """One set-up under test: its servers and their one sandbox."""

    name: str
    servers: list[Proc]
    upstream: Proc
    sandbox: Sandbox

    @property
    def urls(self) -> list[str]:
        return [server.url + "/mcp" for server in self.servers]

    def info_requests(self) -> int:
        """Info-service requests the sandbox has served (token requests not included)."""
        requests = self.sandbox.stats()["requests"]
        return sum(count for path, count in requests.items() if path.startswith(SERVICE_ROOT))


class Fleet:
    """Starts the three set-ups of a part: one process, two sharing Redis, two without."""

    def __init__(self, procs: Processes, redis_url: str) -> None:
        self._procs = procs
        self._redis_url = redis_url
        self._namespaces = 0

    def store(self) -> dict[str, str]:
        """Settings of a process sharing Redis, in a namespace of this set-up's own."""
        self._namespaces += 1
        return {"TAB_MCP_REDIS_URL": self._redis_url, "TAB_MCP_STORE_KEY": STORE_KEY,
                "TAB_MCP_STORE_NAMESPACE": f"fleet-bench-{self._namespaces}"}

    def setups(self, *, expires_in: int = 10800, **settings: str) -> list[Setup]:
        """One process; two sharing Redis; two without; each set-up with its own sandbox."""
        made = []
        for name, count, shared in (("one", 1, False), ("shared", 2, True),
                                    ("apart", 2, False)):
            upstream = self._procs.sandbox(latency_ms=20, expires_in=expires_in)
            # One load generator's address opens every session: no per-client connection cap.
            extra = {"TAB_MCP_MAX_CONNECTIONS_PER_CLIENT": "1000", **settings,
                     **(self.store() if shared else {})}
            servers = [self._procs.ours(upstream, name=f"tab-mcp-{name}-{n}", **extra)
                       for n in range(count)]
            made.append(Setup(name, servers, upstream, Sandbox(upstream.url)))
        return made

    def stop(self, setups: Sequence[Setup]) -> None:
        for setup in setups:
            for server in setup.servers:
                self._procs.stop(server)
            self._procs.stop(setup.upstream)
            setup.sandbox.close()


def open_races(sandbox: Sandbox, count: int) -> list[ToolCall]:
    """Race cards of the `count` soonest open races jumping after MIN_MINUTES_TO_JUMP."""
    day = today(sandbox)
    horizon = datetime.now(UTC) + timedelta(minutes=MIN_MINUTES_TO_JUMP)
    found = []
    for meeting in sandbox.get(f"/racing/dates/{day}/meetings")["meetings"]:
        for race in meeting.get("races") or []:
            start = race.get("raceStartTime")
            if meeting.get("venueMnemonic") and race.get("raceStatus") == "Normal" and (
                    isinstance(start, str)) and (
                    datetime.fromisoformat(start.replace("Z", "+00:00")) >= horizon):
                found.append((start, ToolCall("race_card", {
                    "venue": meeting["venueMnemonic"], "race_type": meeting["raceType"],
                    "race_number": int(race["raceNumber"]), "date": day})))
    return [call for _, call in sorted(found, key=lambda item: item[0])[:count]]


def final_races(sandbox: Sandbox) -> list[ToolCall]:
    """Race cards of every race of today that pays or was abandoned (each cached an hour)."""
    day = today(sandbox)
    return [ToolCall("race_card", {"venue": meeting["venueMnemonic"],
                                   "race_type": meeting["raceType"],
                                   "race_number": int(race["raceNumber"]), "date": day})
            for meeting in sandbox.get(f"/racing/dates/{day}/meetings")["meetings"]
            for race in meeting.get("races") or []
            if meeting.get("venueMnemonic") and race.get("raceStatus") in FINAL]


def _print_counts(label: str, counts: dict[str, float], *, unit: str = "") -> None:
    one = counts["one"]
    print(f"{label:44} one {one:7.1f}{unit}  shared {counts['shared']:7.1f}{unit} "
          f"({ratio(counts['shared'], one)})  apart {counts['apart']:7.1f}{unit} "
          f"({ratio(counts['apart'], one)})")


async def upstream_requests(fleet: Fleet, args: argparse.Namespace) -> None:
    """Part 1: upstream requests for bursts and per 1,000 calls."""
    setups = fleet.setups(TAB_RATE_LIMIT="0")
    try:
        found = open_races(setups[0].sandbox, args.races + STREAMED)
        races, streamed = found[:args.races], found[args.races:]
        identical = [races[0]] * args.burst
        mixed = [(*races, ToolCall("next_to_go", {"count": 10}))[n % (len(races) + 1)]
                 for n in range(args.burst)]
        for label, calls in ((f"{args.burst} identical race_card calls at once", identical),
                             (f"{args.burst} mixed calls at once ({len(races)} races + "
                              "next_to_go)", mixed)):
            counts: dict[str, float] = {}
            for setup in setups:
                setup.sandbox.reset_stats()
                outcomes = await fire(setup.urls, calls)
                counts[setup.name] = setup.info_requests()
                if set(outcomes) != {"ok"}:
                    print(f"  {setup.name}: {dict(outcomes)}")
            _print_counts(label, counts)
        # The three streams run side by side (each set-up has its own sandbox) over races none
        # has read yet: all start cold at the same instant and meet expiry at the same points.
        for setup in setups:
            setup.sandbox.reset_stats()
        streams = await asyncio.gather(*(paced(setup.urls, streamed, rate=args.rate,
                                               seconds=args.seconds) for setup in setups))
        per_thousand = {setup.name: setup.info_requests() / sum(outcomes.values()) * 1000
                        for setup, outcomes in zip(setups, streams, strict=True)}
        print("  (upstream requests / calls: " + ", ".join(
            f"{setup.name} {setup.info_requests()}/{sum(outcomes.values())}"
            for setup, outcomes in zip(setups, streams, strict=True)) + ")")
        _print_counts(f"per 1,000 race cards over {len(streamed)} races ({args.rate:g}/s, "
                      f"{args.seconds:g} s)", per_thousand)
    finally:
        fleet.stop(setups)


async def tokens(fleet: Fleet, args: argparse.Namespace) -> None:
    """Part 2: token requests per refresh period, every call needing the upstream."""
    life = args.token_life
    period = life / 2  # renewed once half its life has passed (app/tab/auth.py's leeway)
    setups = fleet.setups(expires_in=life, TAB_RATE_LIMIT="0", TAB_CACHE_ENABLED="false")
    try:
        call = race_card_call(setups[0].sandbox)
        before = [setup.sandbox.token_requests() for setup in setups]
        await asyncio.gather(*(paced(setup.urls, [call], rate=20, seconds=args.seconds)
                               for setup in setups))
        per_period = {setup.name: (setup.sandbox.token_requests() - count) / (
            args.seconds / period) for setup, count in zip(setups, before, strict=True)}
    finally:
        fleet.stop(setups)
    shared = per_period["shared"] <= 1.25 * per_period["one"]
    print(f"tokens live {life} s, renewed every {period:g} s; cache off; 20 calls/s for "
          f"{args.seconds:g} s")
    _print_counts("token requests per refresh period", per_period)
    print("  " + ("tokens shared: one login per refresh period for the fleet" if shared else
                  "tokens not yet shared: each process logs in itself"))


def _cpu_per_call(proc: Proc, before: float, calls: int) -> float:
    return (proc.cpu_seconds() - before) / calls * 1000 if calls else 0.0


async def store_overhead(fleet: Fleet, procs: Processes, args: argparse.Namespace) -> None:
    """Part 3: server CPU per cached call with and without the shared store."""
    upstream = procs.sandbox(latency_ms=20)
    sandbox = Sandbox(upstream.url)
    store = fleet.store()
    first = procs.ours(upstream, name="tab-mcp-store-first", **store)
    second = procs.ours(upstream, name="tab-mcp-store", **store)
    plain = procs.ours(upstream, name="tab-mcp-plain")
    try:
        print("a) a local hit (the same open race's card; alternating rounds like bench/run.py)")
        rounds = argparse.Namespace(rounds=args.rounds, sessions=args.sessions,
                                    seconds=args.round_seconds, warmup=args.warmup)
        mine, base = await compare(second, plain, race_card_call(sandbox), rounds, upstream)
        local = [series.server_cpu_s / series.calls * 1000 * sum(
            r.window_s for r in series.rounds) / series.elapsed_s for series in (mine, base)]
        print(f"CPU per cached call, store set {local[0]:.2f} ms vs unset {local[1]:.2f} ms: "
              f"{ratio(local[0], local[1])} (overhead {local[0] / local[1] - 1:+.0%}; "
              "target <= +15%)")
        finals = final_races(sandbox)
        await call_all(first.url + "/mcp", finals)  # fills the shared tier
        await call_all(plain.url + "/mcp", finals)  # fills the plain process's own cache
        cpu = second.cpu_seconds()
        await call_all(second.url + "/mcp", finals)  # each a local miss, read from Redis
        from_shared = _cpu_per_call(second, cpu, len(finals))
        hits = []
        for proc in (second, plain):
            cpu = proc.cpu_seconds()
            for _ in range(args.passes):
                await call_all(proc.url + "/mcp", finals)
            hits.append(_cpu_per_call(proc, cpu, len(finals) * args.passes))
        print(f"\nb) {len(finals)} final races' cards, each read once from the shared tier "
              f"by a second process, then {args.passes} times from each process's own cache")
        print(f"CPU per call from the shared tier {from_shared:.2f} ms vs a local hit without "
              f"a store {hits[1]:.2f} ms: {ratio(from_shared, hits[1])}")
        print(f"CPU per call of a local hit, store set {hits[0]:.2f} ms vs unset "
              f"{hits[1]:.2f} ms: {ratio(hits[0], hits[1])}")
    finally:
        for proc in (first, second, plain, upstream):
            procs.stop(proc)
        sandbox.close()


async def movers(procs: Processes, fleet: Fleet, args: argparse.Namespace) -> None:
    """Part 4: market_movers(races=10) with the warmer on, two replicas sharing Redis
    against one process."""
    settings = {"TAB_RATE_LIMIT": str(RATE), "TAB_RATE_BURST": str(BURST),
                "TAB_MCP_WARMER": "on", "TAB_MCP_WARMER_SHARE": str(SHARE),
                "TAB_MCP_WARMER_RACES": "10", "TAB_MCP_TOOLSETS": "racing"}
    shared_upstream, alone_upstream = (procs.sandbox(latency_ms=args.latency_ms)
                                       for _ in range(2))
    shared_sandbox, alone_sandbox = Sandbox(shared_upstream.url), Sandbox(alone_upstream.url)
    store = fleet.store()
    replicas = [Side(f"replica {n}", procs.ours(shared_upstream, name=f"tab-mcp-replica-{n}",
                                                 **settings, **store), shared_sandbox)
                for n in (1, 2)]
    alone = Side("one", procs.ours(alone_upstream, name="tab-mcp-one", **settings),
                 alone_sandbox)
    sides = [*replicas, alone]
    # First logins and saved-up bursts are not the steady rate.
    await asyncio.sleep(WARM_UP + args.settle)
    requests = {"fleet": shared_sandbox.stats()["requests_total"],
                "one": alone_sandbox.stats()["requests_total"]}
    reads = {side.name: side.warmer_reads() for side in sides}
    started = time.monotonic()
    await asyncio.gather(*(agent(side, args.calls, args.gap) for side in sides))
    elapsed = time.monotonic() - started
    fleet_rate = (shared_sandbox.stats()["requests_total"] - requests["fleet"]) / elapsed
    one_rate = (alone_sandbox.stats()["requests_total"] - requests["one"]) / elapsed
    warmer = {side.name: (side.warmer_reads() - reads[side.name]) / elapsed for side in sides}
    fleet_times = sorted(t for side in replicas for t in side.seconds)
    one_times = sorted(alone.seconds)
    p50 = percentile(fleet_times, 0.5), percentile(one_times, 0.5)
    print(f"{args.calls} calls per agent, {args.gap:g} s apart; sandbox latency "
          f"{args.latency_ms:g} ms; upstream {RATE:g}/s (burst {BURST}), warmer share {SHARE:g}")
    print(f"p50 two replicas with Redis {p50[0]:.3f} s (p90 {percentile(fleet_times, 0.9):.3f}) "
          f"vs one process {p50[1]:.3f} s (p90 {percentile(one_times, 0.9):.3f}): "
          f"{ratio(*p50)}; target p50 <= 0.3 s: {'met' if p50[0] <= 0.3 else 'NOT met'}")
    cached = sum(side.cached for side in replicas)
    errors = sum(side.errors for side in sides)
    print(f"wholly cached: fleet {cached}/{len(fleet_times)}, one {alone.cached}/"
          f"{len(one_times)}; errors {errors}")
    fleet_warmer = warmer["replica 1"] + warmer["replica 2"]
    print(f"upstream at the sandbox: fleet {fleet_rate:.2f}/s vs one {one_rate:.2f}/s "
          f"(budget {RATE:g}/s for each: fleet {ratio(fleet_rate, RATE)} of it)")
    print(f"warmer reads: fleet {fleet_warmer:.2f}/s ({warmer['replica 1']:.2f} + "
          f"{warmer['replica 2']:.2f}) vs one {warmer['one']:.2f}/s; share "
          f"{RATE * SHARE:g}/s: fleet {ratio(fleet_warmer, RATE * SHARE)} of it")
    for side in sides:
        procs.stop(side.proc)
    for proc in (shared_upstream, alone_upstream):
        procs.stop(proc)
    shared_sandbox.close()
    alone_sandbox.close()


async def _run(args: argparse.Namespace, procs: Processes, redis_url: str) -> None:
    fleet = Fleet(procs, redis_url)
    wanted = set(args.parts)
    if 1 in wanted:
        heading("1. Upstream requests: one process / two sharing Redis / two without")
        await upstream_requests(fleet, args)
    if 2 in wanted:
        heading("2. Upstream tokens per credential set per refresh period")
        await tokens(fleet, args)
    if 3 in wanted:
        heading("3. Shared-store overhead on a cached race card (server CPU per call)")
        await store_overhead(fleet, procs, args)
    if 4 in wanted:
        heading("4. market_movers(races=10) with the cache warmer on: 2 replicas with Redis "
                 "vs 1 process")
        await movers(procs, fleet, args)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--parts", type=lambda text: [int(p) for p in text.split(",")],
                        default=[1, 2, 3, 4], help="which parts to run, e.g. 1,3")
    parser.add_argument("--burst", type=int, default=100, help="calls per burst (part 1)")
    parser.add_argument("--races", type=int, default=6,
                        help="open races of part 1 (the first alone for identical calls)")
    parser.add_argument("--rate", type=float, default=50,
                        help="calls/s of part 1's paced stream (default 50)")
    parser.add_argument("--seconds", type=float, default=25,
                        help="seconds of the paced streams of parts 1 and 2 (default 25)")
    parser.add_argument("--token-life", type=int, default=4,
                        help="the sandbox's token lifetime in part 2 (default 4 s)")
    parser.add_argument("--sessions", type=int, default=16, help="sessions in part 3a")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds in part 3a")
    parser.add_argument("--round-seconds", type=float, default=4,
                        help="measured seconds per round in part 3a (default 4)")
    parser.add_argument("--warmup", type=float, default=1, help="warm-up seconds per round")
    parser.add_argument("--passes", type=int, default=10, help="local-hit passes in part 3b")
    parser.add_argument("--calls", type=int, default=8, help="calls per agent in part 4")
    parser.add_argument("--gap", type=float, default=12.0, help="seconds between calls, part 4")
    parser.add_argument("--latency-ms", type=float, default=50.0,
                        help="sandbox latency per info request in part 4 (default 50)")
    parser.add_argument("--settle", type=float, default=10.0,
                        help="seconds the warmers run before part 4's calls (default 10)")
    parser.add_argument("--keep-logs", action="store_true", help="keep the servers' logs")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    args = _parse_args(argv)
    started = time.monotonic()
    with redis_server() as redis_url, processes(keep_logs=args.keep_logs) as procs:
        asyncio.run(_run(args, procs, redis_url))
    print(f"\ndone in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
