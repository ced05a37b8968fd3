"""Request execution: breaker, rate limiter, token, pooled HTTP request and retries with
backoff, under one deadline per call."""

from __future__ import annotations

import asyncio
import random
import time
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx2
import structlog

from app.config import Settings
from app.observability.metrics import UPSTREAM_DURATION, UPSTREAM_REQUESTS
from app.store import SharedStore
from app.tab.auth import TokenManager
from app.tab.breaker import CircuitBreaker
from app.tab.deadline import current_deadline
from app.tab.errors import BadResponse, RateLimited, TabError, Unauthorised, Unavailable
from app.tab.fetched import Stored
from app.tab.interpret import Retry, interpret
from app.tab.paths import Route
from app.tab.ratelimit import TokenBucket

log = structlog.get_logger("app.tab.client")

SITE_ORIGIN = "https://www.tab.com.au"
MAX_ATTEMPTS = 6
BACKOFF_BASE = 0.25
BACKOFF_CAP = 4.0
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
#: Seconds of the deadline kept for the request itself when waiting for the pacer.
REQUEST_RESERVE = 1.0
#: Seconds past the deadline before the backstop cancels a fetch whose own timeouts did not end it.
DEADLINE_GRACE = 0.1


def default_headers(settings: Settings) -> dict[str, str]:
    """The header set of every upstream request: what the TAB website's own calls carry."""
    return {
        "User-Agent": settings.tab_user_agent,
        "Accept": "application/json, text/plain, */*",
        "Accept-Language": settings.tab_accept_language,
        "Accept-Encoding": "gzip, deflate",
        "Origin": SITE_ORIGIN,
        "Referer": SITE_ORIGIN + "/",
        "Connection": "keep-alive",
        "Sec-Fetch-Dest": "empty",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Site": "same-site",
    }


def _out_of_time(seconds: float) -> str:
    return (f"The TAB service did not answer within {seconds:.3g} s (what was left of this "
            "call's deadline); this is usually temporary, try again shortly.")


def _no_cookies() -> httpx2.Cookies:
    # The edge's bot-manager cookies must never be stored and replayed.
    return httpx2.Cookies(CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))


class RequestExecutor:
    """Runs upstream GETs: one pooled HTTP client, the shared pacer and circuit breaker."""

    def __init__(self, settings: Settings, *, transport: httpx2.AsyncBaseTransport | None,
                 breaker: CircuitBreaker | None, store: SharedStore | None = None) -> None:
        self.settings = settings
        self.headers = default_headers(settings)
        self.timeout = httpx2.Timeout(
            connect=settings.tab_connect_timeout, read=settings.tab_read_timeout,
            write=settings.tab_read_timeout, pool=settings.tab_connect_timeout)
        limits = httpx2.Limits(max_connections=settings.tab_max_connections,
                               max_keepalive_connections=settings.tab_max_connections,
                               keepalive_expiry=30.0)
        # One transport (one TLS context, one pool) for data and every credential set's token
        # requests: building one per credential set costs ~1 MB and tens of ms of CPU.
        self.transport = transport or httpx2.AsyncHTTPTransport(limits=limits)
        self._http = httpx2.AsyncClient(
            base_url=settings.tab_base_url, headers=self.headers, timeout=self.timeout,
            limits=limits, transport=self.transport, cookies=_no_cookies(), follow_redirects=False)
        self.limiter = TokenBucket(settings.effective_rate_limit, settings.tab_rate_burst,
                                   store=store)
        self.breaker = breaker or CircuitBreaker()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def fetch(self, route: Route, query: dict[str, str], tokens: TokenManager,
                    payload: Any = None) -> Stored:
        """One read of `route`, retried as needed within the call deadline. A `payload` is a
        read-only enquiry: POSTed as JSON, without a bearer (the public pricing service takes
        none)."""
        now = time.monotonic()
        deadline = now + self.settings.tab_call_deadline
        call_ends = current_deadline()
        if call_ends is not None:
            deadline = min(deadline, call_ends)
        budget = deadline - now
        if budget <= 0:
            raise Unavailable("This call used up its deadline before reaching the TAB service; "
                              "try again shortly.")
        try:
            # The backstop: each request's own timeouts end at the deadline (see `_send`), but
            # not every transport honours them. Out of time means the upstream did not answer.
            async with asyncio.timeout(budget + DEADLINE_GRACE):
                return await self._attempts(route, query, tokens, deadline, payload)
        except TimeoutError:
            self.breaker.record_failure()
            raise Unavailable(_out_of_time(budget)) from None

    async def _attempts(self, route: Route, query: dict[str, str], tokens: TokenManager,
                        deadline: float, payload: Any) -> Stored:
        reauthenticated = False
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(route, query, tokens, deadline, attempt, payload)
            except Retry as retry:
                if retry.reauth:
                    if reauthenticated:
                        raise Unauthorised(
                            "The TAB service rejected this server's access token even after "
                            "logging in again; check the configured credentials.",
                            status=401) from None
                    reauthenticated = True
                    attempt -= 1  # a fresh token, not a retry of a failure
                    continue
                assert retry.error is not None
                if attempt >= MAX_ATTEMPTS:
                    raise retry.error from None
                # Exponential backoff with full jitter; a Retry-After is a floor.
                delay = random.uniform(  # noqa: S311 - jitter, not cryptography
                    0, min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1)))
                if retry.retry_after is not None:
                    delay = max(delay, retry.retry_after)
                if time.monotonic() + delay >= deadline:
                    raise retry.error from None
                await asyncio.sleep(delay)

    async def _attempt(self, route: Route, query: dict[str, str], tokens: TokenManager,
                       deadline: float, attempt: int, payload: Any) -> Stored:
        try:
            is_probe = self.breaker.before_call()
        except TabError:
            self._observe(route, "breaker_open", 0.0, attempt)
            raise
        try:
            # A turn granted at the very deadline would leave the request no time to answer.
            await self.limiter.acquire(deadline - REQUEST_RESERVE)
            token = await self._token(tokens) if payload is None else None
            headers = {"Authorization": f"Bearer {token}"} if token else None
            started = time.perf_counter()
            try:
                status, response_headers, body = await self._send(route, query, headers,
                                                                  payload, deadline)
            except httpx2.TimeoutException:
                self.breaker.record_failure()
                self._observe(route, "timeout", time.perf_counter() - started, attempt)
                raise Retry(Unavailable("The TAB service did not answer in time; this is "
                                         "usually temporary, try again shortly.")) from None
            except httpx2.TransportError:
                self.breaker.record_failure()
                self._observe(route, "connection_error", time.perf_counter() - started, attempt)
                raise Retry(Unavailable("The TAB service could not be reached (the connection "
                                         "failed); this is usually temporary, try again "
                                         "shortly.")) from None
            self._observe(route, str(status), time.perf_counter() - started, attempt)
            if status >= 500:
                self.breaker.record_failure()
            else:
                self.breaker.record_success()
            return interpret(status, response_headers, body, tokens, token)
        finally:
            if is_probe:
                self.breaker.release_probe()

    async def _token(self, tokens: TokenManager) -> str | None:
        try:
            return await tokens.access_token()
        except RateLimited as exc:
            raise Retry(exc, retry_after=exc.retry_after) from None
        except Unavailable as exc:
            self.breaker.record_failure()
            raise Retry(exc) from None

    async def _send(self, route: Route, query: dict[str, str], headers: dict[str, str] | None,
                    payload: Any, deadline: float) -> tuple[int, httpx2.Headers, bytes]:
        method = "GET" if payload is None else "POST"
        # An upstream that accepts the connection and never answers times out at the call's
        # deadline at the latest, as a timeout the breaker counts.
        left = max(0.001, deadline - time.monotonic())
        timeout = httpx2.Timeout(connect=min(self.timeout.connect or left, left),
                                 read=min(self.timeout.read or left, left),
                                 write=min(self.timeout.write or left, left),
                                 pool=min(self.timeout.pool or left, left))
        async with self._http.stream(method, route.path, params=query, headers=headers,
                                     json=payload, timeout=timeout) as response:
            chunks: list[bytes] = []
            total = 0
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > MAX_RESPONSE_BYTES:
                    raise BadResponse(
                        f"The TAB service sent more than {MAX_RESPONSE_BYTES // 1_048_576} MB; "
                        "the response was not read.",
                        content_type=response.headers.get("content-type"), excerpt="",
                        status=response.status_code)
                chunks.append(chunk)
            return response.status_code, response.headers, b"".join(chunks)

    def _observe(self, route: Route, status: str, seconds: float, attempt: int) -> None:
        UPSTREAM_REQUESTS.labels(endpoint=route.template, status=status).inc()
        if status != "breaker_open":
            UPSTREAM_DURATION.labels(endpoint=route.template).observe(seconds)
        log.debug("upstream request", endpoint=route.template, status=status,
                  duration_ms=round(seconds * 1000, 1), attempt=attempt)
