"""The official MCP client over Streamable HTTP with extra request headers (an API key, ...)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client


@contextlib.asynccontextmanager
async def mcp_client(url: str, *, api_key: str | None = None,
                     headers: dict[str, str] | None = None,
                     http_timeout: float = 30) -> AsyncIterator[Client]:
    """`mcp.Client` connected to `url`, sending `Authorization: Bearer <api_key>` and `headers`
    on every request."""
    all_headers = dict(headers or {})
    if api_key is not None:
        all_headers["Authorization"] = f"Bearer {api_key}"
    async with httpx2.AsyncClient(headers=all_headers,
                                  timeout=httpx2.Timeout(http_timeout)) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            yield client
