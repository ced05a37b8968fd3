"""Hostile encodings and nesting: UTF-8 credentials in headers, deep JSON anywhere we parse."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any, cast

import httpx2
import pytest

from app.primitives import bounded_json
from app.sandbox.options import SandboxOptions
from app.tab.errors import BadResponse
from app.tab.interpret import _parse_json
from tests.security.helpers import (
    INITIALIZE,
    MCP_HEADERS,
    probe_result,
    probed_server,
    sha,
)
from tests.support.clients import mcp_client
from tests.support.jsonrpc import handshake_call
from tests.support.stack import running_stack

USERNAME = "jöhn.smïth@例え.jp"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    yield from probed_server()


def raw_header(value: bytes) -> str:
    # httpx sends bytes values as they are; the type hints of the helpers say str.
    return cast(str, value)


def test_utf8_header_values_reach_the_session_intact(url: str) -> None:
    with httpx2.Client(timeout=10) as http:
        response = handshake_call(http, f"{url}/mcp", "session_probe", {}, **{
            "X-TAB-Client-Id": "client", "X-TAB-Client-Secret": raw_header("sécret-ü".encode()),
            "X-TAB-Username": raw_header(USERNAME.encode()),
            "X-TAB-Password": raw_header("pässwörd-✓".encode())})
    config = probe_result(response)
    assert config is not None
    assert config["username_sha256"] == sha(USERNAME)


def test_header_bytes_that_are_not_utf8_get_a_clear_400(url: str) -> None:
    response = httpx2.post(f"{url}/mcp", content=json.dumps(INITIALIZE), timeout=10,
                           headers={**MCP_HEADERS, "X-TAB-Client-Id": "client",
                                    "X-TAB-Password": raw_header(b"pass\xff\xfeword")})
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "X-TAB-Password" in message and "UTF-8" in message


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# 3,000 levels: past the interpreter's recursion limit, within the URL's length limit.
@pytest.mark.parametrize("depth", [5, 3000])
@pytest.mark.parametrize("carrier", ["config", "toolsets-query", "toolsets-header"])
def test_deeply_nested_session_config_is_a_400_not_a_500(url: str, carrier: str,
                                                         depth: int) -> None:
    headers = dict(MCP_HEADERS)
    query = ""
    if carrier == "config":
        document = '{"toolsets": ' + nested(depth) + "}"
        query = "config=" + base64.urlsafe_b64encode(document.encode()).decode()
    elif carrier == "toolsets-query":
        query = "toolsets=" + nested(depth)
    else:
        headers["X-TAB-Toolsets"] = nested(depth)
    response = httpx2.post(f"{url}/mcp?{query}", content=json.dumps(INITIALIZE),
                           headers=headers, timeout=30)
    assert response.status_code == 400, response.text
    assert "Traceback" not in response.text
    assert "toolsets" in response.text or "config" in response.text


@pytest.mark.parametrize("depth", [65, 100_000])
def test_a_deeply_nested_upstream_body_is_a_bad_response(depth: int) -> None:
    with pytest.raises(BadResponse, match="not valid JSON"):
        _parse_json(200, "application/json", nested(depth).encode())


def test_the_depth_limit_counts_arrays_and_objects_and_allows_the_limit() -> None:
    at_limit: Any = bounded_json.loads('{"a": ' * 3 + "1" + "}" * 3, max_depth=3)
    assert at_limit == {"a": {"a": {"a": 1}}}
    with pytest.raises(bounded_json.JsonTooDeep):
        bounded_json.loads('{"a": [' * 2 + "1" + "]}" * 2, max_depth=3)


CLIENT_ID = "clïent-ü"
CLIENT_SECRET = "sécret-✓-ü"
PASSWORD = "pässwörd-例え"


@pytest.mark.anyio
@pytest.mark.parametrize("carrier", ["server", "session"])
async def test_utf8_credentials_log_in_end_to_end(carrier: str) -> None:
    options = SandboxOptions(clients={CLIENT_ID: CLIENT_SECRET}, accounts={USERNAME: PASSWORD})
    server_held = {"tab_client_id": CLIENT_ID, "tab_client_secret": CLIENT_SECRET,
                   "tab_username": USERNAME, "tab_password": PASSWORD}
    overrides = server_held if carrier == "server" else {"tab_client_id": None,
                                                         "tab_client_secret": None}
    headers = {} if carrier == "server" else {
        "X-TAB-Client-Id": raw_header(CLIENT_ID.encode()),
        "X-TAB-Client-Secret": raw_header(CLIENT_SECRET.encode()),
        "X-TAB-Username": raw_header(USERNAME.encode()),
        "X-TAB-Password": raw_header(PASSWORD.encode())}
    with running_stack(options, **overrides) as stack:
        async with mcp_client(stack.mcp_url, headers=headers) as client:
            result = await client.call_tool("next_to_go", {})
        ready = httpx2.get(f"{stack.url}/ready", timeout=10)
    assert not result.is_error, result.content
    assert ready.status_code == 200
