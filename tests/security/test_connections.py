"""Connection limits and read deadlines over real sockets to a real server on loopback."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from app.asgi import create_app
from app.security.connections import uvicorn_connection_options
from tests.security.helpers import make_settings
from tests.support.servers import serve

SLOW_CLIENTS = 200


@contextlib.contextmanager
def guarded_server(**values: Any) -> Iterator[tuple[str, int]]:
    settings = make_settings(**values)
    with serve(create_app(settings), **uvicorn_connection_options(settings)) as url:
        yield url, int(url.rsplit(":", 1)[1])


def open_socket(port: int, first_bytes: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if first_bytes:
        sock.sendall(first_bytes)
    return sock


def closed_by_server(sock: socket.socket, within: float) -> bool:
    """True when the server closes `sock` (EOF or reset) within `within` seconds."""
    sock.settimeout(within)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return True


def test_slow_headers_are_cut_off_and_others_are_still_answered() -> None:
    with guarded_server(tab_mcp_header_timeout=1.0, tab_mcp_max_connections=1000,
                        tab_mcp_max_connections_per_client=1000) as (url, port):
        slow = [open_socket(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
                for _ in range(SLOW_CLIENTS)]
        try:
            assert httpx2.get(f"{url}/health", timeout=5).status_code == 200
            started = time.monotonic()
            assert all(closed_by_server(sock, within=5) for sock in slow)
            assert time.monotonic() - started < 4
            assert httpx2.get(f"{url}/health", timeout=5).status_code == 200
        finally:
            for sock in slow:
                sock.close()


def test_a_slow_body_is_cut_off() -> None:
    with guarded_server(tab_mcp_body_timeout=1.0) as (_, port):
        sock = open_socket(port, b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 b"Content-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
        with sock:
            assert closed_by_server(sock, within=5)


def test_a_slow_request_on_a_kept_alive_connection_is_cut_off() -> None:
    with guarded_server(tab_mcp_header_timeout=1.0, tab_mcp_keepalive_timeout=30) as (_, port):
        with open_socket(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") as sock:
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
            sock.sendall(b"GET /health HTTP/1.1\r\n")
            assert closed_by_server(sock, within=5)


def test_an_idle_kept_alive_connection_is_closed() -> None:
    with guarded_server(tab_mcp_keepalive_timeout=1.0) as (_, port):
        with open_socket(port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") as sock:
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")
            assert closed_by_server(sock, within=5)


@pytest.mark.parametrize(("per_client", "total"), [(3, 100), (100, 3)])
def test_connections_over_the_cap_are_refused_and_freed_on_close(per_client: int,
                                                                 total: int) -> None:
    with guarded_server(tab_mcp_max_connections_per_client=per_client,
                        tab_mcp_max_connections=total) as (url, port):
        held = [open_socket(port) for _ in range(3)]
        time.sleep(0.3)  # let the server accept them
        extra = open_socket(port)
        assert closed_by_server(extra, within=3)
        extra.close()
        for sock in held:
            sock.close()
        time.sleep(0.3)
        assert httpx2.get(f"{url}/health", timeout=5).status_code == 200


def test_forwarded_headers_are_ignored_without_configured_proxies() -> None:
    seen: list[Any] = []

    async def echo_client(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(scope["client"][0])
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

    forwarded = {"X-Forwarded-For": "203.0.113.9"}
    for values, expected in (({}, "127.0.0.1"),
                             ({"tab_mcp_trusted_proxies": "127.0.0.1"}, "203.0.113.9")):
        settings = make_settings(**values)
        with serve(echo_client, lifespan="off", **uvicorn_connection_options(settings)) as url:
            httpx2.get(f"{url}/", headers=forwarded, timeout=5)
        assert seen.pop() == expected


@pytest.mark.parametrize("chunks", [1, 64], ids=["one-read", "trickled"])
def test_headers_over_the_cap_get_400_and_the_connection_is_closed(chunks: int) -> None:
    head = (b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"".join(b"X-Filler-%d: %s\r\n" % (index, b"a" * 1000) for index in range(20)))
    with guarded_server() as (url, port), open_socket(port) as sock:
        step = -(-len(head) // chunks)
        with contextlib.suppress(ConnectionError):  # the server may cut it before the end
            for start in range(0, len(head), step):
                sock.sendall(head[start:start + step])
                time.sleep(0.005 if chunks > 1 else 0)
        assert sock.recv(4096).startswith(b"HTTP/1.1 400")
        assert closed_by_server(sock, within=5)
        assert httpx2.get(f"{url}/health", timeout=5).status_code == 200


def test_headers_under_the_cap_are_served_on_a_kept_alive_connection() -> None:
    filler = b"".join(b"X-Filler-%d: %s\r\n" % (index, b"a" * 1000) for index in range(12))
    request = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + filler + b"\r\n"
    with guarded_server() as (_, port), open_socket(port) as sock:
        for _ in range(3):
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
