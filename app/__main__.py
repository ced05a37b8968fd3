"""Command line: `python -m app` / `tab-mcp` — serve the MCP endpoint under uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import uvicorn

from app.config import Settings, SettingsError
from app.security.connections import uvicorn_connection_options
from app.security.startup import startup_refusal, startup_warnings
from app.wiring import wired_settings


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The CLI's options; each overrides the matching environment variable."""
    parser = argparse.ArgumentParser(
        prog="tab-mcp", description="Remote MCP server for Tabcorp racing and sports data."
    )
    parser.add_argument("--sandbox", action="store_true",
                        help="serve simulated data from the built-in offline Tabcorp sandbox")
    parser.add_argument("--host", help="bind address (default 127.0.0.1; env HOST)")
    parser.add_argument("--port", type=int, help="port (default $PORT, else 8081)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        type=str.upper, help="env TAB_MCP_LOG_LEVEL")
    parser.add_argument("--log-format", choices=["auto", "json", "console"],
                        help="env TAB_MCP_LOG_FORMAT (auto: console on a TTY, else JSON)")
    return parser.parse_args(argv)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Environment settings with the command line's overrides (and the sandbox wiring)."""
    overrides: dict[str, Any] = {
        key: value for key, value in {
            "host": args.host, "port": args.port,
            "tab_mcp_log_level": args.log_level, "tab_mcp_log_format": args.log_format,
        }.items() if value is not None
    }
    return wired_settings(sandbox=args.sandbox, **overrides)


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m app` and the `tab-mcp` console script."""
    args = parse_args(argv)
    try:
        settings = settings_from_args(args)
    except SettingsError as exc:
        print(f"tab-mcp: {exc}", file=sys.stderr)
        return 2
    refusal = startup_refusal(settings)
    if refusal:
        print(f"tab-mcp: {refusal}", file=sys.stderr)
        return 2

    import structlog

    from app.asgi import create_app
    from app.drain import DrainingServer
    from app.landing import startup_line
    from app.observability.logging import configure_logging

    app = create_app(settings)
    # After the MCPServer exists: it installs a root handler that this replaces.
    configure_logging(settings.tab_mcp_log_level, settings.tab_mcp_log_format,
                      secrets=settings.secret_values())
    for warning in startup_warnings(settings):
        structlog.get_logger("app.security").warning(warning)
    structlog.get_logger("app").info(startup_line(settings))
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
    # The first SIGTERM/Ctrl-C drains the calls in flight (up to the graceful timeout).
    DrainingServer(config, app.state.drain, settings.tab_mcp_graceful_timeout).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
