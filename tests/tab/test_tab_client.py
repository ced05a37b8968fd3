"""TabClient against the sandbox: caching, retries, error mapping, breaker, request shape."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.observability.metrics import REGISTRY
from app.tab import paths
from app.tab.breaker import CircuitBreaker
from app.tab.cache import TTLs
from app.tab.client import Fetched, TabClient, default_headers
from app.tab.errors import (
    BadRequest,
    BadResponse,
    CircuitOpen,
    InvalidInput,
    NotFound,
    RateLimited,
    Unavailable,
)
from tests.conftest import any_sample
from tests.tab.conftest import SERVICE_ROOT, Sandbox, _asgi_sandbox

pytestmark = pytest.mark.anyio

RACE = ("2026-09-23", "R", "WFM", 2)
RACE_PATH = SERVICE_ROOT + "/racing/dates/2026-09-23/meetings/R/WFM/races/2"
FORM_PATH = RACE_PATH + "/form"
RACE_CARD = any_sample("race-detail.json")


async def test_identical_concurrent_calls_make_one_upstream_request(sandbox: Sandbox) -> None:
    await sandbox.override(RACE_PATH, RACE_CARD)
    client = sandbox.client()
    results = await asyncio.gather(*(client.race(*RACE) for _ in range(100)))
    assert await sandbox.requests_for(RACE_PATH) == 1
    assert all(r.data["raceName"] == RACE_CARD["raceName"] for r in results)
    assert all(r.sandbox and not r.cached for r in results)
    again = await client.race(*RACE)
    assert again.cached and again.fetched_at == results[0].fetched_at
    assert await sandbox.requests_for(RACE_PATH) == 1


async def test_entries_are_refetched_after_their_ttl(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(RACE_PATH, RACE_CARD)
    client = asgi_sandbox.client(client_options={"ttls": TTLs(race_open=0.2, race_final=60)})
    first = await client.race(*RACE)
    assert (await client.race(*RACE)).cached
    await asyncio.sleep(0.3)
    refreshed = await client.race(*RACE)
    assert not refreshed.cached and refreshed.fetched_at > first.fetched_at
    assert await asgi_sandbox.requests_for(RACE_PATH) == 2
    # A race that is paying keeps its much longer lifetime.
    await asgi_sandbox.override(RACE_PATH, {**RACE_CARD, "raceStatus": "Paying"})
    await asyncio.sleep(0.3)
    assert (await client.race(*RACE)).data["raceStatus"] == "Paying"
    await asyncio.sleep(0.3)
    assert (await client.race(*RACE)).cached
    assert await asgi_sandbox.requests_for(RACE_PATH) == 3


async def test_cache_disabled_still_coalesces(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(RACE_PATH, RACE_CARD)
    await asgi_sandbox.faults({"latency_ms": 50, "path_prefix": "/racing"})
    client = asgi_sandbox.client(tab_cache_enabled=False)
    await asyncio.gather(*(client.race(*RACE) for _ in range(20)))
    assert await asgi_sandbox.requests_for(RACE_PATH) == 1
    assert not (await client.race(*RACE)).cached
    assert await asgi_sandbox.requests_for(RACE_PATH) == 2


async def test_failed_calls_are_not_cached(asgi_sandbox: Sandbox) -> None:
    client = asgi_sandbox.client()
    await asgi_sandbox.override(RACE_PATH, {"error": {"code": "RESOURCE_NOT_FOUND_ERROR",
                                                      "message": "Race not found"}}, status=404)
    with pytest.raises(NotFound) as caught:
        await client.race(*RACE)
    assert caught.value.message == "Race not found"
    assert caught.value.code == "RESOURCE_NOT_FOUND_ERROR"
    await asgi_sandbox.override(RACE_PATH, RACE_CARD)
    assert (await client.race(*RACE)).data["raceNumber"] == 2
    assert await asgi_sandbox.requests_for(RACE_PATH) == 2


async def test_503s_and_dropped_connections_are_retried(sandbox: Sandbox) -> None:
    await sandbox.override(RACE_PATH, RACE_CARD)
    await sandbox.override(FORM_PATH, {"form": []})
    client = sandbox.client()
    await sandbox.faults({"error_rate": 1, "error_status": 503, "count": 2})
    assert (await client.race(*RACE)).data["raceNumber"] == 2
    await sandbox.faults({"drop_rate": 1, "count": 2})
    assert (await client.race_form(*RACE)).data == {"form": []}
    stats = await sandbox.stats()
    assert stats["faults_by_kind"] == {"error": 2, "drop": 2}
    assert stats["requests"][RACE_PATH] == 3
    assert stats["requests"][FORM_PATH] == 3


async def test_persistent_failure_ends_within_the_deadline(sandbox: Sandbox) -> None:
    await sandbox.faults({"error_rate": 1, "error_status": 503})
    client = sandbox.client(tab_call_deadline=1.5,
                            client_options={"breaker": CircuitBreaker(failure_threshold=100)})
    started = time.monotonic()
    with pytest.raises(Unavailable) as caught:
        await client.race(*RACE)
    elapsed = time.monotonic() - started
    assert elapsed < 1.5 + 0.5
    assert "temporar" in caught.value.message
    assert (await sandbox.stats())["requests"][RACE_PATH] >= 2


async def test_slow_upstream_is_cut_at_the_deadline(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.faults({"latency_ms": 5000})
    client = asgi_sandbox.client(tab_call_deadline=0.5)
    started = time.monotonic()
    with pytest.raises(Unavailable, match=r"within 0\.5 s"):
        await client.dates()
    assert time.monotonic() - started < 1.5


async def test_429_honours_retry_after(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(RACE_PATH, RACE_CARD)
    client = asgi_sandbox.client()
    await asgi_sandbox.faults({"rate_limit_rate": 1, "retry_after": 1, "count": 1})
    started = time.monotonic()
    assert (await client.race(*RACE)).data["raceNumber"] == 2
    assert time.monotonic() - started >= 0.95
    # A Retry-After beyond the call's deadline is reported at once, not waited out.
    await asgi_sandbox.faults({"rate_limit_rate": 1, "retry_after": 30, "count": 1})
    started = time.monotonic()
    with pytest.raises(RateLimited) as caught:
        await client.race_form(*RACE)
    assert caught.value.retry_after == 30
    assert time.monotonic() - started < 1


async def test_html_block_page_is_a_bad_response(sandbox: Sandbox) -> None:
    client = sandbox.client()
    await sandbox.faults({"garbage_rate": 1, "garbage_kind": "html_block"})
    with pytest.raises(BadResponse) as caught:
        await client.dates(jurisdiction="VIC")
    error = caught.value
    assert error.content_type is not None and error.content_type.startswith("text/html")
    assert "Access Denied" in error.excerpt and len(error.excerpt) <= 120
    assert "<" not in error.excerpt and "jurisdiction" not in error.message
    await sandbox.faults({"garbage_rate": 1, "garbage_kind": "not_json"})
    with pytest.raises(BadResponse) as caught:
        await client.dates()
    assert caught.value.content_type is not None
    assert caught.value.content_type.startswith("text/plain")
    await sandbox.faults({"garbage_rate": 1, "garbage_kind": "truncated"})
    with pytest.raises(BadResponse, match="not valid JSON"):
        await client.meetings("today")


async def test_breaker_opens_fails_fast_and_closes_again(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(RACE_PATH, RACE_CARD)
    clock = [100.0]
    breaker = CircuitBreaker(failure_threshold=3, reset_timeout=30, clock=lambda: clock[0])
    client = asgi_sandbox.client(client_options={"breaker": breaker})
    await asgi_sandbox.faults({"error_rate": 1, "error_status": 502})
    with pytest.raises(CircuitOpen):
        await client.race(*RACE)  # retries until the breaker opens under it
    assert await asgi_sandbox.requests_for(RACE_PATH) == 3
    assert REGISTRY.get_sample_value("tabmcp_upstream_breaker_open") == 1
    ready, reason = await client.check_ready()
    assert not ready and "breaker" in reason
    with pytest.raises(CircuitOpen, match="try again"):
        await client.race(*RACE)
    assert await asgi_sandbox.requests_for(RACE_PATH) == 3  # failed fast, nothing sent
    await asgi_sandbox.admin("DELETE", "/faults")
    clock[0] += 30  # the pause is over: half-open
    assert (await client.race(*RACE)).data["raceNumber"] == 2  # the half-open probe
    assert not breaker.is_open and (await client.check_ready())[0]
    assert REGISTRY.get_sample_value("tabmcp_upstream_breaker_open") == 0


async def test_client_errors_are_mapped_and_not_retried(asgi_sandbox: Sandbox) -> None:
    client = asgi_sandbox.client()
    await asgi_sandbox.override(FORM_PATH, {"error": {
        "code": "INVALID_SYNTAX_ERROR",
        "message": "bad value, see https://api.example/x?token=abc123secret",
        "details": []}}, status=400)
    with pytest.raises(BadRequest) as caught:
        await client.race_form(*RACE)
    assert caught.value.code == "INVALID_SYNTAX_ERROR"
    assert "abc123secret" not in caught.value.message and "?" not in caught.value.message
    assert await asgi_sandbox.requests_for(FORM_PATH) == 1
    await asgi_sandbox.override(RACE_PATH, {"error": {"code": "INTERNAL_SERVER_ERROR",
                                                      "message": "boom"}}, status=500)
    with pytest.raises(Unavailable, match="HTTP 500"):
        await client.race(*RACE)  # a 500 is not one of the transient statuses: no retry
    assert await asgi_sandbox.requests_for(RACE_PATH) == 1
    await asgi_sandbox.override(RACE_PATH, "", status=302, content_type="text/plain")
    with pytest.raises(BadResponse, match="redirected"):
        await client.race(*RACE)
    with pytest.raises(InvalidInput, match="jurisdiction"):
        await client.dates(jurisdiction="WA")
    with pytest.raises(InvalidInput, match="venue"):
        await client.race("today", "R", "../oauth", 1)
    assert asgi_sandbox.recorder.data_requests()[-1].path == RACE_PATH  # nothing else was sent


async def test_every_request_has_the_default_headers_and_jurisdiction(sandbox: Sandbox) -> None:
    await sandbox.override(RACE_PATH, RACE_CARD)
    client = sandbox.client("client_credentials", tab_jurisdiction="QLD")
    await client.race(*RACE)
    await client.race(*RACE, jurisdiction="vic")
    await client.next_to_go(max_races=5)
    with pytest.raises(NotFound):
        await client.meeting_races("today", "G", "ZZZ")
    expected = default_headers(client.settings)
    seen = sandbox.recorder.requests
    assert len(seen) == 5  # one token request, four reads
    for request in seen:
        for name, value in expected.items():
            if name.lower() == "connection" and sandbox.kind == "asgi":
                continue
            if name == "Accept" and request.path == "/oauth/token":
                assert request.headers["accept"] == "application/json"  # a token, not data
                continue
            assert request.headers.get(name.lower()) == value, name
        assert "cookie" not in request.headers
    queries = [parse_qs(r.query) for r in sandbox.recorder.data_requests()]
    assert [q["jurisdiction"] for q in queries] == [["QLD"], ["VIC"], ["QLD"], ["QLD"]]
    assert queries[2]["maxRaces"] == ["5"] and "includeRecentlyClosed" not in queries[2]
    assert not any("fixedOdds" in r.query for r in sandbox.recorder.data_requests())
    with pytest.raises(InvalidInput, match="fixedOdds"):
        await client.get_raw(RACE_PATH, {"fixedOdds": "true"})


async def test_fetched_age_and_sandbox_label(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(RACE_PATH, RACE_CARD)
    client = asgi_sandbox.client()
    fetched = await client.race(*RACE)
    assert fetched.sandbox
    assert fetched.fetched_at.tzinfo is UTC
    assert 0 <= fetched.age_seconds() < 5
    later = fetched.fetched_at + timedelta(seconds=42)
    assert fetched.age_seconds(later) == 42
    frozen = Fetched(data={}, fetched_at=datetime(2026, 1, 1, tzinfo=UTC), sandbox=False,
                     cached=False)
    assert frozen.age_seconds(datetime(2026, 1, 1, 0, 1, tzinfo=UTC)) == 60


SPORT_NAMES = st.one_of(
    st.sampled_from(["AFL Football", "..", "a/b", "%2e%2e", "?x=1", "#", "Rugby League",
                     "Adelaide v Geelong", "50% off", "Ünïcödé"]),
    st.text(min_size=1, max_size=30))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sport=SPORT_NAMES, competition=SPORT_NAMES, match=SPORT_NAMES)
def test_user_names_arrive_as_exactly_one_segment_each(sport: str, competition: str,
                                                       match: str) -> None:
    asyncio.run(_probe_match_path(sport, competition, match))


async def _probe_match_path(sport: str, competition: str, match: str) -> None:
    probe = _asgi_sandbox()
    client = TabClient(probe.settings(), transport=probe.transport)
    try:
        try:
            route = paths.match(sport, competition, match)
        except InvalidInput:
            with pytest.raises(InvalidInput):
                await client.match(sport, competition, match)
            assert probe.recorder.requests == []
            return
        try:
            await client.match(sport, competition, match)
        except (NotFound, BadRequest):
            pass
        (seen,) = probe.recorder.requests
        assert seen.raw_path.decode("ascii") == route.path
        segments = seen.raw_path.decode("ascii").split("/")
        assert segments[:4] == ["", "v1", "tab-info-service", "sports"]
        assert len(segments) == 9
        assert [unquote(segments[i]) for i in (4, 6, 8)] == [sport, competition, match]
        assert parse_qs(seen.query) == {"jurisdiction": ["NSW"]}
    finally:
        await client.aclose()
        await probe.aclose()


async def test_get_raw_reads_link_paths(asgi_sandbox: Sandbox) -> None:
    await asgi_sandbox.override(FORM_PATH, {"form": []})
    client = asgi_sandbox.client()
    fetched = await client.get_raw(FORM_PATH.replace("WFM", "WFM"), {"extra": 1})
    assert fetched.data == {"form": []}
    (seen,) = asgi_sandbox.recorder.data_requests()
    assert parse_qs(seen.query) == {"jurisdiction": ["NSW"], "extra": ["1"]}
    with pytest.raises(InvalidInput):
        await client.get_raw("/oauth/token")
    assert REGISTRY.get_sample_value("tabmcp_upstream_requests_total",
                                     {"endpoint": "/raw", "status": "200"})


async def test_ready_in_anonymous_mode_needs_no_token(asgi_sandbox: Sandbox) -> None:
    client: TabClient = asgi_sandbox.client()
    assert await client.check_ready() == (True, "anonymous upstream access")
    assert asgi_sandbox.recorder.requests == []
