"""DNS-rebinding protection (Host 421, Origin 403) and CORS for browser clients, over HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2
import pytest
from mcp.server.transport_security import TransportSecurityMiddleware
from starlette.requests import Request

from app.asgi import create_app
from app.security.origin import transport_security
from tests.security.helpers import INITIALIZE, MCP_HEADERS, make_settings
from tests.support.servers import serve

KEY = "origin-test-key-0123456789"
BROWSER_APP = "https://app.example.com"
PUBLIC_HOST = "mcp.example.com"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    settings = make_settings(tab_mcp_api_keys=KEY, tab_mcp_allowed_origins=BROWSER_APP,
                             tab_mcp_allowed_hosts=PUBLIC_HOST)
    with serve(create_app(settings)) as base_url:
        yield base_url


def post(url: str, *, key: str | None = KEY, **headers: str) -> httpx2.Response:
    if key:
        headers["Authorization"] = f"Bearer {key}"
    with httpx2.Client(timeout=10) as http:
        return http.post(f"{url}/mcp", content=json.dumps(INITIALIZE),
                         headers={**MCP_HEADERS, **headers})


def options(url: str, **headers: str) -> httpx2.Response:
    with httpx2.Client(timeout=10) as http:
        return http.request("OPTIONS", f"{url}/mcp", headers=headers)


@pytest.mark.parametrize("origin", ["https://evil.example", "http://127.0.0.1.evil.example",
                                    "https://app.example.com.evil.example", "null"])
def test_disallowed_origin_gets_403_even_before_authentication(url: str, origin: str) -> None:
    for key in (KEY, None):
        response = post(url, key=key, Origin=origin)
        assert response.status_code == 403
        assert "TAB_MCP_ALLOWED_ORIGINS" in response.json()["error"]["message"]
        assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.2", "localhost.evil",
                                  "mcp.example.com.evil.example", "127.0.0.1:x"])
def test_unknown_host_gets_421_even_before_authentication(url: str, host: str) -> None:
    for key in (KEY, None):
        response = post(url, key=key, Host=host)
        assert response.status_code == 421
        assert "TAB_MCP_ALLOWED_HOSTS" in response.json()["error"]["message"]


@pytest.mark.parametrize("headers", [
    {},
    {"Origin": "http://localhost:6274"},
    {"Origin": "http://127.0.0.1"},
    {"Origin": BROWSER_APP},
    {"Host": PUBLIC_HOST},
    {"Host": f"{PUBLIC_HOST}:443", "Origin": f"{BROWSER_APP}:8443"},
    {"Host": "localhost:1234"},
])
def test_allowed_host_and_origin_pass(url: str, headers: dict[str, str]) -> None:
    response = post(url, **headers)
    assert response.status_code == 200, response.text


def test_operational_endpoints_answer_any_host(url: str) -> None:
    # probes and scrapers address a pod by its IP
    with httpx2.Client(timeout=10) as http:
        assert http.get(f"{url}/health", headers={"Host": "10.0.0.7:8081"}).status_code == 200


def test_cors_preflight_is_answered_without_credentials(url: str) -> None:
    response = options(url, Origin=BROWSER_APP, **{
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers":
            "authorization,content-type,mcp-protocol-version,mcp-session-id"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == BROWSER_APP
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = {h.strip().lower()
               for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"authorization", "content-type", "mcp-session-id", "mcp-protocol-version",
            "last-event-id", "mcp-method", "mcp-name"} <= allowed
    assert "origin" in response.headers["vary"].lower()


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:6274"])
def test_cors_preflight_is_refused_for_origins_not_configured(url: str, origin: str) -> None:
    response = options(url, Origin=origin, **{"Access-Control-Request-Method": "POST"})
    assert response.status_code == 403
    assert "access-control-allow-origin" not in response.headers


def test_plain_options_is_answered_not_405(url: str) -> None:
    response = options(url)
    assert response.status_code == 204
    assert "POST" in response.headers["allow"]


def test_cors_responses_expose_the_mcp_headers_also_on_errors(url: str) -> None:
    ok = post(url, Origin=BROWSER_APP)
    unauthorized = post(url, key=None, Origin=BROWSER_APP)
    assert ok.status_code == 200 and unauthorized.status_code == 401
    for response in (ok, unauthorized):
        assert response.headers["access-control-allow-origin"] == BROWSER_APP
        exposed = {h.strip().lower()
                   for h in response.headers["access-control-expose-headers"].split(",")}
        assert {"mcp-session-id", "mcp-protocol-version", "www-authenticate"} <= exposed
    # a loopback origin may call, but gets no CORS grant
    assert "access-control-allow-origin" not in post(url, Origin="http://localhost:3000").headers


@pytest.mark.anyio
@pytest.mark.parametrize(("host", "origin", "status"), [
    ("127.0.0.1:8081", None, None),
    ("evil.example", None, 421),
    (PUBLIC_HOST, "https://evil.example", 403),
    (f"{PUBLIC_HOST}:8443", BROWSER_APP, None),
])
async def test_the_sdk_layer_enforces_the_same_lists(host: str, origin: str | None,
                                                     status: int | None) -> None:
    settings = make_settings(tab_mcp_allowed_origins=BROWSER_APP,
                             tab_mcp_allowed_hosts=PUBLIC_HOST)
    headers = [(b"host", host.encode()), (b"content-type", b"application/json")]
    if origin:
        headers.append((b"origin", origin.encode()))
    request = Request({"type": "http", "method": "POST", "path": "/mcp", "headers": headers})
    rejection = await TransportSecurityMiddleware(transport_security(settings)).validate_request(
        request, is_post=True)
    assert (rejection.status_code if rejection else None) == status


@pytest.mark.parametrize(("request_headers", "refused"), [
    ({"Access-Control-Request-Method": "PUT"}, "method"),
    ({"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-evil"},
     "headers"),
])
def test_cors_preflight_for_a_method_or_header_not_granted_says_what_is(
        url: str, request_headers: dict[str, str], refused: str) -> None:
    response = options(url, Origin=BROWSER_APP, **request_headers)
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert refused in message and "Mcp-Session-Id" in message and "POST" in message


def test_plain_options_from_a_configured_origin_gets_the_cors_grant(url: str) -> None:
    response = options(url, Origin=f"{BROWSER_APP}:8443")
    assert response.status_code == 204
    assert "POST" in response.headers["allow"]
    assert response.headers["access-control-allow-origin"] == f"{BROWSER_APP}:8443"


@pytest.fixture(scope="module")
def wildcard_url() -> Iterator[str]:
    settings = make_settings(tab_mcp_allowed_hosts="*.example.com,exact.example.org")
    with serve(create_app(settings)) as base_url:
        yield base_url


@pytest.mark.parametrize("host", ["mcp.example.com", "a.b.example.com", "MCP.Example.COM",
                                  "mcp.example.com:8443", "exact.example.org", "127.0.0.1"])
def test_a_wildcard_allows_every_subdomain(wildcard_url: str, host: str) -> None:
    response = post(wildcard_url, key=None, Host=host)
    assert response.status_code == 200, response.text  # past the SDK's own check too


@pytest.mark.parametrize("host", ["example.com", "example.com:443", ".example.com",
                                  "evil-example.com", "mcp.example.com.evil.example",
                                  "a..example.com", "mcp.example.com:x", "x.exact.example.org"])
def test_a_wildcard_allows_nothing_else(wildcard_url: str, host: str) -> None:
    response = post(wildcard_url, key=None, Host=host)
    assert response.status_code == 421, response.text


@pytest.mark.parametrize("pattern", ["*", "*.com", "mcp.*.example.com", "**.example.com",
                                     "example.*"])
def test_a_wildcard_anywhere_else_is_refused_at_start(pattern: str) -> None:
    with pytest.raises(ValueError, match="allowed only as a leading"):
        make_settings(tab_mcp_allowed_hosts=pattern)


@pytest.mark.parametrize("path", ["/mcp", "/mcp/"])
def test_the_endpoint_answers_with_and_without_a_trailing_slash(url: str, path: str) -> None:
    with httpx2.Client(timeout=10) as http:
        response = http.post(f"{url}{path}", content=json.dumps(INITIALIZE),
                             headers={**MCP_HEADERS, "Authorization": f"Bearer {KEY}"})
        refused = http.post(f"{url}{path}", content=json.dumps(INITIALIZE), headers=MCP_HEADERS)
    assert response.status_code == 200, response.text  # no redirect
    assert "event: message" in response.text and '"serverInfo"' in response.text
    assert refused.status_code == 401  # the same checks apply to both
