"""Per-session configuration over real HTTP: three carriers, precedence, refusals, redaction."""

from __future__ import annotations

import base64
import io
import itertools
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import httpx2
import pytest

from app.asgi import create_app
from app.observability.logging import REDACTOR, configure_logging
from tests.security.helpers import (
    INITIALIZE,
    MCP_HEADERS,
    add_session_probe,
    make_settings,
    probe_result,
    probed_server,
    sha,
)
from tests.support.clients import mcp_client
from tests.support.jsonrpc import handshake_call, parse_body
from tests.support.servers import serve

SECRET = "Session-Canary-Secret+/=&9"
OTHER_SECRET = "Header-Canary-Secret-77"
PASSWORD = "Session-Canary-Pass word"
USERNAME = "Session-Canary-User-31"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    yield from probed_server()


def probe(url: str, query: str = "", **headers: str) -> dict[str, Any] | None:
    with httpx2.Client(timeout=10) as http:
        response = handshake_call(http, f"{url}/mcp{'?' + query if query else ''}",
                                  "session_probe", {}, **headers)
    return probe_result(response)


def post_raw(url: str, query: str = "", **headers: str) -> httpx2.Response:
    with httpx2.Client(timeout=10) as http:
        return http.post(f"{url}/mcp{'?' + query if query else ''}",
                         content=json.dumps(INITIALIZE), headers={**MCP_HEADERS, **headers})


def b64(data: dict[str, Any], *, urlsafe: bool, padded: bool) -> str:
    raw = json.dumps(data).encode()
    text = (base64.urlsafe_b64encode(raw) if urlsafe else base64.b64encode(raw)).decode()
    return text if padded else text.rstrip("=")


def tricky_config() -> dict[str, Any]:
    """A config whose base64 has padding and both alphabet-specific characters."""
    for question, greater in itertools.product(range(8), repeat=2):
        data = {"jurisdiction": "VIC", "tabClientId": "cid" + "?" * question + ">" * greater,
                "tabClientSecret": SECRET}
        standard = base64.b64encode(json.dumps(data).encode()).decode()
        if "+" in standard and "/" in standard and standard.endswith("="):
            return data
    raise AssertionError("no suitable payload")


@pytest.mark.anyio
async def test_initialize_and_tools_list_work_without_any_config(url: str) -> None:
    async with mcp_client(f"{url}/mcp") as client:
        tools = await client.list_tools()
        result = await client.call_tool("session_probe", {})
    assert {"server_status", "session_probe"} <= {tool.name for tool in tools.tools}
    assert not result.is_error
    assert probe(url) is None


@pytest.mark.parametrize(("urlsafe", "padded"), [(False, True), (False, False),
                                                 (True, True), (True, False)])
def test_base64_config_query_parameter(url: str, urlsafe: bool, padded: bool) -> None:
    data = tricky_config()
    config = probe(url, "config=" + quote(b64(data, urlsafe=urlsafe, padded=padded), safe=""))
    assert config == {"jurisdiction": "VIC", "toolsets": None,
                      "client_id_sha256": sha(data["tabClientId"]),
                      "secret_sha256": sha(SECRET), "username_sha256": None}


def test_base64_config_with_an_unencoded_plus_in_the_query(url: str) -> None:
    data = tricky_config()
    # a raw "+" arrives as a space after query decoding
    config = probe(url, "config=" + b64(data, urlsafe=False, padded=True))
    assert config is not None and config["secret_sha256"] == sha(SECRET)


@pytest.mark.anyio
async def test_dot_notation_query_parameters_with_the_official_client(url: str) -> None:
    query = urlencode({"jurisdiction": "qld", "tabClientId": "dot-client",
                       "tabClientSecret": SECRET, "tabUsername": USERNAME,
                       "tabPassword": PASSWORD, "toolsets.0": "racing", "toolsets.1": "results",
                       "api_key": "gateway-key-ignored", "profile": "gateway-profile"})
    async with mcp_client(f"{url}/mcp?{query}") as client:
        result = await client.call_tool("session_probe", {})
    assert not result.is_error
    data = result.structured_content or {}
    assert data.get("result", data)["config"] == {
        "jurisdiction": "QLD", "toolsets": ["racing", "results"],
        "client_id_sha256": sha("dot-client"), "secret_sha256": sha(SECRET),
        "username_sha256": sha(USERNAME)}


def test_headers(url: str) -> None:
    config = probe(url, **{"X-TAB-Jurisdiction": "SA", "X-TAB-Client-Id": "hdr-client",
                           "X-TAB-Client-Secret": OTHER_SECRET, "X-TAB-Username": USERNAME,
                           "X-TAB-Password": PASSWORD, "X-TAB-Toolsets": "racing, sports"})
    assert config == {"jurisdiction": "SA", "toolsets": ["racing", "sports"],
                      "client_id_sha256": sha("hdr-client"), "secret_sha256": sha(OTHER_SECRET),
                      "username_sha256": sha(USERNAME)}


def test_headers_win_over_query_which_wins_over_base64(url: str) -> None:
    encoded = b64({"jurisdiction": "TAS", "tabClientId": "b64-client",
                   "tabClientSecret": "b64-secret-xxxx"}, urlsafe=True, padded=False)
    query = urlencode({"config": encoded, "jurisdiction": "NT", "tabClientSecret": SECRET})
    config = probe(url, query, **{"X-TAB-Client-Secret": OTHER_SECRET})
    assert config is not None
    assert config["jurisdiction"] == "NT"
    assert config["client_id_sha256"] == sha("b64-client")
    assert config["secret_sha256"] == sha(OTHER_SECRET)


@pytest.mark.parametrize(("query", "headers", "field"), [
    ("baseUrl=https://evil.example", {}, "baseUrl"),
    ("tabBaseUrl=https://evil.example&jurisdiction=VIC", {}, "tabBaseUrl"),
    ("tokenUrl=https://evil.example/oauth/token", {}, "tokenUrl"),
    ("config=" + b64({"tabBaseUrl": "https://evil.example"}, urlsafe=True, padded=False), {},
     "tabBaseUrl"),
    ("", {"X-TAB-Base-Url": "https://evil.example"}, "X-TAB-Base-Url"),
    ("server.host=evil.example", {}, "server"),
])
def test_a_session_cannot_set_the_upstream(url: str, query: str, headers: dict[str, str],
                                           field: str) -> None:
    response = post_raw(url, query, **headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert field in error["message"] and field in error["data"]["fields"]
    assert "evil.example" not in response.text


@pytest.mark.parametrize(("query", "headers", "field", "secret"), [
    ("jurisdiction=WA", {}, "jurisdiction", None),
    ("", {"X-TAB-Jurisdiction": "Mars"}, "jurisdiction", None),
    ("toolsets=racing,wagering", {}, "toolsets", None),
    ("tabClientSecret=" + quote(SECRET, safe=""), {}, "tabClientId", SECRET),
    ("", {"X-TAB-Client-Id": "c", "X-TAB-Client-Secret": "s" * 501}, "tabClientSecret", "s" * 501),
    ("", {"X-TAB-Username": USERNAME, "X-TAB-Password": PASSWORD}, "tabClientId", PASSWORD),
    ("config=%%%not-base64", {}, "config", None),
    ("config=" + b64(["not", "an", "object"], urlsafe=False, padded=True),  # type: ignore[arg-type]
     {}, "config", None),
    ("config=" + quote(base64.b64encode(b"\xff\xfe").decode()), {}, "config", None),
    ("config=" + b64({"tabClientId": 12345, "tabClientSecret": SECRET}, urlsafe=True,
                     padded=True), {}, "tabClientId", SECRET),
])
def test_invalid_config_is_a_400_naming_the_field_without_the_value(
        url: str, query: str, headers: dict[str, str], field: str, secret: str | None) -> None:
    response = post_raw(url, query, **headers)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert field in error["message"]
    assert error["message"].startswith("Invalid session configuration")
    if secret:
        for form in (secret, quote(secret, safe=""), quote(secret)):
            assert form not in response.text


def test_empty_values_mean_no_config(url: str) -> None:
    assert probe(url, "jurisdiction=&tabClientId=", **{"X-TAB-Client-Secret": ""}) is None


def test_the_session_secrets_join_the_log_redactor(url: str) -> None:
    secret = "Fresh-Session-Secret-0c4a"
    assert REDACTOR.text(f"x {secret} y") == f"x {secret} y"
    probe(url, **{"X-TAB-Client-Id": "fresh", "X-TAB-Client-Secret": secret})
    assert secret not in REDACTOR.text(f"x {secret} y")


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    yield stream
    configure_logging("WARNING", "json")


@pytest.mark.anyio
async def test_config_in_urls_and_headers_never_reaches_the_logs(
        captured_logs: io.StringIO) -> None:
    app = create_app(make_settings(tab_mcp_rate_limit=0))
    add_session_probe(app)
    canaries = {"secret": "Log-Canary-Secret-a1b2", "user": "Log-Canary-User-c3d4",
                "password": "Log-Canary-Pass-e5f6", "client": "Log-Canary-Client-0a0b"}
    encoded = b64({"tabClientId": canaries["client"], "tabClientSecret": canaries["secret"]},
                  urlsafe=False, padded=True)
    dotted = urlencode({"tabClientId": canaries["client"], "tabClientSecret": canaries["secret"],
                        "tabUsername": canaries["user"], "tabPassword": canaries["password"]})
    with serve(app) as base_url:
        assert probe(base_url, "config=" + quote(encoded, safe="")) is not None
        assert probe(base_url, dotted) is not None
        assert probe(base_url, **{"X-TAB-Client-Id": canaries["client"],
                                  "X-TAB-Client-Secret": canaries["secret"]}) is not None
        # refused requests are logged too
        assert post_raw(base_url, dotted + "&baseUrl=x").status_code == 400
        async with mcp_client(f"{base_url}/mcp?{dotted}") as client:
            await client.list_tools()
    output = captured_logs.getvalue()
    # The test's own client (httpx2, mcp.client) logs its URLs; everything else is the server.
    server_lines = "\n".join(
        line for line in output.splitlines()
        if not json.loads(line).get("logger", "").startswith(
            ("httpx2", "httpcore", "mcp.client")))
    assert "POST /mcp" in server_lines and "inbound request rejected" in server_lines
    for name, canary in canaries.items():
        for form in (canary, quote(canary, safe=""), base64.b64encode(canary.encode()).decode()):
            assert form not in server_lines, f"{name} leaked"
            # and the secrets are redacted even from the client's own lines
            assert name == "client" or form not in output, f"{name} leaked"
    assert encoded not in output and quote(encoded, safe="") not in output
    assert "tabClientId" not in server_lines and "X-TAB" not in server_lines


def test_parse_body_helper_handles_sse(url: str) -> None:
    # the raw exchange used above really streams (SSE), not JSON
    response = post_raw(url)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert parse_body(response)[0]["result"]["serverInfo"]["name"] == "tab-mcp"
