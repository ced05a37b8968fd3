"""`python -m app.sandbox`: run the offline Tabcorp imitation under uvicorn."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn

from app.sandbox.clock import Clock
from app.sandbox.options import FaultConfig, SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m app.sandbox",
        description="Offline imitation of the Tabcorp API (generated data, not real).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8765, help="port to bind (default 8765)")
    parser.add_argument("--seed", type=int, default=2026, help="seed of the generated world")
    parser.add_argument("--latency-ms", type=float, default=0, help="added latency per request")
    parser.add_argument(
        "--fault-rate",
        type=float,
        default=0,
        help="share of info requests answered 500/502/503 (0..1)",
    )
    parser.add_argument(
        "--edge-protection",
        action="store_true",
        help="reset bursts and clients without browser-like headers, like the real CDN",
    )
    parser.add_argument("--expires-in", type=int, default=10800, help="token lifetime (s)")
    return parser.parse_args(argv)


def options_from_args(args: argparse.Namespace) -> SandboxOptions:
    """Sandbox options for the parsed command line."""
    faults = []
    if args.latency_ms or args.fault_rate:
        faults.append(FaultConfig.from_dict(
            {"latency_ms": args.latency_ms, "error_rate": args.fault_rate}))
    return SandboxOptions(
        seed=args.seed,
        clock=Clock(),
        expires_in=args.expires_in,
        faults=faults,
        edge_protection=args.edge_protection,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Run the sandbox until interrupted."""
    args = parse_args(argv)
    if args.expires_in <= 0:
        raise SystemExit("error: --expires-in must be a positive number of seconds")
    try:
        options = options_from_args(args)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from exc
    host = f"[{args.host}]" if ":" in args.host else args.host
    base = f"http://{host}:{args.port}"
    client_id, client_secret = next(iter(options.clients.items()))
    username, password = next(iter(options.accounts.items()))
    # These are the sandbox's own published credentials, not secrets of any real service.
    print(f"Tabcorp sandbox (generated data, not real) at {base}")
    print(f"  info service:   {base}{SERVICE_ROOT}")
    print(f"  token endpoint: {base}/oauth/token")
    print(f"  admin routes:   {base}/_sandbox/stats, /_sandbox/faults, ...")
    print(f"  sandbox-only credentials: client_id={client_id} client_secret={client_secret}")
    print(f"  sandbox-only account:     username={username} password={password}")
    uvicorn.run(create_sandbox_app(options), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
