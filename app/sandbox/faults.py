"""Fault injection: latency, 5xx, 429, garbage bodies and dropped connections, by rule.

Rules (`FaultConfig`) are tried in order and the first whose scope matches the request wins.
Shares are drawn from a seeded `random.Random`, so the same seed and the same request sequence
give the same faults. Admin routes are never affected.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import random
import socket
import struct
import threading
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sandbox.oauth import ADMIN_PREFIX, TOKEN_PATH
from app.sandbox.options import FaultConfig
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.stats import SandboxStats

_ERROR_CODES = {500: "INTERNAL_SERVER_ERROR", 502: "BAD_GATEWAY", 503: "SERVICE_UNAVAILABLE"}
_GARBAGE_KINDS = ("truncated", "not_json", "html_block")
_TRUNCATED_FALLBACK = b'{"meetings": [{"meetingName": "WARWICK FARM", "races": [{"raceNum'
_NOT_JSON = (
    b"upstream connect error or disconnect/reset before headers. "
    b"reset reason: connection termination"
)
_BLOCK_PAGE = """<HTML><HEAD>
<TITLE>Access Denied</TITLE>
</HEAD><BODY>
<H1>Access Denied</H1>

You don't have permission to access "{url}" on this server.<P>
Reference&#32;&#35;{reference}
</BODY>
</HTML>
"""


async def drop_connection(receive: Receive) -> None:
    """Close the client's connection without any HTTP response.

    Under uvicorn `receive` is a bound method of the request cycle, which holds the TCP
    transport. Without one (an in-process ASGI transport) the drop is a `ConnectionResetError`.
    """
    transport: Any = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None or not hasattr(transport, "abort"):
        raise ConnectionResetError("connection reset by the sandbox")
    # Sandbox only: imitates the CDN in front of the real service, which answers bursts and
    # unwelcome clients with a TCP reset. Zero linger turns the close into an RST, not a FIN.
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    transport.abort()
    # Wait until the server has seen the connection go, otherwise it would try to answer 500.
    try:
        async with asyncio.timeout(1):
            while (await receive())["type"] != "http.disconnect":
                pass
    except TimeoutError:
        pass


def in_fault_scope(path: str, prefix: str | None) -> bool:
    """Whether a rule with `path_prefix=prefix` covers `path`."""
    if path.startswith(ADMIN_PREFIX):
        return False
    if prefix is None:
        return path != TOKEN_PATH
    if path.startswith(prefix):
        return True
    return path.startswith(SERVICE_ROOT) and path[len(SERVICE_ROOT) :].startswith(prefix)


@dataclass(frozen=True)
class Decision:
    """What to do to one request."""

    latency_s: float = 0.0
    outcome: str | None = None  # "drop" | "rate_limit" | "error" | "garbage"
    status: int = 200
    retry_after: float = 1
    garbage_kind: str = ""
    reference: str = ""


class FaultInjector:
    """The live fault rules, their counters and the seeded random source."""

    def __init__(self, rules: list[FaultConfig], seed: int) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rules: list[FaultConfig] = []
        self._random = random.Random(seed)
        self.replace(rules)

    def replace(self, rules: list[FaultConfig]) -> None:
        """Install new rules (copies) and restart the random sequence from the seed."""
        with self._lock:
            self._rules = [dataclasses.replace(rule) for rule in rules]
            self._random = random.Random(self._seed)

    def rules(self) -> list[FaultConfig]:
        """The rules as they stand now (counts already decremented)."""
        with self._lock:
            return [dataclasses.replace(rule) for rule in self._rules]

    def decide(self, path: str, after_handler: bool = False) -> Decision | None:
        """The fault for one request to `path`, or None when no rule matches.

        `after_handler` picks the rules applied after the route ran (see `FaultConfig`).
        """
        with self._lock:
            for rule in self._rules:
                if (rule.count == 0 or rule.after_handler != after_handler
                        or not in_fault_scope(path, rule.path_prefix)):
                    continue
                if rule.count is not None:
                    rule.count -= 1
                return self._draw(rule)
            return None

    def _draw(self, rule: FaultConfig) -> Decision:
        rng = self._random
        jitter = rng.uniform(0, rule.jitter_ms) if rule.jitter_ms else 0
        latency = (rule.latency_ms + jitter) / 1000
        draw = rng.random()
        outcome: str | None = None
        threshold = 0.0
        for name, share in (
            ("drop", rule.drop_rate),
            ("rate_limit", rule.rate_limit_rate),
            ("error", rule.error_rate),
            ("garbage", rule.garbage_rate),
        ):
            threshold += share
            if share and draw < threshold:
                outcome = name
                break
        status = 200
        kind = ""
        if outcome == "error":
            status = rule.error_status or rng.choice((500, 502, 503))
        elif outcome == "rate_limit":
            status = 429
        elif outcome == "garbage":
            kind = rule.garbage_kind
            if kind == "mixed":
                kind = rng.choice(_GARBAGE_KINDS)
        reference = f"18.{rng.getrandbits(32):x}.{rng.getrandbits(32):x}"
        return Decision(latency, outcome, status, rule.retry_after, kind, reference)


def _envelope(status: int, code: str, message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = json.dumps({"error": {"code": code, "message": message, "details": []}}).encode()
    return status, [(b"content-type", b"application/json")], body


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


async def send_failure(decision: Decision, send: Send) -> None:
    """Answer the 429 (with Retry-After) or the 5xx that `decision` calls for."""
    if decision.outcome == "rate_limit":
        status, headers, body = _envelope(429, "TOO_MANY_REQUESTS", "Too many requests")
        retry_after = str(math.ceil(decision.retry_after)).encode()
        await _send(send, status, [*headers, (b"retry-after", retry_after)], body)
    else:
        code = _ERROR_CODES.get(decision.status, "SERVER_ERROR")
        await _send(send, *_envelope(decision.status, code, "The service failed to answer"))


class FaultMiddleware:
    """Applies the injector's decisions to HTTP requests."""

    def __init__(self, app: ASGIApp, injector: FaultInjector, stats: SandboxStats) -> None:
        self.app = app
        self.injector = injector
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        decision = self.injector.decide(scope["path"])
        if decision is None:
            await self.app(scope, receive, send)
            return
        if decision.latency_s > 0:
            self.stats.count_fault("latency")
            await asyncio.sleep(decision.latency_s)
        if decision.outcome is None:
            await self.app(scope, receive, send)
            return
        self.stats.count_fault(decision.outcome)
        if decision.outcome == "drop":
            await drop_connection(receive)
        elif decision.outcome in ("rate_limit", "error"):
            await send_failure(decision, send)
        else:
            await self._garbage(decision, scope, receive, send)

    async def _garbage(
        self, decision: Decision, scope: Scope, receive: Receive, send: Send
    ) -> None:
        if decision.garbage_kind == "truncated":
            body = await self._inner_body(scope, receive)
            cut = body[: max(1, len(body) // 2)] if len(body) > 1 else _TRUNCATED_FALLBACK
            await _send(send, 200, [(b"content-type", b"application/json")], cut)
        elif decision.garbage_kind == "not_json":
            await _send(send, 200, [(b"content-type", b"text/plain; charset=utf-8")], _NOT_JSON)
        else:
            host = next((v for k, v in scope["headers"] if k == b"host"), b"").decode("latin-1")
            url = f"http://{host}{scope['path']}".replace(":", "&#58;").replace("/", "&#47;")
            page = _BLOCK_PAGE.format(url=url.replace(".", "&#46;"), reference=decision.reference)
            await _send(send, 403, [(b"content-type", b"text/html")], page.encode())

    async def _inner_body(self, scope: Scope, receive: Receive) -> bytes:
        """Run the rest of the stack and keep the body it answers with."""
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        return b"".join(parts)
