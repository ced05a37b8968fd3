"""Every logger on the request path writes through the redactor: no canary escapes."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from urllib.parse import quote, quote_plus

import httpx2
import pytest
import structlog

from app.asgi import create_app
from app.config import load_settings
from app.observability.logging import LogFormat, configure_logging
from app.observability.redaction import Redactor
from app.tab.errors import sanitize
from tests.support.clients import mcp_client
from tests.support.servers import serve

CANARIES = {
    "tab_client_secret": "cs-Canary&Secret/1+x",
    "tab_username": "un-Canary 4821",
    "tab_password": "pw-Canary:p@ss=w%rd",
    "tab_mcp_api_keys": "ak-Canary-key-77",
    "tab_mcp_metrics_key": "mk-Canary-key-88",
}


def forms(value: str) -> set[str]:
    return {value, quote(value, safe=""), quote_plus(value), quote(value)}


@pytest.fixture
def restore_logging() -> Iterator[None]:
    yield
    configure_logging("WARNING", "json")


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", ["json", "console"])
@pytest.mark.anyio
async def test_no_canary_in_any_log_line(log_format: LogFormat) -> None:
    settings = load_settings(None, tab_client_id="client-id", **CANARIES)
    app = create_app(settings)

    def leaky_tool(note: str) -> str:
        """Fails with a secret in its exception message."""
        raise RuntimeError(f"upstream said {CANARIES['tab_client_secret']} for {note}")

    app.state.mcp_server.add_tool(leaky_tool)
    stream = io.StringIO()
    configure_logging("DEBUG", log_format, secrets=settings.secret_values(), stream=stream)
    token = CANARIES["tab_password"]
    with serve(app) as base_url:
        async with httpx2.AsyncClient(timeout=10) as http:
            # uvicorn access log + httpx2 request log (DEBUG), both with the secret in the URL
            await http.get(f"{base_url}/health", params={"access_token": token})
            await http.get(f"{base_url}/health?config={quote(CANARIES['tab_username'])}")
        auth = {"Authorization": f"Bearer {CANARIES['tab_mcp_api_keys']}"}
        async with mcp_client(f"{base_url}/mcp", api_key=CANARIES["tab_mcp_api_keys"]) as client:
            result = await client.call_tool("leaky_tool", {"note": CANARIES["tab_username"]})
        assert result.is_error
        # the tool's message never reaches the client either: the SDK hides crashes
        assert CANARIES["tab_client_secret"] not in str(result.content)
        structlog.get_logger("tab.test").info(
            "nested", payload={"outer": {"note": CANARIES["tab_password"]}},
            items=[CANARIES["tab_mcp_metrics_key"]], headers=auth)
        logging.getLogger("authlib").debug("token body %s", {"refresh_token": token})
        try:
            raise ValueError(f"bad secret {CANARIES['tab_client_secret']}")
        except ValueError:
            structlog.get_logger("tab.test").exception("failure with traceback")
    output = stream.getvalue()
    assert "GET /health" in output and "leaky_tool" in output and "nested" in output
    assert "failure with traceback" in output and "ValueError" in output
    for name, canary in CANARIES.items():
        for form in forms(canary):
            assert form not in output, f"{name} leaked as {form!r}"


@pytest.mark.parametrize("text", [
    "password: hunter2-secret", "token = hunter2-secret", "Bearer hunter2-secret",
    "client_secret=hunter2-secret&x=1", '{"password": "hunter2-secret"}',
    "https://user:hunter2-secret@host/x",
])
def test_logs_and_upstream_messages_hide_the_same_credentials(text: str) -> None:
    assert "hunter2" not in Redactor().text(text)
    assert "hunter2" not in sanitize(text)
