"""`market_movers(races=10)` with the cache warmer on and off, at the real service's rate limit.

Starts two sandboxes (each adding `--latency-ms` to every info request) and two tab-mcp
processes paced like the real service (2.5 requests/s, burst 3): one with `TAB_MCP_WARMER=on`,
one with it off. First the warmer runs alone for `--settle` seconds and its upstream rate is
counted at its sandbox. Then one agent session per server calls `market_movers(races=10)`
`--calls` times, `--gap` seconds apart: longer than a card's 10 s cache lifetime, as sporadic
agent questions are, so without the warmer each call meets cold cards. Prints the p50 and p90
call time of each server and their ratio, the share of calls served wholly from the cache, the
upstream requests each sandbox served per second, and the warmer's own reads per second against
its share of the budget.

    uv run --frozen python -m bench.warmer [--calls 15] [--gap 12] [--latency-ms 50]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx2

from bench.inputs import Sandbox
from bench.load import Session, ToolCall, percentile
from bench.procs import Proc, processes

RATE = 2.5
BURST = 3
SHARE = 0.5
#: Seconds the warmer runs before its rate is counted.
WARM_UP = 5.0
CALL = ToolCall("market_movers", {"races": 10, "min_move_pct": 0})
_WARMER_READS = re.compile(r'^tabmcp_warmer_reads_total\{outcome="refreshed"\} (\S+)$', re.M)


@dataclass
class Side:
    """One server under test, its sandbox, and what its agent saw."""

    name: str
    proc: Proc
    sandbox: Sandbox
    seconds: list[float] = field(default_factory=list)
    cached: int = 0
    errors: int = 0

    def requests(self) -> int:
        """Requests its sandbox has served (token requests included)."""
        return int(self.sandbox.stats()["requests_total"])

    def warmer_reads(self) -> float:
        """Upstream reads its warmer has made (0 when it has none)."""
        found = _WARMER_READS.search(httpx2.get(self.proc.url + "/metrics", timeout=10).text)
        return float(found.group(1)) if found else 0.0


async def agent(side: Side, calls: int, gap: float) -> None:
    """`calls` calls of `CALL`, one every `gap` seconds, each on a new session (an idle
    keep-alive connection would be closed between calls); only the call itself is timed."""
    for n in range(calls):
        due = time.monotonic() + gap
        session = Session(side.proc.url + "/mcp")
        await session.open()
        try:
            started = time.monotonic()
            result = await session.call(CALL)
            side.seconds.append(time.monotonic() - started)
        finally:
            session.close()
        if result.get("isError"):
            side.errors += 1
        elif result["structuredContent"]["source"]["cached"]:
            side.cached += 1
        if n + 1 < calls:
            await asyncio.sleep(max(0.0, due - time.monotonic()))


def _report(sides: list[Side], counts: dict[str, int], reads: float, elapsed: float) -> None:
    budget = RATE * SHARE
    for side in sides:
        ordered = sorted(side.seconds)
        requests = counts[side.name]
        print(f"warmer {side.name:<3}  p50 {percentile(ordered, 0.5):6.3f} s  "
              f"p90 {percentile(ordered, 0.9):6.3f} s  max {ordered[-1]:6.3f} s  "
              f"wholly cached {side.cached}/{len(ordered)}  errors {side.errors}  "
              f"upstream {requests / elapsed:4.2f} req/s")
    on, off = (percentile(sorted(side.seconds), 0.5) for side in sides)
    print(f"\np50 with the warmer / without: {on / off:.3f} ({off / on:.1f}x faster); "
          f"target p50 <= 0.3 s with the warmer: {'met' if on <= 0.3 else 'NOT met'}")
    print(f"warmer reads during the calls: {reads / elapsed:.2f}/s against its share "
          f"{budget:.2f}/s ({reads / elapsed / budget:.2f} of it)")


def run(args: argparse.Namespace) -> int:
    """Start everything, measure, print."""
    with processes() as procs:
        sides = []
        for name, warmer in (("on", "on"), ("off", "off")):
            upstream = procs.sandbox(latency_ms=args.latency_ms)
            proc = procs.ours(upstream, name=f"tab-mcp-warmer-{name}", TAB_RATE_LIMIT=str(RATE),
                              TAB_RATE_BURST=str(BURST), TAB_MCP_WARMER=warmer,
                              TAB_MCP_WARMER_SHARE=str(SHARE), TAB_MCP_WARMER_RACES="10",
                              TAB_MCP_TOOLSETS="racing")
            sides.append(Side(name, proc, Sandbox(upstream.url)))
        on = sides[0]
        print(f"sandbox latency {args.latency_ms:g} ms per info request; upstream paced at "
              f"{RATE:g}/s (burst {BURST}); warmer share {SHARE:g} = {RATE * SHARE:g}/s")
        time.sleep(WARM_UP)  # its first login and saved-up burst are not its steady rate
        before = on.requests()
        time.sleep(args.settle)
        alone = (on.requests() - before) / args.settle
        print(f"warmer alone for {args.settle:g} s: {alone:.2f} upstream req/s "
              f"({alone / (RATE * SHARE):.2f} of its share)\n")
        counts = {side.name: side.requests() for side in sides}
        reads = on.warmer_reads()
        started = time.monotonic()
        asyncio.run(_agents(sides, args.calls, args.gap))
        elapsed = time.monotonic() - started
        counts = {side.name: side.requests() - counts[side.name] for side in sides}
        _report(sides, counts, on.warmer_reads() - reads, elapsed)
        for side in sides:
            side.sandbox.close()
    return 0


async def _agents(sides: list[Side], calls: int, gap: float) -> None:
    await asyncio.gather(*(agent(side, calls, gap) for side in sides))


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=15, help="calls per server (default 15)")
    parser.add_argument("--gap", type=float, default=12.0,
                        help="seconds from one call's start to the next (default 12)")
    parser.add_argument("--latency-ms", type=float, default=50.0,
                        help="sandbox latency per info request (default 50)")
    parser.add_argument("--settle", type=float, default=20.0,
                        help="seconds the warmer runs alone before the calls (default 20)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    return run(_parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
