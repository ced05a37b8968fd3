"""Command line: `python -m app` / `tab-mcp` — serve the MCP endpoint under uvicorn."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.config import Settings, SettingsError
from app.security.startup import startup_refusal
from app.serving import ServeSpec


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The CLI's options; each overrides the matching environment variable."""
    parser = argparse.ArgumentParser(
        prog="tab-mcp", description="Remote MCP server for Tabcorp racing and sports data."
    )
    parser.add_argument("--sandbox", action="store_true",
                        help="serve simulated data from the built-in offline Tabcorp sandbox")
    parser.add_argument("--host", help="bind address (default 127.0.0.1; env HOST)")
    parser.add_argument("--port", type=int, help="port (default $PORT, else 8081)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="worker processes sharing the port (default $WEB_CONCURRENCY, else 1)")
    parser.add_argument("--log-level", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        type=str.upper, help="env TAB_MCP_LOG_LEVEL")
    parser.add_argument("--log-format", choices=["auto", "json", "console"],
                        help="env TAB_MCP_LOG_FORMAT (auto: console on a TTY, else JSON)")
    return parser.parse_args(argv)


def serve_spec(args: argparse.Namespace) -> ServeSpec:
    """The command line's overrides of the environment settings, and `--sandbox`."""
    overrides: dict[str, Any] = {
        key: value for key, value in {
            "host": args.host, "port": args.port, "web_concurrency": args.workers,
            "tab_mcp_log_level": args.log_level, "tab_mcp_log_format": args.log_format,
        }.items() if value is not None
    }
    return ServeSpec(overrides, sandbox=args.sandbox)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Environment settings with the command line's overrides (and the sandbox wiring)."""
    return serve_spec(args).settings()


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m app` and the `tab-mcp` console script."""
    args = parse_args(argv)
    spec = serve_spec(args)
    try:
        settings = spec.settings()
    except SettingsError as exc:
        print(f"tab-mcp: {exc}", file=sys.stderr)
        return 2
    from app.workers import workers_refusal

    refusal = startup_refusal(settings) or workers_refusal(settings, sandbox=args.sandbox)
    if refusal:
        print(f"tab-mcp: {refusal}", file=sys.stderr)
        return 2

    from app.serving import configure_process_logging, draining_server, log_startup

    if settings.web_concurrency > 1:
        from app.workers import Supervisor

        configure_process_logging(settings)
        log_startup(settings, workers=settings.web_concurrency)
        return Supervisor(spec, settings).run()
    # The first SIGTERM/Ctrl-C drains the calls in flight (up to the graceful timeout).
    server = draining_server(settings)
    log_startup(settings)
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
