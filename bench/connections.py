"""Hostile connections against a real `python -m app` on loopback: what they cost and how long
they last.

1. Slowloris: 500 connections each sending half a request's headers; prints how many are still
   open after 1 s and after the header timeout, and whether `/health` kept answering.
2. Stream flood: 1,000 standalone `GET /mcp` streams (the per-client and total caps raised so
   all are accepted), twice; prints the server's RSS before, with all open, and after the idle
   timeout has ended them. The allocator keeps freed memory for reuse, so the second round shows
   whether anything was kept: RSS after it stays at the first round's.

    python -m bench.connections
"""

from __future__ import annotations

import socket
import time

import httpx2

from bench.procs import Proc, processes

SLOW = 500
STREAMS = 1000
HEADER_TIMEOUT = 3.0
IDLE_TIMEOUT = 5.0
KEEPALIVE_TIMEOUT = 5.0  # the default: an ended stream's connection closes after it


def _port(proc: Proc) -> int:
    return int(proc.url.rsplit(":", 1)[1])


def _open(port: int, count: int, request: bytes) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(request)
        sockets.append(sock)
    return sockets


def _still_open(sockets: list[socket.socket]) -> int:
    """How many of `sockets` the server has not closed (reads what was sent, looks for EOF)."""
    open_count = 0
    for sock in sockets:
        sock.setblocking(False)
        try:
            while sock.recv(65536):
                pass
        except BlockingIOError:
            open_count += 1
        except ConnectionError:
            pass
        finally:
            sock.setblocking(True)
    return open_count


def slowloris(proc: Proc) -> None:
    """Half-sent headers on `SLOW` connections."""
    sockets = _open(_port(proc), SLOW, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
    try:
        time.sleep(1)
        health = httpx2.get(f"{proc.url}/health", timeout=5).status_code
        print(f"slowloris: {_still_open(sockets)}/{SLOW} open after 1 s; /health {health}")
        time.sleep(HEADER_TIMEOUT + 1)
        print(f"slowloris: {_still_open(sockets)}/{SLOW} open after {HEADER_TIMEOUT + 1:.0f} s "
              f"(header timeout {HEADER_TIMEOUT:.0f} s)")
    finally:
        for sock in sockets:
            sock.close()


def stream_flood(proc: Proc) -> None:
    """`STREAMS` standalone streams, then the idle timeout ends them."""
    before = proc.rss_kib()
    request = (b"GET /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
               b"Mcp-Protocol-Version: 2025-06-18\r\n\r\n")
    sockets = _open(_port(proc), STREAMS, request)
    try:
        time.sleep(2)
        during = proc.rss_kib()
        started = time.monotonic()
        health = httpx2.get(f"{proc.url}/health", timeout=60).status_code
        health_s = time.monotonic() - started
        time.sleep(IDLE_TIMEOUT + KEEPALIVE_TIMEOUT + 5)
        after = proc.rss_kib()
        print(f"stream flood: RSS {before / 1024:.0f} MB before, {during / 1024:.0f} MB with "
              f"{STREAMS} streams (/health {health} in {health_s:.1f} s), "
              f"{after / 1024:.0f} MB after the {IDLE_TIMEOUT:.0f} s idle timeout; "
              f"{_still_open(sockets)} still open")
    finally:
        for sock in sockets:
            sock.close()


def main() -> None:
    """Run both floods against one server."""
    with processes() as procs:
        sandbox = procs.sandbox()
        server = procs.ours(
            sandbox, TAB_MCP_HEADER_TIMEOUT=str(HEADER_TIMEOUT),
            TAB_MCP_STREAM_IDLE_TIMEOUT=str(IDLE_TIMEOUT),
            TAB_MCP_MAX_CONNECTIONS=str(STREAMS + 100),
            TAB_MCP_MAX_CONNECTIONS_PER_CLIENT=str(STREAMS + 100),
            TAB_MCP_MAX_STREAMS=str(STREAMS), TAB_MCP_MAX_STREAMS_PER_CLIENT=str(STREAMS))
        slowloris(server)
        # Twice: the second round reuses what the first freed, so RSS stays where it was.
        stream_flood(server)
        stream_flood(server)


if __name__ == "__main__":
    main()
