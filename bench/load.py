"""Load generator: M concurrent MCP sessions over Streamable HTTP, each calling tools in a loop.

Every session does the 2025-06-18 handshake (`initialize`, then `notifications/initialized`)
and then posts precomputed `tools/call` bodies back to back for the run's duration. It speaks
raw JSON-RPC over one keep-alive connection per session (`bench.http1`, one write per
request) and reads the SSE `data:` lines itself, so it stays cheap next to the server it
measures; `run_load_process` runs it in a process of its
own, so it does not share an interpreter lock with anything it measures.

    python -m bench.load --url http://127.0.0.1:8081/mcp --tool race_card \
        --args '{"venue": "RAN", "race_number": 1}' --sessions 16 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.http1 import Connection, HttpError, Response

PROTOCOL_VERSION = "2025-06-18"
REPO_ROOT = Path(__file__).resolve().parents[1]
_BASE_HEADERS = {"Content-Type": "application/json",
                 "Accept": "application/json, text/event-stream"}
#: Tool error texts are grouped by their first characters (they may name a venue or a race).
_TOOL_ERROR_KEY = 70


@dataclass(frozen=True)
class ToolCall:
    """One tool and its arguments."""

    name: str
    arguments: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadResult:
    """What one load run measured (only calls that completed inside the measured window)."""

    sessions: int
    window_s: float
    calls: int = 0
    ok: int = 0
    #: Calls answered with a tool error (`isError`), by the start of the error text.
    tool_errors: dict[str, int] = field(default_factory=dict)
    #: HTTP statuses, JSON-RPC errors and transport failures, by kind.
    protocol_errors: dict[str, int] = field(default_factory=dict)
    calls_by_tool: dict[str, int] = field(default_factory=dict)
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    mean_response_bytes: float = 0.0
    #: CPU seconds the load generator itself used over the whole run.
    client_cpu_s: float = 0.0

    @property
    def calls_per_s(self) -> float:
        """Completed calls per second of the measured window."""
        return self.calls / self.window_s if self.window_s else 0.0

    @property
    def errors(self) -> int:
        """Every call that did not succeed."""
        return sum(self.tool_errors.values()) + sum(self.protocol_errors.values())

    def to_json(self) -> str:
        """The result as one line of JSON."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> LoadResult:
        """The inverse of `to_json`."""
        return cls(**json.loads(text))

    def summary(self) -> str:
        """One human line."""
        return (f"{self.calls_per_s:8.1f} calls/s  p50 {self.p50_ms:6.1f} ms  "
                f"p90 {self.p90_ms:6.1f} ms  p99 {self.p99_ms:6.1f} ms  "
                f"errors {self.errors} ({self.calls} calls, {self.sessions} sessions, "
                f"{self.window_s:.0f} s)")


def percentile(ordered: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of an ascending sequence (0 when it is empty)."""
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def request_body(method: str, params: dict[str, Any] | None = None,
                 request_id: int | None = 1) -> bytes:
    """A JSON-RPC request (or, with `request_id=None`, a notification) as bytes."""
    message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if request_id is not None:
        message["id"] = request_id
    if params is not None:
        message["params"] = params
    return json.dumps(message, separators=(",", ":")).encode()


def call_body(call: ToolCall) -> bytes:
    """The `tools/call` request of `call`."""
    return request_body("tools/call", {"name": call.name, "arguments": call.arguments})


def response_message(content_type: str, body: bytes) -> dict[str, Any] | None:
    """The JSON-RPC response in an HTTP body: plain JSON, or the SSE `data:` line carrying it
    (progress notifications before it are skipped)."""
    if content_type.startswith("application/json"):
        message = json.loads(body) if body else None
        return message if isinstance(message, dict) else None
    for line in body.split(b"\n"):
        if line.startswith(b"data:"):
            message = json.loads(line[5:])
            if isinstance(message, dict) and ("result" in message or "error" in message):
                return message
    return None


def outcome(status: int, content_type: str, body: bytes) -> tuple[str, str | None]:
    """("ok" | "tool" | "protocol", detail) of one tools/call response."""
    if status != 200:
        return "protocol", f"HTTP {status}"
    try:
        message = response_message(content_type, body)
    except ValueError:
        return "protocol", "unparseable response"
    if message is None:
        return "protocol", "no JSON-RPC response"
    if "error" in message:
        error = message["error"] if isinstance(message["error"], dict) else {}
        return "protocol", f"JSON-RPC {error.get('code')}: {str(error.get('message'))[:60]}"
    result = message.get("result") or {}
    if result.get("isError"):
        content = result.get("content") or [{}]
        return "tool", str(content[0].get("text", ""))[:_TOOL_ERROR_KEY]
    return "ok", None


class Session:
    """One MCP session: its own keep-alive connection and the headers its handshake set."""

    def __init__(self, url: str, protocol_version: str = PROTOCOL_VERSION) -> None:
        self.connection = Connection(url)
        self.protocol_version = protocol_version
        self.headers = dict(_BASE_HEADERS)
        self._head_cache: dict[int, bytes] = {}

    def _head(self, length: int) -> bytes:
        head = self._head_cache.get(length)
        if head is None:
            head = self._head_cache[length] = self.connection.head(self.headers, length)
        return head

    async def _post(self, body: bytes) -> Response:
        return await self.connection.post(self._head(len(body)), body)

    async def open(self) -> None:
        """`initialize` then `notifications/initialized`; raises on any failure."""
        response = await self._post(request_body(
            "initialize", {"protocolVersion": self.protocol_version, "capabilities": {},
                           "clientInfo": {"name": "tab-mcp-bench", "version": "1"}}))
        kind, detail = outcome(response.status, response.headers.get("content-type", ""),
                               response.body)
        if kind != "ok":
            raise HttpError(f"initialize failed: {detail}")
        self.headers["MCP-Protocol-Version"] = self.protocol_version
        session_id = response.headers.get("mcp-session-id")
        if session_id:
            self.headers["Mcp-Session-Id"] = session_id
        self._head_cache.clear()
        notified = await self._post(request_body("notifications/initialized", request_id=None))
        if notified.status not in (200, 202):
            raise HttpError(f"notifications/initialized failed: HTTP {notified.status}")

    async def post(self, body: bytes) -> tuple[str, str | None, int]:
        """Send one precomputed request: (kind, detail, response bytes)."""
        try:
            response = await self._post(body)
        except HttpError as exc:
            return "protocol", f"transport {exc}", 0
        kind, detail = outcome(response.status, response.headers.get("content-type", ""),
                               response.body)
        return kind, detail, len(response.body)

    async def call(self, call: ToolCall) -> dict[str, Any]:
        """Call a tool once and return its JSON-RPC `result` (raises on a protocol error)."""
        response = await self._post(call_body(call))
        message = response_message(response.headers.get("content-type", ""), response.body)
        if response.status != 200 or message is None or "result" not in message:
            raise HttpError(f"{call.name}: HTTP {response.status} {message}")
        result: dict[str, Any] = message["result"]
        return result

    def close(self) -> None:
        """Close the session's connection."""
        self.connection.close()


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    tool_errors: Counter[str] = field(default_factory=Counter)
    protocol_errors: Counter[str] = field(default_factory=Counter)
    by_tool: Counter[str] = field(default_factory=Counter)
    response_bytes: int = 0


async def _session_loop(url: str, bodies: list[tuple[str, bytes]], offset: int,
                        window: tuple[float, float], tally: _Tally) -> None:
    session = Session(url)
    try:
        await _open(session, window, tally)
        await _calls(session, bodies, offset, window, tally)
    finally:
        session.close()


async def _open(session: Session, window: tuple[float, float], tally: _Tally) -> None:
    start, end = window
    while True:
        try:
            await session.open()
            break
        except HttpError as exc:
            if time.perf_counter() >= start:
                tally.protocol_errors[f"handshake: {str(exc)[:60]}"] += 1
            if time.perf_counter() >= end:
                return
            await asyncio.sleep(0.1)


async def _calls(session: Session, bodies: list[tuple[str, bytes]], offset: int,
                 window: tuple[float, float], tally: _Tally) -> None:
    start, end = window
    index = offset
    while time.perf_counter() < end:
        name, body = bodies[index % len(bodies)]
        index += 1
        began = time.perf_counter()
        kind, detail, size = await session.post(body)
        finished = time.perf_counter()
        if not start <= finished <= end:
            continue
        tally.latencies.append(finished - began)
        tally.by_tool[name] += 1
        tally.response_bytes += size
        if kind == "tool":
            tally.tool_errors[f"{name}: {detail}"] += 1
        elif kind == "protocol":
            tally.protocol_errors[detail or "?"] += 1


async def run_load(url: str, calls: Sequence[ToolCall], *, sessions: int, seconds: float,
                   warmup: float = 1.0) -> LoadResult:
    """Run `sessions` sessions for `warmup + seconds`; measure the last `seconds`.

    Session `i` cycles through `calls` starting at `calls[i % len(calls)]`.
    """
    if not calls:
        raise ValueError("no calls to make")
    bodies = [(call.name, call_body(call)) for call in calls]
    cpu_before = time.process_time()
    start = time.perf_counter() + warmup
    window = (start, start + seconds)
    tally = _Tally()
    await asyncio.gather(*(_session_loop(url, bodies, i, window, tally)
                           for i in range(sessions)))
    ordered = sorted(tally.latencies)
    count = len(ordered)
    errors = sum(tally.tool_errors.values()) + sum(tally.protocol_errors.values())
    return LoadResult(
        sessions=sessions, window_s=seconds, calls=count, ok=count - errors,
        tool_errors=dict(tally.tool_errors), protocol_errors=dict(tally.protocol_errors),
        calls_by_tool=dict(tally.by_tool),
        p50_ms=percentile(ordered, 0.50) * 1000, p90_ms=percentile(ordered, 0.90) * 1000,
        p99_ms=percentile(ordered, 0.99) * 1000, max_ms=(ordered[-1] * 1000 if ordered else 0),
        mean_response_bytes=tally.response_bytes / count if count else 0.0,
        client_cpu_s=time.process_time() - cpu_before)


async def burst(url: str, call: ToolCall, count: int) -> Counter[str]:
    """Open `count` sessions, then send `call` from all of them at the same instant.

    Returns how many calls ended in each kind ("ok", "tool", "protocol").
    """
    sessions = [Session(url) for _ in range(count)]
    try:
        await asyncio.gather(*(session.open() for session in sessions))
        body = call_body(call)
        outcomes = await asyncio.gather(*(session.post(body) for session in sessions))
    finally:
        for session in sessions:
            session.close()
    return Counter(kind for kind, _, _ in outcomes)


async def run_load_process(url: str, calls: Sequence[ToolCall], *, sessions: int,
                           seconds: float, warmup: float = 1.0) -> LoadResult:
    """`run_load` in a separate Python process (its own interpreter lock and CPU share)."""
    spec = {"url": url, "calls": [asdict(call) for call in calls], "sessions": sessions,
            "seconds": seconds, "warmup": warmup}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.load", "--spec", "-",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    out, _ = await process.communicate(json.dumps(spec).encode())
    if process.returncode != 0:
        raise RuntimeError(f"the load generator failed (exit {process.returncode})")
    return LoadResult.from_json(out.decode().strip().splitlines()[-1])


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="the MCP endpoint, e.g. http://127.0.0.1:8081/mcp")
    parser.add_argument("--tool", default="race_card")
    parser.add_argument("--args", default="{}", help="the tool's arguments as JSON")
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=1)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--spec", help="read every option as JSON from this file ('-': stdin); "
                                       "prints JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line."""
    args = _parse_args(argv)
    if args.spec:
        text = sys.stdin.read() if args.spec == "-" else Path(args.spec).read_text()
        spec = json.loads(text)
        result = asyncio.run(run_load(
            spec["url"], [ToolCall(**call) for call in spec["calls"]],
            sessions=spec["sessions"], seconds=spec["seconds"], warmup=spec["warmup"]))
        print(result.to_json())
        return 0
    if not args.url:
        print("--url is required", file=sys.stderr)
        return 2
    result = asyncio.run(run_load(args.url, [ToolCall(args.tool, json.loads(args.args))],
                                  sessions=args.sessions, seconds=args.seconds,
                                  warmup=args.warmup))
    print(result.to_json() if args.json else result.summary())
    for kind, count in {**result.protocol_errors, **result.tool_errors}.items():
        print(f"  {count:6d}  {kind}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
