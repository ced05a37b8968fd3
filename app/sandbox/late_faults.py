"""Faults applied after the route has run: the request took effect, only its answer suffers.

These are the faults that matter for placing a bet: the bet is committed and then the answer is
late (`latency_ms`), lost (`drop_rate`: the connection is reset), or replaced by a 5xx or 429
(`error_rate`, `rate_limit_rate`) or cut short (`garbage_rate`, always a truncated body here).
A rule opts in with `after_handler: true`; the same rule with it false fails the request before
the route runs (a lost request: nothing was committed).
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.sandbox.faults import Decision, FaultInjector, drop_connection, send_failure
from app.sandbox.stats import SandboxStats


class AfterHandlerFaultMiddleware:
    """Runs the route, keeps its answer, then applies the injector's after-handler decision."""

    def __init__(self, app: ASGIApp, injector: FaultInjector, stats: SandboxStats) -> None:
        self.app = app
        self.injector = injector
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        decision = (self.injector.decide(scope["path"], after_handler=True)
                    if scope["type"] == "http" else None)
        if decision is None:
            await self.app(scope, receive, send)
            return
        answer: list[Message] = []

        async def keep(message: Message) -> None:
            answer.append(message)

        await self.app(scope, receive, keep)
        if decision.latency_s > 0:
            self.stats.count_fault("latency")
            await asyncio.sleep(decision.latency_s)
        if decision.outcome is None:
            for message in answer:
                await send(message)
            return
        self.stats.count_fault(decision.outcome)
        await self._fail(decision, answer, receive, send)

    @staticmethod
    async def _fail(decision: Decision, answer: list[Message], receive: Receive,
                    send: Send) -> None:
        if decision.outcome == "drop":
            await drop_connection(receive)
        elif decision.outcome in ("rate_limit", "error"):
            await send_failure(decision, send)
        else:
            body = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
            cut = body[: max(1, len(body) // 2)]
            headers = [(b"content-type", b"application/json"),
                       (b"content-length", str(len(cut)).encode())]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": cut, "more_body": False})
