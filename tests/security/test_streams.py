"""Standalone `GET /mcp` streams over real HTTP: caps per client and in total, idle timeout."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator

import httpx2

from app.asgi import create_app
from tests.security.helpers import INITIALIZE, MCP_HEADERS, make_settings
from tests.support.servers import serve

KEY_A = "streams-key-a-0123456789"
KEY_B = "streams-key-b-0123456789"
STREAM_HEADERS = {"Accept": "text/event-stream", "Mcp-Protocol-Version": "2025-06-18"}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@contextlib.contextmanager
def open_streams(http: httpx2.Client, url: str, key: str,
                 count: int) -> Iterator[list[httpx2.Response]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(http.stream("GET", f"{url}/mcp",
                                               headers={**STREAM_HEADERS, **auth(key)}))
               for _ in range(count)]


def initialize_status(http: httpx2.Client, url: str, key: str) -> int:
    return http.post(f"{url}/mcp", content=json.dumps(INITIALIZE),
                     headers={**MCP_HEADERS, **auth(key)}).status_code


def test_streams_over_the_caps_are_refused_while_others_are_answered() -> None:
    settings = make_settings(tab_mcp_api_keys=f"{KEY_A},{KEY_B}", tab_mcp_max_streams=5,
                             tab_mcp_max_streams_per_client=4, tab_mcp_rate_limit=0)
    limits = httpx2.Limits(max_connections=50)
    with serve(create_app(settings)) as url, httpx2.Client(timeout=10, limits=limits) as http:
        with open_streams(http, url, KEY_A, 4) as streams:
            assert [stream.status_code for stream in streams] == [200] * len(streams)
            over_client = http.get(f"{url}/mcp", headers={**STREAM_HEADERS, **auth(KEY_A)})
            assert over_client.status_code == 429
            assert int(over_client.headers["retry-after"]) >= 1
            assert "at most 4 per client" in over_client.json()["error"]["message"]
            with open_streams(http, url, KEY_B, 1) as (other,):
                assert other.status_code == 200
                over_total = http.get(f"{url}/mcp", headers={**STREAM_HEADERS, **auth(KEY_B)})
                assert over_total.status_code == 429
                assert initialize_status(http, url, KEY_B) == 200
        # closed streams free their places once the server sees the disconnects
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open_streams(http, url, KEY_A, 4) as streams:
                if [stream.status_code for stream in streams] == [200] * 4:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError("closed streams kept their places")


def test_an_idle_stream_is_ended_and_its_place_freed() -> None:
    settings = make_settings(tab_mcp_max_streams_per_client=1, tab_mcp_stream_idle_timeout=1.0,
                             tab_mcp_rate_limit=0)
    with serve(create_app(settings)) as url, httpx2.Client(timeout=10) as http:
        started = time.monotonic()
        with http.stream("GET", f"{url}/mcp", headers=STREAM_HEADERS) as stream:
            assert stream.status_code == 200
            stream.read()  # returns once the server ends the stream
        assert 0.9 <= time.monotonic() - started < 5
        with http.stream("GET", f"{url}/mcp", headers=STREAM_HEADERS) as again:
            assert again.status_code == 200
