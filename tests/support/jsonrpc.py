"""Raw JSON-RPC over Streamable HTTP, as a handshake-era client (or a fuzzer) speaks it."""

from __future__ import annotations

import json
from typing import Any

import httpx2

HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def parse_body(response: httpx2.Response) -> list[dict[str, Any]]:
    """JSON-RPC messages from a JSON or `text/event-stream` response body."""
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        data = response.json()
        return data if isinstance(data, list) else [data]
    messages = []
    for line in response.text.splitlines():
        if line.startswith("data:") and line[5:].strip():
            messages.append(json.loads(line[5:]))
    return messages


def post(client: httpx2.Client, url: str, payload: dict[str, Any],
         protocol_version: str | None = None, **headers: str) -> httpx2.Response:
    """POST one JSON-RPC message with the headers the transport requires."""
    all_headers = dict(HEADERS)
    if protocol_version:
        all_headers["MCP-Protocol-Version"] = protocol_version
    all_headers.update(headers)
    return client.post(url, content=json.dumps(payload), headers=all_headers)


def handshake_call(client: httpx2.Client, url: str, tool: str, arguments: dict[str, Any],
                   protocol_version: str = "2025-06-18", **headers: str) -> dict[str, Any]:
    """initialize → notifications/initialized → tools/call; returns the tools/call response."""
    init = post(client, url, {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": protocol_version, "capabilities": {},
                   "clientInfo": {"name": "raw-test", "version": "1"}},
    }, **headers)
    assert init.status_code == 200, init.text
    (init_message,) = parse_body(init)
    assert init_message["result"]["protocolVersion"] == protocol_version
    initialized = post(client, url, {"jsonrpc": "2.0", "method": "notifications/initialized"},
                       protocol_version, **headers)
    assert initialized.status_code == 202, initialized.text
    call = post(client, url, {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                              "params": {"name": tool, "arguments": arguments}},
                protocol_version, **headers)
    assert call.status_code == 200, call.text
    return next(m for m in parse_body(call) if m.get("id") == 2)
