"""One serving process: the app, its logging and the uvicorn server that drains it on SIGTERM.

The single-process server and every worker of `--workers N` are built here, the same way.
"""

from __future__ import annotations

import gc
import socket
from dataclasses import dataclass, field
from typing import Any

import structlog
import uvicorn

from app.config import Settings
from app.drain import DrainingServer
from app.security.connections import uvicorn_connection_options
from app.security.startup import startup_warnings
from app.wiring import wired_settings


@dataclass(frozen=True)
class ServeSpec:
    """What the command line asked for, in a form that reaches a worker process (it is
    pickled): the settings overrides and `--sandbox`. Each process rebuilds its settings from
    the environment plus these, exactly as the command line did."""

    overrides: dict[str, Any] = field(default_factory=dict)
    sandbox: bool = False

    def settings(self) -> Settings:
        """The environment's settings with the command line's overrides."""
        return wired_settings(sandbox=self.sandbox, **self.overrides)


def log_startup(settings: Settings, workers: int = 1) -> None:
    """The start-up warnings and the one line telling where the server is."""
    from app.landing import startup_line

    for warning in startup_warnings(settings):
        structlog.get_logger("app.security").warning(warning)
    line = startup_line(settings)
    if workers > 1:
        line += f" | workers: {workers}"
    structlog.get_logger("app").info(line)


def configure_process_logging(settings: Settings) -> None:
    """This process's logging pipeline, redacting the configured secrets."""
    from app.observability.logging import configure_logging

    configure_logging(settings.tab_mcp_log_level, settings.tab_mcp_log_format,
                      secrets=settings.secret_values())


def draining_server(settings: Settings) -> DrainingServer:
    """A fresh app for `settings` under uvicorn, its first SIGTERM/Ctrl-C draining the calls in
    flight (up to the graceful timeout); logging is configured for this process."""
    from app.asgi import create_app

    app = create_app(settings)
    # After the MCPServer exists: it installs a root handler that this replaces.
    configure_process_logging(settings)
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=True,
        **uvicorn_connection_options(settings),
        # An open SSE stream must not hold SIGTERM forever.
        timeout_graceful_shutdown=settings.tab_mcp_graceful_timeout,
        server_header=False,
    )
    # The app, its tools and schemas live as long as the process: keep the cyclic garbage
    # collector from walking them again in every full collection while serving.
    gc.freeze()
    return DrainingServer(config, app.state.drain, settings.tab_mcp_graceful_timeout)


def run_worker(spec: ServeSpec, sockets: list[socket.socket]) -> None:
    """A worker process's whole life: build its own app and serve the shared `sockets`."""
    draining_server(spec.settings()).run(sockets=sockets)
