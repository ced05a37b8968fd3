"""The page, the server card and the start-up line, over HTTP against a real server."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx2
import pytest
from mcp import Client

from app.config import load_settings
from app.landing import startup_line
from app.landing.page import PageFacts, render_page
from tests.support.stack import Stack, running_stack

pytestmark = pytest.mark.anyio

KEY = "landing-test-key-0123456789"
CARD = "/.well-known/mcp/server-card.json"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def keyed() -> Iterator[Stack]:
    with running_stack(tab_mcp_api_keys=KEY) as stack:
        yield stack


def get(url: str, **headers: str) -> httpx2.Response:
    return httpx2.get(url, headers=headers, timeout=20)


def test_with_api_keys_the_page_stays_open_and_says_a_key_is_needed(keyed: Stack) -> None:
    page = get(keyed.url + "/")
    assert page.status_code == 200
    assert "This server requires an API key" in page.text
    assert "--header &quot;Authorization: Bearer &lt;your API key&gt;&quot;" in page.text
    assert "streamable_http_client(" in page.text
    assert KEY not in page.text
    # The MCP endpoint itself still wants the key.
    assert httpx2.post(keyed.mcp_url, json={}, timeout=20).status_code == 401


def test_only_a_browser_gets_the_page_at_the_mcp_url(keyed: Stack) -> None:
    assert get(keyed.mcp_url, accept=BROWSER_ACCEPT).headers["content-type"].startswith(
        "text/html")
    stream = get(keyed.mcp_url, accept="text/event-stream")
    assert stream.status_code == 401  # an MCP client's GET meets the API key check


def snippet(page: str, name: str) -> str:
    found = re.search(rf'<pre id="snippet-{name}">(.*?)</pre>', page, re.DOTALL)
    assert found, name
    return html.unescape(found.group(1))


def test_the_python_snippet_runs_as_pasted() -> None:
    with running_stack() as stack:
        code = snippet(get(stack.url + "/").text, "python")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert len(lines) == 3 and all(re.search(r" \d+ \d{4}-\d\d-\d\dT", line) for line in lines)


def test_the_page_is_locked_down(keyed: Stack) -> None:
    headers = get(keyed.url + "/").headers
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("path", ["/", CARD])
def test_a_disallowed_host_is_refused(keyed: Stack, path: str) -> None:
    response = get(keyed.url + path, host="rebound.example")
    assert response.status_code == 421
    assert "rebound.example" not in response.text


def test_an_allowed_host_appears_in_the_snippets() -> None:
    with running_stack(tab_mcp_allowed_hosts="mcp.example.com") as stack:
        page = get(stack.url + "/", host="mcp.example.com", **{"x-forwarded-proto": "https"})
    assert page.status_code == 200
    # A proxy in FORWARDED_ALLOW_IPS (loopback by default) tells the scheme clients use.
    assert "https://mcp.example.com/mcp" in page.text


async def test_the_server_card_lists_what_tools_list_lists(keyed: Stack) -> None:
    card = get(keyed.url + CARD)
    assert card.status_code == 200
    body = card.json()
    assert body["serverInfo"] == {"name": "tab-mcp", "title": "TAB racing & sports",
                                  "version": body["serverInfo"]["version"]}
    assert body["authentication"] == {"required": True, "schemes": ["bearer"]}
    with running_stack() as open_stack:
        open_card = get(open_stack.url + CARD).json()
        async with Client(open_stack.mcp_url) as client:
            tools = (await client.list_tools()).tools
            prompts = (await client.list_prompts()).prompts
    assert open_card["authentication"] == {"required": False, "schemes": []}
    assert [tool["name"] for tool in open_card["tools"]] == [tool.name for tool in tools]
    assert all("inputSchema" in tool for tool in open_card["tools"])
    assert [p["name"] for p in open_card["prompts"]] == [p.name for p in prompts]


def test_everything_from_outside_the_template_is_escaped() -> None:
    hostile = '"><script>alert(1)</script>'
    html = render_page(PageFacts(
        name="tab-mcp", title=hostile, version="1", mcp_url=f"http://x/{hostile}",
        sandbox=False, upstream=hostile, api_keys_required=False, ready=False,
        ready_reason=hostile, tools={hostile: [(hostile, hostile)]}))
    assert "<script>" not in html and "alert(1)</script>" not in html
    assert html.count("&lt;script&gt;") >= 6


@pytest.mark.parametrize(("overrides", "fragments"), [
    ({"tab_sandbox": True},
     ["at http://127.0.0.1:8081/mcp", "mode: SANDBOX: simulated data",
      "inbound auth: open, no API key", "toolsets: racing, sports, results"]),
    ({"host": "0.0.0.0", "port": 9000, "tab_mcp_api_keys": KEY, "tab_mcp_toolsets": "racing,raw"},
     ["at http://127.0.0.1:9000/mcp", "mode: real Tabcorp service at https://api.beta.tab.com.au",
      "upstream auth: anonymous", "inbound auth: API key required", "toolsets: racing, raw"]),
    ({"host": "10.1.2.3"}, ["at http://10.1.2.3:8081/mcp",
                            "inbound auth: open to anyone who can reach it"]),
])
def test_the_startup_line(overrides: dict[str, object], fragments: list[str]) -> None:
    line = startup_line(load_settings(environ={}, **overrides))
    assert "\n" not in line and KEY not in line
    for fragment in fragments:
        assert fragment in line
