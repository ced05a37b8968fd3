"""Fixtures: a real sandbox under uvicorn on a free loopback port.

`sandbox_server` gives a sandbox with default options, shared by the whole session but reset
before each test (tokens, stats, faults, overrides, credentials, edge settings, clock offset);
do not mutate its `options`. `sandbox_factory(options)` starts a private sandbox with custom
options that stops at the end of the test.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from starlette.applications import Starlette

from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from app.sandbox.state import SandboxState
from tests.support.servers import serve


@dataclass(frozen=True)
class SandboxServer:
    """A running sandbox: where it listens and the objects behind it."""

    base_url: str  # http://127.0.0.1:PORT
    options: SandboxOptions
    app: Starlette

    @property
    def info_url(self) -> str:
        """The info-service root, like https://api.beta.tab.com.au/v1/tab-info-service."""
        return self.base_url + SERVICE_ROOT

    @property
    def token_url(self) -> str:
        """The OAuth token endpoint."""
        return self.base_url + "/oauth/token"

    @property
    def state(self) -> SandboxState:
        """The live sandbox state (tokens, stats, faults, ...)."""
        state: SandboxState = self.app.state.sandbox
        return state


SandboxFactory = Callable[..., SandboxServer]


@pytest.fixture
def sandbox_factory() -> Iterator[SandboxFactory]:
    """`start(options=None) -> SandboxServer`; every sandbox started stops after the test."""
    with contextlib.ExitStack() as stack:

        def start(options: SandboxOptions | None = None) -> SandboxServer:
            return _start(stack, options)

        yield start


def _start(stack: contextlib.ExitStack, options: SandboxOptions | None) -> SandboxServer:
    options = options or SandboxOptions()
    app = create_sandbox_app(options)
    base_url = stack.enter_context(serve(app, lifespan="off", access_log=False))
    return SandboxServer(base_url, options, app)


@pytest.fixture(scope="session")
def _shared_sandbox() -> Iterator[SandboxServer]:
    with contextlib.ExitStack() as stack:
        yield _start(stack, None)


@pytest.fixture
def sandbox_server(_shared_sandbox: SandboxServer) -> SandboxServer:
    """A running sandbox with default options (real-time clock, no faults, no edge), reset."""
    _shared_sandbox.state.reset()
    _shared_sandbox.options.clock.set(datetime.now(UTC))
    return _shared_sandbox
