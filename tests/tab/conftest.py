"""Fixtures for the upstream client: a sandbox reached over a real socket or in-process.

`Sandbox` wraps one sandbox app in a recorder (every request's path, query, headers, arrival
time; every issued token, so tests can look for them in logs), offers the admin routes as
async helpers and builds `TabClient`s pointed at it, closing them after the test.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.domain.credentials import Credentials
from app.sandbox.embedded import SANDBOX_BASE_URL, SandboxTransport
from app.sandbox.options import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PASSWORD,
    DEFAULT_USERNAME,
    SandboxOptions,
)
from app.sandbox.server import create_sandbox_app
from app.tab.client import TabClient
from tests.support.servers import serve

SERVICE_ROOT = "/v1/tab-info-service"
MODES = ("anonymous", "client_credentials", "password")


@dataclass(frozen=True)
class Seen:
    """One request as it arrived at the sandbox."""

    path: str
    raw_path: bytes
    query: str
    headers: dict[str, str]
    at: float


@dataclass
class Recorder:
    """An ASGI wrapper that records requests and the tokens the token endpoint issues."""

    app: ASGIApp
    requests: list[Seen] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.requests.append(Seen(scope["path"], scope.get("raw_path") or b"",
                                  scope["query_string"].decode("latin-1"), headers,
                                  time.monotonic()))
        if scope["path"] != "/oauth/token":
            await self.app(scope, receive, send)
            return
        body: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        with contextlib.suppress(ValueError):
            document = json.loads(b"".join(body))
            self.issued.extend(str(document[k]) for k in ("access_token", "refresh_token")
                               if k in document)

    def data_requests(self) -> list[Seen]:
        """Requests to the info service (not the token endpoint)."""
        return [seen for seen in self.requests if seen.path.startswith(SERVICE_ROOT)]

    def clear(self) -> None:
        self.requests.clear()
        self.issued.clear()


class Sandbox:
    """A sandbox under test: admin helpers and client factory."""

    def __init__(self, kind: str, base_url: str, recorder: Recorder,
                 transport: httpx2.AsyncBaseTransport | None) -> None:
        self.kind = kind
        self.base_url = base_url
        self.recorder = recorder
        self.transport = transport
        self._clients: list[TabClient] = []
        self._admin = httpx2.AsyncClient(base_url=base_url + "/_sandbox", transport=transport,
                                         timeout=10)

    async def admin(self, method: str, path: str, body: Any = None) -> Any:
        """Call an admin route; returns its JSON answer."""
        response = await self._admin.request(method, path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    async def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = await self.admin("GET", "/stats")
        return result

    async def token_requests(self) -> dict[str, int]:
        result: dict[str, int] = (await self.stats())["token_requests"]
        return result

    async def requests_for(self, path: str) -> int:
        count: int = (await self.stats())["requests"].get(path, 0)
        return count

    async def faults(self, *rules: dict[str, Any]) -> None:
        await self.admin("PUT", "/faults", list(rules))

    async def override(self, path: str, body: Any, status: int = 200,
                       content_type: str = "application/json") -> None:
        await self.admin("PUT", "/overrides", {"path": path, "status": status, "body": body,
                                               "content_type": content_type})

    def settings(self, mode: str = "anonymous", **overrides: Any) -> Settings:
        values: dict[str, Any] = {"tab_base_url": self.base_url}
        if mode in ("client_credentials", "password"):
            values.update(tab_client_id=DEFAULT_CLIENT_ID, tab_client_secret=DEFAULT_CLIENT_SECRET)
        if mode == "password":
            values.update(tab_username=DEFAULT_USERNAME, tab_password=DEFAULT_PASSWORD)
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    def client(self, mode: str = "anonymous", *, credentials: Credentials | None = None,
               client_options: dict[str, Any] | None = None, **overrides: Any) -> TabClient:
        """A `TabClient` on this sandbox (closed after the test)."""
        client = TabClient(self.settings(mode, **overrides), transport=self.transport,
                           credentials=credentials, **(client_options or {}))
        self._clients.append(client)
        return client

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()
        await self._admin.aclose()


def _asgi_sandbox(options: SandboxOptions | None = None) -> Sandbox:
    recorder = Recorder(create_sandbox_app(options))
    return Sandbox("asgi", SANDBOX_BASE_URL, recorder, SandboxTransport(recorder))


@pytest.fixture(scope="session")
def _socket_server() -> Iterator[tuple[str, Recorder]]:
    recorder = Recorder(create_sandbox_app())
    with serve(recorder, lifespan="off", access_log=False) as base_url:
        yield base_url, recorder


@pytest.fixture
async def socket_sandbox(_socket_server: tuple[str, Recorder]) -> AsyncIterator[Sandbox]:
    """The shared real-socket sandbox, reset (tokens, stats, faults, overrides, clock)."""
    base_url, recorder = _socket_server
    sandbox = Sandbox("socket", base_url, recorder, None)
    await _reset(sandbox)
    yield sandbox
    await sandbox.aclose()


@pytest.fixture
async def asgi_sandbox() -> AsyncIterator[Sandbox]:
    """A fresh in-process sandbox reached through `httpx2.ASGITransport`."""
    sandbox = _asgi_sandbox()
    yield sandbox
    await sandbox.aclose()


@pytest.fixture(params=["socket", "asgi"])
async def sandbox(request: pytest.FixtureRequest,
                  _socket_server: tuple[str, Recorder]) -> AsyncIterator[Sandbox]:
    """Each test runs twice: over a real socket and in-process."""
    if request.param == "asgi":
        made = _asgi_sandbox()
    else:
        base_url, recorder = _socket_server
        made = Sandbox("socket", base_url, recorder, None)
        await _reset(made)
    yield made
    await made.aclose()


@pytest.fixture
async def start_socket_sandbox() -> AsyncIterator[Any]:
    """`start(options) -> Sandbox`: a private real-socket sandbox with custom options."""
    started: list[Sandbox] = []
    with contextlib.ExitStack() as stack:

        def start(options: SandboxOptions) -> Sandbox:
            recorder = Recorder(create_sandbox_app(options))
            base_url = stack.enter_context(serve(recorder, lifespan="off", access_log=False))
            started.append(Sandbox("socket", base_url, recorder, None))
            return started[-1]

        yield start
        for sandbox in started:
            await sandbox.aclose()


async def _reset(sandbox: Sandbox) -> None:
    await sandbox.admin("POST", "/reset")
    await sandbox.admin("POST", "/clock", {"set": datetime.now(UTC).isoformat()})
    sandbox.recorder.clear()
