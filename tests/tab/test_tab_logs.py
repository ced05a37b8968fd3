"""No token, secret or credential ever reaches a log line, whoever logs it.

Logging is captured before any redaction (structlog rendered into stdlib records, every stdlib
logger at DEBUG, including httpx2, httpcore2, authlib and uvicorn), so this checks what the
client and its libraries emit, not what a redacting formatter would hide.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterator

import pytest
import structlog
from pydantic import SecretStr

from app.domain.credentials import Credentials
from app.sandbox.options import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD
from app.tab.errors import TabError
from tests.tab.conftest import SERVICE_ROOT, Sandbox

pytestmark = pytest.mark.anyio

PATH = SERVICE_ROOT + "/racing/dates/2026-09-23/meetings/R/WFM/races/2"
WRONG_SECRET = "wrong-client-secret-5e6f7a8b"
BEARER_VALUE = re.compile(r"Bearer\s+[A-Za-z0-9._~+/-]{8,}")
LOGGERS = ("", "httpx2", "httpcore2", "authlib", "uvicorn", "uvicorn.error", "app")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def captured() -> Iterator[Capture]:
    handler = Capture()
    saved_structlog = structlog.get_config()
    saved_levels = {name: logging.getLogger(name).level for name in LOGGERS}
    structlog.configure(
        processors=[structlog.processors.add_log_level,
                    structlog.processors.format_exc_info,
                    structlog.processors.KeyValueRenderer()],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
        cache_logger_on_first_use=False,
    )
    root = logging.getLogger()
    root.addHandler(handler)
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for name, level in saved_levels.items():
            logging.getLogger(name).setLevel(level)
        structlog.configure(**saved_structlog)


async def test_no_credential_or_token_in_any_log_line(socket_sandbox: Sandbox,
                                                      captured: Capture) -> None:
    sandbox = socket_sandbox
    await sandbox.override(PATH, {"raceNumber": 2})
    client = sandbox.client("password")
    await client.get_raw(PATH, {"n": 0})
    await sandbox.admin("POST", "/tokens/expire")  # 401 → refresh grant
    await client.get_raw(PATH, {"n": 1})
    await sandbox.admin("POST", "/tokens/revoke", {"all": True})  # refresh fails → password
    await asyncio.gather(*(client.get_raw(PATH, {"n": n}) for n in range(2, 7)))
    await sandbox.faults({"error_rate": 1, "error_status": 503, "count": 1},
                         {"drop_rate": 1, "count": 1})
    await client.get_raw(PATH, {"n": 7})
    await sandbox.faults({"garbage_rate": 1, "garbage_kind": "html_block", "count": 1})
    with pytest.raises(TabError):
        await client.get_raw(PATH, {"n": 8})
    wrong = sandbox.client(credentials=Credentials(client_id=DEFAULT_CLIENT_ID,
                                                   client_secret=SecretStr(WRONG_SECRET)))
    with pytest.raises(TabError):
        await wrong.get_raw(PATH)
    await client.aclose()
    await wrong.aclose()

    tokens = sandbox.recorder.issued
    assert len(tokens) >= 6  # access and refresh tokens from three grants
    forbidden = [*tokens, DEFAULT_CLIENT_SECRET, DEFAULT_PASSWORD, WRONG_SECRET]
    text = "\n".join(captured.lines)
    # The capture saw the client's own lines and the libraries' (it is not vacuous).
    assert "upstream request" in text and "endpoint=" in text
    assert "upstream token obtained" in text
    assert any(line.startswith("httpx2 ") for line in captured.lines)
    assert any(line.startswith("httpcore2.") for line in captured.lines)
    for line in captured.lines:
        for secret in forbidden:
            assert secret not in line, line
        assert not BEARER_VALUE.search(line), line
    ours = [line for line in captured.lines if "upstream request" in line]
    assert ours and not any("?" in line or "jurisdiction=" in line for line in ours)
