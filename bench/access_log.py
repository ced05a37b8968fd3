"""CPU per access line at INFO: what logging a call costs the server, through the real pipeline.

Configures the server's logging (JSON, INFO, two configured secrets) onto a stream that
discards what it is given, then writes uvicorn's access line for a call the way uvicorn does,
and prints the CPU microseconds per line: the whole pipeline (record, formatter, redaction,
rendering) and the redaction of its event alone.

    python -m bench.access_log
"""

from __future__ import annotations

import io
import logging
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `app` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.observability.logging import REDACTOR, configure_logging

ACCESS_EVENT = {"event": '127.0.0.1:50412 - "POST /mcp HTTP/1.1" 200', "level": "info",
                "logger": "uvicorn.access", "timestamp": "2026-09-23T04:00:00.000000Z",
                "request_id": "5f0c2a9e1b7d4c3a"}


class _Discard(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)

    def isatty(self) -> bool:
        return False


def per_line_us(lines: int) -> float:
    """CPU microseconds per access line written through the configured pipeline."""
    access = logging.getLogger("uvicorn.access")
    start = time.process_time()
    for _ in range(lines):
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:50412", "POST", "/mcp", "1.1", 200)
    return (time.process_time() - start) / lines * 1e6


def redaction_us(lines: int) -> float:
    """CPU microseconds to redact one access line's event."""
    start = time.process_time()
    for _ in range(lines):
        REDACTOR.event(ACCESS_EVENT)
    return (time.process_time() - start) / lines * 1e6


def main() -> None:
    """Print the per-line figures (best of three runs of 20,000 lines)."""
    configure_logging("INFO", "json", secrets=["server-client-secret-value",
                                                "server-password-value"], stream=_Discard())
    per_line_us(2000)  # warm up
    line = min(per_line_us(20000) for _ in range(3))
    redaction = min(redaction_us(20000) for _ in range(3))
    print(f"access line at INFO, whole pipeline: {line:6.1f} us")
    print(f"  of which redacting its event:      {redaction:6.1f} us")


if __name__ == "__main__":
    main()
