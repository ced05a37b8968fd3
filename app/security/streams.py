"""Standalone event streams (`GET /mcp`): a cap per client and in total, and an idle timeout.

A standalone stream holds a connection and server memory for as long as the client keeps it,
and the stateless server never sends on it unprompted. So at most
`TAB_MCP_MAX_STREAMS_PER_CLIENT` are open per client (API key, else address) and
`TAB_MCP_MAX_STREAMS` in all (one more is answered 429 with `Retry-After`), and a stream that
has sent nothing for `TAB_MCP_STREAM_IDLE_TIMEOUT` seconds is ended (clients reopen it).
"""

from __future__ import annotations

import math
import time
from collections import Counter

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.rejections import RATE_LIMITED, reject
from app.security.rate_limit import client_key


class StreamLimitMiddleware:
    """Counts open `GET` streams per client; refuses over the caps; ends idle ones."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.max_total = settings.tab_mcp_max_streams
        self.max_per_client = settings.tab_mcp_max_streams_per_client
        self.idle_timeout = settings.tab_mcp_stream_idle_timeout
        self.open_per_client: Counter[str] = Counter()

    @property
    def open_streams(self) -> int:
        """How many standalone streams are open now."""
        return sum(self.open_per_client.values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        client = client_key(scope)
        if (self.open_per_client[client] >= self.max_per_client
                or self.open_streams >= self.max_total):
            retry = max(1, math.ceil(min(self.idle_timeout, 30)))
            await reject(scope, send, status=429, reason="too_many_streams", code=RATE_LIMITED,
                         headers={"Retry-After": str(retry)},
                         message=f"Too many open event streams (at most {self.max_per_client} "
                                 f"per client, {self.max_total} in all). Close one, or retry "
                                 f"in {retry} s.")
            return
        self.open_per_client[client] += 1
        try:
            await self._until_idle(scope, receive, send)
        finally:
            self.open_per_client[client] -= 1
            if self.open_per_client[client] <= 0:
                del self.open_per_client[client]

    async def _until_idle(self, scope: Scope, receive: Receive, send: Send) -> None:
        last_sent = time.monotonic()
        started = ended = False

        async def tracked_send(message: Message) -> None:
            nonlocal last_sent, started, ended
            last_sent = time.monotonic()
            started = started or message["type"] == "http.response.start"
            ended = ended or (message["type"] == "http.response.body"
                              and not message.get("more_body", False))
            await send(message)

        async with anyio.create_task_group() as group:
            async def end_when_idle() -> None:
                while True:
                    await anyio.sleep(max(0.0, last_sent + self.idle_timeout - time.monotonic()))
                    if time.monotonic() - last_sent >= self.idle_timeout:
                        group.cancel_scope.cancel()
                        return

            group.start_soon(end_when_idle)
            await self.app(scope, receive, tracked_send)
            group.cancel_scope.cancel()
        if started and not ended:
            await send({"type": "http.response.body", "body": b"", "more_body": False})
