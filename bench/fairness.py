"""How the upstream budget is shared between a flooding client and a quiet one.

Starts the sandbox and tab-mcp paced at the real service's 2.5 requests/s, with two API keys.
One client keeps `--flood` calls in flight; the other makes one call at a time. Each call
reads a distinct path, so none rides on another's fetch. Prints, per client, the calls
completed and refused and the median and 95th-percentile call time.

    uv run python -m bench.fairness --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

from bench.load import Session, ToolCall, call_body, percentile
from bench.procs import processes

KEYS = {"flooder": "bench-flooding-key-0123456789",  # pragma: allowlist secret
        "neighbour": "bench-neighbour-key-987654321"}  # pragma: allowlist secret
_numbers = count()


@dataclass
class Tally:
    """One client's outcomes."""

    completed: int = 0
    refused: int = 0
    seconds: list[float] = field(default_factory=list)


def next_call() -> ToolCall:
    """A `tab_get` of a path no other call reads."""
    return ToolCall("tab_get", {"path": "/v1/tab-info-service/racing/dates",
                                "params": {"probe": str(next(_numbers))}})


async def caller(url: str, key: str, until: float, tally: Tally) -> None:
    """Call one at a time until `until`, on one session."""
    session = Session(url)
    session.headers["Authorization"] = f"Bearer {key}"
    await session.open()
    try:
        while time.monotonic() < until:
            started = time.monotonic()
            kind, _, _ = await session.post(call_body(next_call()))
            tally.seconds.append(time.monotonic() - started)
            if kind == "ok":
                tally.completed += 1
            else:
                tally.refused += 1
    finally:
        session.close()


async def run(url: str, flood: int, seconds: float) -> dict[str, Tally]:
    """The flooder's `flood` callers and the neighbour's one, for `seconds`."""
    until = time.monotonic() + seconds
    tallies = {name: Tally() for name in KEYS}
    await asyncio.gather(
        *(caller(url, KEYS["flooder"], until, tallies["flooder"]) for _ in range(flood)),
        caller(url, KEYS["neighbour"], until, tallies["neighbour"]))
    return tallies


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=50, help="the flooder's calls in flight")
    parser.add_argument("--seconds", type=float, default=30.0)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    args = _parse_args(argv)
    with processes() as procs:
        sandbox = procs.sandbox()
        ours = procs.ours(sandbox, TAB_RATE_LIMIT="2.5", TAB_RATE_BURST="1",
                          TAB_CACHE_ENABLED="false", TAB_MCP_TOOLSETS="racing,raw",
                          TAB_MCP_API_KEYS=",".join(KEYS.values()))
        tallies = asyncio.run(run(ours.url + "/mcp", args.flood, args.seconds))
    for name, tally in tallies.items():
        ordered = sorted(tally.seconds)
        print(f"{name:<10} completed {tally.completed:>4}  refused {tally.refused:>4}  "
              f"p50 {percentile(ordered, 0.5):5.2f} s  p95 {percentile(ordered, 0.95):5.2f} s")
    total = sum(tally.completed for tally in tallies.values())
    share = tallies["neighbour"].completed / total if total else 0.0
    print(f"\nneighbour's share of completed calls: {share:.2f} "
          f"(upstream rate 2.5/s over {args.seconds:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
