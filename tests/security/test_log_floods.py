"""Log floods: identical failures are written once per interval; no URL query reaches a line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx2
import pytest
import structlog

from app.asgi import create_app
from app.observability.log_dedup import RepeatedLineFilter
from app.observability.logging import configure_logging
from tests.security.helpers import make_settings
from tests.support.clock import FakeClock
from tests.support.servers import serve


@pytest.fixture
def logs() -> Iterator[tuple[io.StringIO, FakeClock]]:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    clock = FakeClock(1000.0)
    for handler in logging.getLogger().handlers:
        for log_filter in handler.filters:
            if isinstance(log_filter, RepeatedLineFilter):
                log_filter.clock = clock
    yield stream, clock
    configure_logging("WARNING", "json")


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def fail() -> None:
    raise ValueError("upstream body is not JSON")


def test_identical_errors_are_written_once_per_interval_with_a_count(
        logs: tuple[io.StringIO, FakeClock]) -> None:
    stream, clock = logs
    log = structlog.get_logger("app.tools")
    for _ in range(100):
        try:
            fail()
        except ValueError:
            log.exception("tool failed", tool="race_card")
        logging.getLogger("authlib").error("token request failed for %s", "client")
    log.error("tool failed", tool="market_movers")  # different: written
    logging.getLogger("app").info("routine line")  # below WARNING: never held back
    logging.getLogger("app").info("routine line")
    written = lines(stream)
    assert [line["event"] for line in written].count("tool failed") == 2
    assert sum("token request failed" in str(line["event"]) for line in written) == 1
    assert [line["event"] for line in written].count("routine line") == 2
    clock.now += 61
    log.error("tool failed", tool="market_movers")
    assert lines(stream)[-1]["tool"] == "market_movers"
    assert "repeated" not in lines(stream)[-1]  # none was held back
    try:
        fail()
    except ValueError:
        log.exception("tool failed", tool="race_card")
    assert lines(stream)[-1]["repeated"] == 99


def test_the_table_of_recent_lines_is_bounded() -> None:
    line_filter = RepeatedLineFilter(max_lines=10)
    for n in range(1000):
        record = logging.LogRecord("app", logging.ERROR, __file__, 1, f"failure {n}", None, None)
        assert line_filter.filter(record)
    assert len(line_filter._seen) == 10


def test_upstream_urls_are_logged_without_their_query(logs: tuple[io.StringIO, FakeClock]) -> None:
    stream, _ = logs
    with serve(create_app(make_settings())) as url:
        httpx2.get(f"{url}/health?trace_token=QueryCanary-8d1e&x=1", timeout=10)
    text = stream.getvalue()
    assert "HTTP Request: GET" in text and "/health" in text
    assert "QueryCanary-8d1e" not in text and "trace_token" not in text
