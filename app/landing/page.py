"""The HTML page for people: what this server is, how to connect, its tools and health."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from html import escape
from importlib.resources import files
from string import Template

#: Tools without a toolset are served whatever the configuration.
ALWAYS = "always"


@dataclass(frozen=True)
class PageFacts:
    """Everything the page shows, gathered per request (nothing in it is a secret)."""

    name: str
    title: str
    version: str
    mcp_url: str
    sandbox: bool
    upstream: str
    api_keys_required: bool
    ready: bool
    ready_reason: str
    #: toolset -> [(tool name, one-line description)], in the order the server lists them.
    tools: dict[str, list[tuple[str, str]]]


@cache
def _template() -> Template:
    return Template(files(__package__).joinpath("page.html").read_text(encoding="utf-8"))


def _python_snippet(url: str, api_key: bool) -> str:
    body = [
        '        result = await client.call_tool("next_to_go", {"count": 3})',
        '        for race in result.structured_content["races"]:',
        '            print(race["venue"], race["race_number"], race["start_local"])',
    ]
    if not api_key:
        head = ["from mcp import Client", "", "", "async def main() -> None:",
                f'    async with Client("{url}") as client:']
    else:
        head = ["import httpx2", "from mcp import Client",
                "from mcp.client.streamable_http import streamable_http_client", "", "",
                "async def main() -> None:",
                '    headers = {"Authorization": "Bearer <your API key>"}',
                "    async with httpx2.AsyncClient(headers=headers) as http, Client(",
                f'            streamable_http_client("{url}", http_client=http)) as client:']
    return "\n".join(["import asyncio", "", *head, *body, "", "", "asyncio.run(main())"])


def snippets(facts: PageFacts) -> dict[str, str]:
    """Copy-paste connection snippets for the page's MCP URL (plain text, not yet escaped)."""
    url, key = facts.mcp_url, facts.api_keys_required
    header = ' --header "Authorization: Bearer <your API key>"' if key else ""
    entry: dict[str, object] = {"url": url}
    if key:
        entry["headers"] = {"Authorization": "Bearer <your API key>"}
    return {
        "snippet_claude": f"claude mcp add --transport http tab {url}{header}",
        "snippet_json": json.dumps({"mcpServers": {"tab": entry}}, indent=2),
        "snippet_inspector": (f"npx @modelcontextprotocol/inspector --cli {url}{header} "
                              "--method tools/list"),
        "snippet_python": _python_snippet(url, key),
    }


def _tool_rows(tools: dict[str, list[tuple[str, str]]]) -> str:
    rows = []
    for toolset, entries in tools.items():
        names = "<br>\n      ".join(
            f'<code>{escape(name)}</code> <span class="muted">{escape(summary)}</span>'
            for name, summary in entries)
        rows.append(f'    <tr data-toolset="{escape(toolset)}"><th>{escape(toolset)}</th>\n'
                    f"      <td>{names}</td></tr>")
    return "\n".join(rows)


def render_page(facts: PageFacts) -> str:
    """The page as HTML; every value from outside the template is escaped."""
    text: dict[str, str] = {
        "name": facts.name, "title": facts.title, "version": facts.version,
        "mcp_url": facts.mcp_url, "upstream": facts.upstream,
        "mode_class": "sandbox" if facts.sandbox else "live",
        "mode_label": "sandbox: simulated data" if facts.sandbox else "live Tabcorp data",
        "mode_sentence": (
            "This server runs on its built-in sandbox, an offline imitation of Tabcorp's API: "
            "every meeting, price and result you see here is generated, not real."
            if facts.sandbox else
            "This server reads the real Tabcorp API."),
        "auth_sentence": (
            "This server requires an API key: send it as the header "
            "Authorization: Bearer <key> (ask the server's operator for one)."
            if facts.api_keys_required else
            "No API key is needed on this server."),
        "health_class": "ok" if facts.ready else "bad",
        "health_label": "ready" if facts.ready else "not ready",
        "health_detail": "ready" if facts.ready else f"not ready: {facts.ready_reason}",
        "tool_count": str(sum(len(entries) for entries in facts.tools.values())),
        **snippets(facts),
    }
    escaped = {key: escape(value) for key, value in text.items()}
    return _template().substitute(escaped, tool_rows=_tool_rows(facts.tools))
