"""The whole stack over real sockets: a sandbox server, and tab-mcp pointed at it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
from mcp import Client

from app.asgi import create_app
from app.config import Settings, load_settings
from app.sandbox.embedded import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from app.sandbox.state import SandboxState
from tests.support.servers import serve


@dataclass
class Stack:
    """A running sandbox and a running tab-mcp that reads from it."""

    url: str  # tab-mcp base URL
    sandbox_url: str
    sandbox: SandboxState
    settings: Settings

    @property
    def mcp_url(self) -> str:
        return f"{self.url}/mcp"

    async def call(self, tool: str, **arguments: Any) -> Any:
        """Call `tool` with the SDK client; assert success; return its structured content."""
        async with Client(self.mcp_url) as client:
            result = await client.call_tool(tool, arguments)
        assert not result.is_error, result.content
        return result.structured_content

    async def call_error(self, tool: str, **arguments: Any) -> str:
        """Call `tool` expecting a tool error; return its text (asserted traceback-free)."""
        async with Client(self.mcp_url) as client:
            result = await client.call_tool(tool, arguments)
        assert result.is_error, (tool, arguments, result.structured_content)
        text: str = result.content[0].text  # type: ignore[union-attr]
        assert "Traceback" not in text and 'File "' not in text, text
        return text

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call a sandbox admin route (e.g. `("PUT", "/_sandbox/overrides", {...})`)."""
        with httpx2.Client(base_url=self.sandbox_url, timeout=10) as client:
            response = client.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def upstream(self, path: str, **params: Any) -> Any:
        """GET an info-service path straight from the sandbox (what tab-mcp should reflect)."""
        with httpx2.Client(base_url=self.sandbox_url + SERVICE_ROOT, timeout=10) as client:
            response = client.get(path, params={"jurisdiction": "NSW", **params})
        response.raise_for_status()
        return response.json()

    def upstream_requests(self) -> int:
        """How many requests the sandbox has served (admin routes excluded)."""
        return int(self.admin("GET", "/_sandbox/stats")["requests_total"])


@contextlib.contextmanager
def running_stack(options: SandboxOptions | None = None,
                  wrap: Callable[[Any], Any] | None = None, **overrides: Any) -> Iterator[Stack]:
    """Start a sandbox and tab-mcp (client-credentials against the sandbox); `overrides` go to
    the settings (e.g. `tab_mcp_toolsets="racing,raw"`; `None` drops a default, so a
    `*_FILE` variable in the environment can supply it). `wrap`, if given, wraps tab-mcp's ASGI
    app (to serve test pages beside it)."""
    sandbox_app = create_sandbox_app(options)
    with serve(sandbox_app) as sandbox_url:
        values = {"tab_base_url": sandbox_url, "tab_client_id": SANDBOX_CLIENT_ID,
                  "tab_client_secret": SANDBOX_CLIENT_SECRET, "tab_sandbox": True, **overrides}
        settings = load_settings(**{k: v for k, v in values.items() if v is not None})
        app = create_app(settings)
        with serve(wrap(app) if wrap else app) as url:
            yield Stack(url=url, sandbox_url=sandbox_url, sandbox=sandbox_app.state.sandbox,
                        settings=settings)
