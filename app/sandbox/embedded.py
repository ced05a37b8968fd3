"""Running the sandbox in-process: its well-known address, credentials and an httpx2 transport."""

from __future__ import annotations

from typing import Any

import httpx2

from app.sandbox.options import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    SandboxOptions,
)
from app.sandbox.server import create_sandbox_app

# Never contacted (the in-process transport answers); a loopback literal, so it is plainly local
# without any name resolution, on a port nothing listens on.
SANDBOX_BASE_URL = "http://127.0.0.1:1"
SANDBOX_TOKEN_URL = SANDBOX_BASE_URL + "/oauth/token"
# Sandbox-only credentials, public on purpose: they open nothing but the offline imitation.
SANDBOX_CLIENT_ID = DEFAULT_CLIENT_ID
SANDBOX_CLIENT_SECRET = DEFAULT_CLIENT_SECRET
SANDBOX_USERNAME = DEFAULT_USERNAME
SANDBOX_PASSWORD = DEFAULT_PASSWORD


class SandboxTransport(httpx2.ASGITransport):
    """An ASGI transport into a sandbox that reports dropped connections as `httpx2.ReadError`.

    Over a real socket a drop is a TCP reset; in-process the sandbox raises
    `ConnectionResetError`, which this turns into the error a network client would see.
    """

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send `request` into the app."""
        try:
            return await super().handle_async_request(request)
        except ConnectionError as exc:
            raise httpx2.ReadError(str(exc), request=request) from exc


def sandbox_settings_overrides() -> dict[str, Any]:
    """`Settings` values that point the server at the embedded sandbox (client credentials)."""
    return {
        "tab_sandbox": True,
        "tab_base_url": SANDBOX_BASE_URL,
        "tab_token_url": SANDBOX_TOKEN_URL,
        "tab_client_id": SANDBOX_CLIENT_ID,
        "tab_client_secret": SANDBOX_CLIENT_SECRET,
    }


def sandbox_transport(options: SandboxOptions | None = None) -> httpx2.ASGITransport:
    """A transport that answers from a fresh in-process sandbox (see `SANDBOX_BASE_URL`).

    The sandbox's state is reachable as `transport.app.state.sandbox`.
    """
    return SandboxTransport(create_sandbox_app(options))
