"""The page for people, as headless Chromium renders it from a real server on loopback."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mcp import Client

from tests.support.stack import Stack, running_stack

pytestmark = pytest.mark.anyio

WINDOW = (1100, 1800)


@pytest.fixture(scope="module")
def chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium; "
                    ".ci/run installs it)")
    return browser


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack() as stack:
        yield stack


def headless(browser: str, *args: str) -> str:
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-extensions", *args],
        capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class TextAndTags(HTMLParser):
    """The rendered DOM's visible text, its tags and every URL it would load."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: set[str] = set()
        self.loads: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self._skip += tag in ("style", "script")
        self.loads += [value or "" for name, value in attrs if name in ("src", "srcset")]
        if tag == "link":
            self.loads += [value or "" for name, value in attrs if name == "href"]

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


def dom_of(browser: str, url: str) -> TextAndTags:
    parser = TextAndTags()
    parser.feed(headless(browser, "--dump-dom", url))
    return parser


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_the_page_renders_with_the_server_its_url_and_live_tools(
        chromium: str, stack: Stack, tmp_path: Path) -> None:
    shot = tmp_path / "landing.png"
    headless(chromium, f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
             stack.url + "/")
    assert png_size(shot) == WINDOW
    assert shot.stat().st_size > 50_000, "the screenshot is (nearly) blank"

    page = dom_of(chromium, stack.url + "/")
    text = page.plain
    assert "TAB racing & sports" in text
    assert "sandbox: simulated data" in text and "generated, not real" in text
    assert f"MCP endpoint (Streamable HTTP): {stack.mcp_url}" in text
    assert f"claude mcp add --transport http tab {stack.mcp_url}" in text
    assert f'"url": "{stack.mcp_url}"' in text
    assert f"npx @modelcontextprotocol/inspector --cli {stack.mcp_url} --method tools/list" in text
    assert f'async with Client("{stack.mcp_url}") as client:' in text
    assert "No API key is needed on this server." in text
    assert "Readiness/ready: ready" in text
    async with Client(stack.mcp_url) as client:
        tools = (await client.list_tools()).tools
    assert f"{len(tools)} tools, by toolset" in text
    for tool in tools:
        assert f" {tool.name} " in f" {text} ", tool.name
    for toolset in ("always", "racing", "sports", "results"):
        assert f" {toolset} " in text
    # Self-contained: nothing to fetch, no script.
    assert page.loads == []
    assert not page.tags & {"script", "img", "iframe", "link", "object", "embed"}


async def test_a_browser_opening_the_mcp_url_gets_the_page(chromium: str, stack: Stack) -> None:
    text = dom_of(chromium, stack.mcp_url).plain
    assert f"MCP endpoint (Streamable HTTP): {stack.mcp_url}" in text
    # ... while MCP clients on the same URL are unaffected.
    async with Client(stack.mcp_url) as client:
        assert (await client.call_tool("server_status", {})).is_error is False
