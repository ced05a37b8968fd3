"""Where tab-mcp's CPU goes on a cached race card, next to the ceiling's, for a fixed number of
calls, so the figures do not depend on how busy the machine is.

Starts the sandbox, tab-mcp and the ceiling (`bench.ceiling`, answering with the very result
tab-mcp gives) as in `bench/run.py`, warms both
up, then sends exactly `--calls` race-card calls from `--sessions` sessions to each and reports
the server's work per call:

- `--mode cpu` (default): CPU ms per call from /proc, over `--repeat` alternating runs;
- `--mode callgrind`: instructions per call, counted by valgrind's callgrind (deterministic,
  independent of load; each server runs ~50x slower, so keep `--calls` to a few hundred);
- `--mode cprofile`: the functions taking most time per call in each server (cProfile adds
  its own overhead: read the shares, not the absolute times), over the measured calls only.

    uv run python bench/profile.py --mode callgrind --calls 300
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.inputs import Sandbox, race_card_call
from bench.load import Session, ToolCall, call_body
from bench.procs import Launcher, Proc, processes
from bench.run import same_bytes_ceiling


async def fixed_calls(url: str, call: ToolCall, *, sessions: int, calls: int) -> int:
    """`calls` calls spread over `sessions` sessions (opened first); the calls that failed."""
    body = call_body(call)
    opened = [Session(url) for _ in range(sessions)]
    failures = 0
    try:
        await asyncio.gather(*(session.open() for session in opened))

        async def loop(session: Session, count: int) -> None:
            nonlocal failures
            for _ in range(count):
                kind, _, _ = await session.post(body)
                failures += kind != "ok"

        share, extra = divmod(calls, sessions)
        await asyncio.gather(*(loop(session, share + (index < extra))
                               for index, session in enumerate(opened)))
    finally:
        for session in opened:
            session.close()
    return failures


def _callgrind_total(out: Path) -> int:
    """The instruction count (Ir) of a callgrind dump."""
    for line in out.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {out}")


def _callgrind_control(option: str, proc: Proc) -> None:
    subprocess.run(["callgrind_control", option, str(proc.pid)], check=True,
                   capture_output=True, timeout=120)


def _callgrind_dump(proc: Proc, out_dir: Path) -> int:
    """Dump `proc`'s counters since the last zeroing: its instruction count."""
    before = set(out_dir.glob(f"{proc.name}.out*"))
    _callgrind_control("-d", proc)
    (dump,) = set(out_dir.glob(f"{proc.name}.out*")) - before
    return _callgrind_total(dump)


def _launcher(mode: str, out_dir: Path) -> Launcher | None:
    if mode == "callgrind":
        return lambda name, argv: [
            "valgrind", "--tool=callgrind", f"--callgrind-out-file={out_dir}/{name}.out",
            "--dump-instr=no", sys.executable, *argv]
    if mode == "cprofile":
        return lambda name, argv: [sys.executable, "-m", "bench.profiled",
                                   f"{out_dir}/{name}.prof", *argv[1:]]
    return None


async def _measure(proc: Proc, call: ToolCall, args: argparse.Namespace, out_dir: Path) -> float:
    """Work per call of one fixed run: CPU ms, or instructions under callgrind."""
    url, calls = proc.url + "/mcp", int(args.calls)
    await fixed_calls(url, call, sessions=args.sessions, calls=args.warmup)
    if args.mode == "callgrind":
        _callgrind_control("-z", proc)
    elif args.mode == "cprofile":
        os.kill(proc.pid, signal.SIGUSR1)
        await asyncio.sleep(0.2)
    cpu = proc.cpu_seconds()
    failed = await fixed_calls(url, call, sessions=args.sessions, calls=calls)
    if failed:
        raise RuntimeError(f"{proc.name}: {failed} of {calls} calls failed")
    if args.mode == "callgrind":
        return _callgrind_dump(proc, out_dir) / calls
    if args.mode == "cprofile":
        os.kill(proc.pid, signal.SIGUSR2)
        await asyncio.sleep(0.5)
    return (proc.cpu_seconds() - cpu) / calls * 1000


def _top(prof: Path, calls: int, count: int) -> None:
    stats = pstats.Stats(str(prof))
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])  # type: ignore[attr-defined]
    print(f"{prof.stem}: {total / calls * 1000:.2f} ms/call under cProfile")
    for (file, line, name), (_, ncalls, tottime, cumtime, _) in rows[:count]:
        where = f"{Path(file).name}:{line}({name})"
        print(f"  {tottime / total:6.1%} own {cumtime / total:6.1%} cum "
              f"{ncalls / calls:6.1f}/call  {where}")


async def _run(args: argparse.Namespace, out_dir: Path) -> None:
    with processes(keep_logs=args.keep_logs, launcher=_launcher(args.mode, out_dir),
                   start_timeout=600) as procs:
        upstream = procs.sandbox(latency_ms=0)
        sandbox = Sandbox(upstream.url)
        try:
            call = race_card_call(sandbox)
            ours = procs.ours(upstream)
            ceiling = await same_bytes_ceiling(procs, ours, call)
            figures: dict[str, list[float]] = {ours.name: [], ceiling.name: []}
            for index in range(args.repeat):
                order = [ours, ceiling] if index % 2 == 0 else [ceiling, ours]
                for proc in order:
                    figures[proc.name].append(await _measure(proc, call, args, out_dir))
            procs.stop(ours)
            procs.stop(ceiling)
        finally:
            sandbox.close()
    unit = "instructions/call" if args.mode == "callgrind" else "ms/call"
    mine, best = (statistics.median(figures[name]) for name in ("tab-mcp", "ceiling"))
    for name, values in figures.items():
        shown = ", ".join(f"{value:,.0f}" if args.mode == "callgrind" else f"{value:.3f}"
                          for value in values)
        print(f"{name:8} {unit}: {shown}")
    print(f"ratio tab-mcp / ceiling: {mine / best:.2f}x ({args.calls} calls, "
          f"{args.sessions} sessions, {args.mode})")
    if args.mode == "cprofile":
        total_calls = args.calls * args.repeat
        for name in ("tab-mcp", "ceiling"):
            _top(out_dir / f"{name}.prof", total_calls, args.top)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python bench/profile.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["cpu", "callgrind", "cprofile"], default="cpu")
    parser.add_argument("--calls", type=int, default=2000, help="measured calls per run")
    parser.add_argument("--warmup", type=int, default=200, help="unmeasured calls first")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs per server")
    parser.add_argument("--top", type=int, default=30, help="functions shown (cprofile)")
    parser.add_argument("--out", type=Path, help="keep profiles/dumps here (default: a temp dir)")
    parser.add_argument("--keep-logs", action="store_true")
    args = parser.parse_args(argv)
    started = time.monotonic()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tab-mcp-profile-") as temp:
        out_dir = args.out or Path(temp)
        out_dir.mkdir(parents=True, exist_ok=True)
        asyncio.run(_run(args, out_dir))
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
