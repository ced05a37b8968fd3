"""Per-call cost of log redaction with 1 and with 1,000 credential sets registered.

Redacts the log events of one tool call (the access line, the upstream request line, the tool
line and an error with a traceback) with a redactor that has seen one credential set, then one
that has seen 1,000, and prints both per-call costs and their ratio.

    python -m bench.redaction
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from app.observability.redaction import Redactor

_TRACEBACK = "\n".join(
    f'  File "/app/app/tab/client.py", line {n}, in fetch\n    response = await self._send(req)'
    for n in range(40))

CALL_EVENTS: list[dict[str, Any]] = [
    {"event": "HTTP Request: GET https://api.beta.tab.com.au/v1/tab-info-service/racing/dates/"
              "2026-09-23/meetings/R/WFM/races/2 \"HTTP/1.1 200 OK\"", "logger": "httpx2"},
    {"event": "tool call", "tool": "race_card", "venue": "Warwick Farm", "race": 2,
     "duration_ms": 12.5, "outcome": "ok", "logger": "app.tools"},
    {"event": '127.0.0.1:50412 - "POST /mcp HTTP/1.1" 200', "logger": "uvicorn.access"},
    {"event": "upstream error", "exception": "Traceback (most recent call last):\n" + _TRACEBACK,
     "logger": "app.tab"},
]


def credential_set(n: int) -> list[str]:
    """One session's secret values (client id, secret, username, password): alike in shape,
    so many share their first characters, and random ones."""
    shaped = [f"client-{n:04d}", f"Secret-{n:04d}-a8f3c1d9e2", f"user{n:04d}", f"Pass/{n:04d}!x"]
    return [*shaped, secrets.token_urlsafe(12), secrets.token_urlsafe(16)]


def per_call_seconds(sets: int, calls: int = 2000) -> float:
    """Mean seconds to redact one call's events with `sets` credential sets registered."""
    redactor = Redactor(["server-client-secret-value", "server-password-value"])
    for n in range(sets):
        redactor.add_session_secrets(credential_set(n))
    start = time.process_time()
    for _ in range(calls):
        for event in CALL_EVENTS:
            redactor.event(event)
    return (time.process_time() - start) / calls


def main() -> None:
    """Print the per-call redaction cost at 1 and 1,000 credential sets, and their ratio."""
    per_call_seconds(1, calls=200)  # warm up
    one = per_call_seconds(1)
    thousand = per_call_seconds(1000)
    print(f"redaction per call, 1 credential set:      {one * 1e6:8.1f} us")
    print(f"redaction per call, 1,000 credential sets: {thousand * 1e6:8.1f} us")
    print(f"ratio 1,000 / 1: {thousand / one:.2f}")


if __name__ == "__main__":
    main()
