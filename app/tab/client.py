"""The upstream client: typed reads of the TAB info service.

One call goes: cache (single-flight) → circuit breaker → rate limiter → OAuth token → pooled
HTTP request, with retries (connection errors, timeouts, 502/503/504, 429) under one deadline
per call. Every outcome becomes a `Fetched` or one of the errors of `app.tab.errors`.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import json
import random
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx2
import structlog

from app.config import Settings
from app.domain.credentials import AuthMode, Credentials
from app.observability.metrics import UPSTREAM_DURATION, UPSTREAM_REQUESTS
from app.tab import paths
from app.tab.auth import TokenManager
from app.tab.breaker import CircuitBreaker
from app.tab.cache import FINAL_RACE_STATUSES, TTLCache, TTLs
from app.tab.errors import (
    BadRequest,
    BadResponse,
    InvalidInput,
    NotFound,
    RateLimited,
    TabError,
    Unauthorised,
    Unavailable,
    retry_after_seconds,
    sanitize,
)
from app.tab.paths import Route
from app.tab.ratelimit import TokenBucket

log = structlog.get_logger(__name__)

SITE_ORIGIN = "https://www.tab.com.au"
MAX_ATTEMPTS = 6
BACKOFF_BASE = 0.25
BACKOFF_CAP = 4.0
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
CACHE_MAX_ENTRIES = 512
CACHE_MAX_BYTES = 64 * 1024 * 1024
RETRYABLE_STATUSES = frozenset({502, 503, 504})

_ERROR_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
# The routes of the most read paths, validated once per distinct argument set (typed, so that
# True is not taken for 1); invalid arguments raise and are not remembered.
_meetings_route = functools.lru_cache(maxsize=256, typed=True)(paths.meetings)
_race_route = functools.lru_cache(maxsize=4096, typed=True)(paths.race)
_NEXT = re.compile(r"\d{1,3}[mhd]")


@dataclass(frozen=True, slots=True)
class Fetched:
    """One upstream result.

    `fetched_at` is when it came from the upstream (UTC; a cached result keeps the original
    time), `sandbox` is True when the sandbox answered (header `X-Tab-Sandbox: 1`), `cached` is
    True when this call was served from the cache. `memo` holds what readers derive from `data`
    alone (a shaped summary, say): every cache hit on this result shares it, so it is derived
    once per upstream fetch, and it is dropped with the cache entry.
    """

    data: Any
    fetched_at: datetime
    sandbox: bool
    cached: bool
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def age_seconds(self, now: datetime | None = None) -> float:
        """Seconds since the data was fetched from the upstream."""
        now = now or datetime.now(UTC)
        return max(0.0, (now - self.fetched_at).total_seconds())


@dataclass(frozen=True, slots=True)
class _Stored:
    fetched: Fetched
    size: int
    hit: Fetched  # what a cache hit returns: `fetched` marked cached, made once


class _Retry(Exception):
    """An attempt failed in a way a later attempt may not."""

    def __init__(self, error: TabError | None, *, retry_after: float | None = None,
                 reauth: bool = False) -> None:
        super().__init__(error.message if error else "re-authenticate")
        self.error = error
        self.retry_after = retry_after
        self.reauth = reauth


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


def _no_cookies() -> httpx2.Cookies:
    # The edge's bot-manager cookies must never be stored and replayed.
    return httpx2.Cookies(CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])))


def _race_ttl(ttls: TTLs) -> Callable[[Any], float]:
    def ttl(data: Any) -> float:
        status = data.get("raceStatus") if isinstance(data, dict) else None
        return ttls.race_final if status in FINAL_RACE_STATUSES else ttls.race_open
    return ttl


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _bounded_int(value: int | None, *, what: str, maximum: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidInput(f"{what} must be a whole number from 1 to {maximum}")
    return str(value)


class TabClient:
    """Typed, cached, rate-limited reads of the TAB info service.

    `transport` replaces the network (e.g. `httpx2.ASGITransport(app)` for an in-process
    sandbox); `credentials` replaces the ones from `settings`; `ttls` replaces the cache
    lifetimes; `reload_credentials` is asked for fresh credentials once on `invalid_client`;
    `breaker` replaces the default circuit breaker (5 failures, 15 s pause).
    Every read method accepts `jurisdiction` (default `settings.tab_jurisdiction`).
    """

    def __init__(self, settings: Settings, *, transport: httpx2.AsyncBaseTransport | None = None,
                 credentials: Credentials | None = None, ttls: TTLs | None = None,
                 reload_credentials: Callable[[], Credentials] | None = None,
                 breaker: CircuitBreaker | None = None) -> None:
        self.settings = settings
        self.ttls = ttls or TTLs()
        self._transport = transport
        self._headers = default_headers(settings)
        self._timeout = httpx2.Timeout(
            connect=settings.tab_connect_timeout, read=settings.tab_read_timeout,
            write=settings.tab_read_timeout, pool=settings.tab_connect_timeout)
        limits = httpx2.Limits(max_connections=settings.tab_max_connections,
                               max_keepalive_connections=settings.tab_max_connections,
                               keepalive_expiry=30.0)
        self._http = httpx2.AsyncClient(
            base_url=settings.tab_base_url, headers=self._headers, timeout=self._timeout,
            limits=limits, transport=transport, cookies=_no_cookies(), follow_redirects=False)
        self._limiter = TokenBucket(settings.effective_rate_limit, settings.tab_rate_burst)
        self._breaker = breaker or CircuitBreaker()
        self._cache: TTLCache[_Stored] = TTLCache(
            "upstream", max_entries=CACHE_MAX_ENTRIES, max_bytes=CACHE_MAX_BYTES,
            sizer=lambda stored: stored.size, enabled=settings.tab_cache_enabled)
        self.tokens = self.token_manager(credentials or settings.credentials,
                                         reload_credentials=reload_credentials)
        self._owner = True
        self._cache_scope = ""

    # Lifecycle and composition ------------------------------------------------------------------

    def token_manager(self, credentials: Credentials, *,
                      reload_credentials: Callable[[], Credentials] | None = None
                      ) -> TokenManager:
        """A new `TokenManager` for `credentials`, configured like this client's own (token
        URL, timeouts, headers, rate limiter). Close it with `aclose()` when dropping it."""
        return TokenManager(credentials, self.settings.token_url, transport=self._transport,
                            timeout=self._timeout, headers=self._headers,
                            reload_credentials=reload_credentials, limiter=self._limiter)

    def using(self, tokens: TokenManager) -> TabClient:
        """A view of this client that authenticates with `tokens` (e.g. a session's own
        credentials) and shares everything else: connection pool, limiter, breaker, and the
        cache's memory (its entries are scoped to the credential set). Closing the view closes
        nothing."""
        view = copy.copy(self)
        view.tokens = tokens
        view._owner = False
        # Data fetched with one credential set is never served to another.
        view._cache_scope = tokens.fingerprint
        return view

    @property
    def breaker(self) -> CircuitBreaker:
        """The upstream circuit breaker (`.is_open` for readiness)."""
        return self._breaker

    @property
    def auth_mode(self) -> AuthMode:
        """How this client authenticates upstream."""
        return self.tokens.mode

    async def aclose(self) -> None:
        """Close the connection pool and the token client."""
        if self._owner:
            await self.tokens.aclose()
            await self._http.aclose()

    async def check_ready(self) -> tuple[bool, str]:
        """Readiness: the breaker is closed and, in authenticated modes, a token is obtainable.
        Returns (ready, reason)."""
        if self._breaker.is_open:
            return False, "upstream circuit breaker is open after repeated upstream failures"
        try:
            async with asyncio.timeout(min(5.0, self.settings.tab_call_deadline)):
                return await self.tokens.check()
        except TimeoutError:
            return False, "the upstream token endpoint did not answer in time"

    # Racing -------------------------------------------------------------------------------------

    async def dates(self, *, jurisdiction: str | None = None) -> Fetched:
        """R1: the racing dates (today, tomorrow, futures ...)."""
        return await self._get(paths.dates(), self.ttls.dates, jurisdiction)

    async def meetings(self, date: str, *, jurisdiction: str | None = None) -> Fetched:
        """R2: every meeting of `date` (YYYY-MM-DD, today, tomorrow, futures)."""
        return await self._get(_meetings_route(date), self.ttls.meetings, jurisdiction)

    async def meeting_races(self, date: str, race_type: str, venue: str, *,
                            jurisdiction: str | None = None) -> Fetched:
        """R3: the races of one meeting (no runners)."""
        return await self._get(paths.meeting_races(date, race_type, venue), self.ttls.meetings,
                               jurisdiction)

    async def race(self, date: str, race_type: str, venue: str, race_number: int | str, *,
                   jurisdiction: str | None = None) -> Fetched:
        """R4: one race with runners, prices, pools and (once run) results and dividends."""
        return await self._get(_race_route(date, race_type, venue, race_number),
                               _race_ttl(self.ttls), jurisdiction)

    async def race_form(self, date: str, race_type: str, venue: str, race_number: int | str, *,
                        jurisdiction: str | None = None) -> Fetched:
        """R5: the form of every runner of a race."""
        return await self._get(paths.race_form(date, race_type, venue, race_number),
                               self.ttls.form, jurisdiction)

    async def runner_form(self, date: str, race_type: str, venue: str, race_number: int | str,
                          runner_number: int | str, *,
                          jurisdiction: str | None = None) -> Fetched:
        """R6: the form of one runner."""
        return await self._get(
            paths.runner_form(date, race_type, venue, race_number, runner_number),
            self.ttls.form, jurisdiction)

    async def approximates(self, date: str, race_type: str, venue: str, race_number: int | str,
                           product: str, *, jurisdiction: str | None = None) -> Fetched:
        """R8: approximate dividends of one pool (e.g. Quinella, Exacta, Duet)."""
        return await self._get(
            paths.approximates(date, race_type, venue, race_number, product),
            self.ttls.prices, jurisdiction)

    async def next_to_go(self, *, max_races: int | None = 10,
                         include_recently_closed: bool = False,
                         jurisdiction: str | None = None) -> Fetched:
        """R9: the next races to jump, soonest first."""
        params = {"maxRaces": _bounded_int(max_races, what="max_races", maximum=100),
                  "includeRecentlyClosed": "true" if include_recently_closed else None}
        return await self._get(paths.next_to_go(), self.ttls.next_to_go, jurisdiction, params)

    async def jackpots(self, *, jurisdiction: str | None = None) -> Fetched:
        """R10: current jackpots (shape unverified upstream)."""
        return await self._get(paths.jackpots(), self.ttls.jackpots, jurisdiction)

    async def jackpot_pools(self, date: str, *, jurisdiction: str | None = None) -> Fetched:
        """R11: jackpot pools of a date (shape unverified upstream)."""
        return await self._get(paths.jackpot_pools(date), self.ttls.jackpots, jurisdiction)

    # Sports -------------------------------------------------------------------------------------

    async def sports(self, *, jurisdiction: str | None = None) -> Fetched:
        """P1: every sport with its competitions."""
        return await self._get(paths.sports(), self.ttls.sports_tree, jurisdiction)

    async def sport(self, sport: str, *, jurisdiction: str | None = None) -> Fetched:
        """P2: one sport by name (e.g. "AFL Football")."""
        return await self._get(paths.sport(sport), self.ttls.sports_tree, jurisdiction)

    async def competitions(self, sport: str, *, jurisdiction: str | None = None) -> Fetched:
        """P3: the competitions of a sport."""
        return await self._get(paths.competitions(sport), self.ttls.sports_tree, jurisdiction)

    async def competition(self, sport: str, competition: str, *,
                          jurisdiction: str | None = None) -> Fetched:
        """P4: one competition with its matches and top markets."""
        return await self._get(paths.competition(sport, competition), self.ttls.sports_markets,
                               jurisdiction)

    async def match(self, sport: str, competition: str, match: str, *,
                    jurisdiction: str | None = None) -> Fetched:
        """P6: one match with its markets."""
        return await self._get(paths.match(sport, competition, match), self.ttls.sports_markets,
                               jurisdiction)

    async def tournament(self, sport: str, competition: str, tournament: str, *,
                         jurisdiction: str | None = None) -> Fetched:
        """P8: one tournament (tennis, golf) with its matches."""
        return await self._get(paths.tournament(sport, competition, tournament),
                               self.ttls.sports_markets, jurisdiction)

    async def tournament_match(self, sport: str, competition: str, tournament: str, match: str,
                               *, jurisdiction: str | None = None) -> Fetched:
        """P8: one match of a tournament."""
        return await self._get(paths.tournament_match(sport, competition, tournament, match),
                               self.ttls.sports_markets, jurisdiction)

    async def sports_next_to_go(self, *, limit: int | None = None, next: str | None = None,
                                open_only: bool | None = None, sort_by_time: bool | None = True,
                                sort_by_close_time: bool | None = None,
                                futures_only: bool | None = None,
                                jurisdiction: str | None = None) -> Fetched:
        """P9: the next sports matches; `next` is a window such as "12h" or "90m"."""
        if next is not None and (not isinstance(next, str) or not _NEXT.fullmatch(next)):
            raise InvalidInput("next must be a time window like '12h', '90m' or '2d'")
        params = {"limit": _bounded_int(limit, what="limit", maximum=200), "next": next,
                  "openOnly": _flag(open_only), "sortByTime": _flag(sort_by_time),
                  "sortByCloseTime": _flag(sort_by_close_time),
                  "futuresOnly": _flag(futures_only)}
        return await self._get(paths.sports_next_to_go(), self.ttls.next_to_go, jurisdiction,
                               params)

    async def sports_results(self, sport: str | None = None, competition: str | None = None,
                             match: str | None = None, *,
                             jurisdiction: str | None = None) -> Fetched:
        """P10: sports results, narrowed by sport, competition and match (shape unverified)."""
        return await self._get(paths.sports_results(sport, competition, match),
                               self.ttls.results, jurisdiction)

    async def footy_rounds(self, sport: str, *, jurisdiction: str | None = None) -> Fetched:
        """P11: the tipping rounds of a football code (shape unverified)."""
        return await self._get(paths.footy_rounds(sport), self.ttls.footy, jurisdiction)

    async def footy_round(self, sport: str, round: int | str, series: str | None = None, *,
                          jurisdiction: str | None = None) -> Fetched:
        """P11: one tipping round, optionally of one series."""
        params = paths.query_params({"series": series} if series is not None else None)
        return await self._get(paths.footy_round(sport, round), self.ttls.footy, jurisdiction,
                               dict(params))

    # Generic read -------------------------------------------------------------------------------

    async def get_raw(self, path: str, params: dict[str, str | int | float | bool] | None = None,
                      *, jurisdiction: str | None = None) -> Fetched:
        """A GET of any path under `/v1/tab-info-service/` (validated segment by segment; query
        parameters separately). The caller caps the size of what it passes on."""
        route = paths.raw_path(path)
        extra = paths.query_params(params)
        return await self._get(route, self.ttls.raw, jurisdiction, dict(extra))

    # Machinery ----------------------------------------------------------------------------------

    async def _get(self, route: Route, ttl: float | Callable[[Any], float],
                   jurisdiction: str | None,
                   params: Mapping[str, str | None] | None = None) -> Fetched:
        code = paths.jurisdiction(jurisdiction if jurisdiction is not None
                                  else self.settings.tab_jurisdiction)
        query = {"jurisdiction": code}
        query.update({name: value for name, value in (params or {}).items() if value is not None})
        key = (self._cache_scope, route.template, route.path, tuple(sorted(query.items())))
        stored_ttl: float | Callable[[_Stored], float] = (
            (lambda stored: ttl(stored.fetched.data)) if callable(ttl) else ttl)
        tokens = self.tokens
        result = await self._cache.get_or_fetch(
            key, stored_ttl, lambda: self._fetch(route, query, tokens))
        return result.value.hit if result.hit else result.value.fetched

    async def _fetch(self, route: Route, query: dict[str, str], tokens: TokenManager) -> _Stored:
        budget = self.settings.tab_call_deadline
        deadline = time.monotonic() + budget
        try:
            async with asyncio.timeout(budget):
                return await self._attempts(route, query, tokens, deadline)
        except TimeoutError:
            raise Unavailable(f"The TAB service did not answer within {budget:g} s; this is "
                              "usually temporary, try again shortly.") from None

    async def _attempts(self, route: Route, query: dict[str, str], tokens: TokenManager,
                        deadline: float) -> _Stored:
        reauthenticated = False
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(route, query, tokens, deadline, attempt)
            except _Retry as retry:
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
                       deadline: float, attempt: int) -> _Stored:
        try:
            is_probe = self._breaker.before_call()
        except TabError:
            self._observe(route, "breaker_open", 0.0, attempt)
            raise
        try:
            await self._limiter.acquire(deadline)
            token = await self._token(tokens)
            headers = {"Authorization": f"Bearer {token}"} if token else None
            started = time.perf_counter()
            try:
                status, response_headers, body = await self._send(route, query, headers)
            except httpx2.TimeoutException:
                self._breaker.record_failure()
                self._observe(route, "timeout", time.perf_counter() - started, attempt)
                raise _Retry(Unavailable("The TAB service did not answer in time; this is "
                                         "usually temporary, try again shortly.")) from None
            except httpx2.TransportError:
                self._breaker.record_failure()
                self._observe(route, "connection_error", time.perf_counter() - started, attempt)
                raise _Retry(Unavailable("The TAB service could not be reached (the connection "
                                         "failed); this is usually temporary, try again "
                                         "shortly.")) from None
            self._observe(route, str(status), time.perf_counter() - started, attempt)
            if status >= 500:
                self._breaker.record_failure()
            else:
                self._breaker.record_success()
            return self._interpret(status, response_headers, body, tokens, token)
        finally:
            if is_probe:
                self._breaker.release_probe()

    async def _token(self, tokens: TokenManager) -> str | None:
        try:
            return await tokens.access_token()
        except RateLimited as exc:
            raise _Retry(exc, retry_after=exc.retry_after) from None
        except Unavailable as exc:
            self._breaker.record_failure()
            raise _Retry(exc) from None

    async def _send(self, route: Route, query: dict[str, str],
                    headers: dict[str, str] | None) -> tuple[int, httpx2.Headers, bytes]:
        async with self._http.stream("GET", route.path, params=query,
                                     headers=headers) as response:
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

    def _interpret(self, status: int, headers: httpx2.Headers, body: bytes,
                   tokens: TokenManager, token: str | None) -> _Stored:
        content_type = headers.get("content-type", "")
        if 200 <= status < 300:
            data = _parse_json(status, content_type, body)
            fetched = Fetched(data=data, fetched_at=datetime.now(UTC),
                              sandbox=headers.get("x-tab-sandbox") == "1", cached=False)
            return _Stored(fetched, len(body), replace(fetched, cached=True))
        if status == 401 and token is not None:
            tokens.invalidate(token)
            raise _Retry(None, reauth=True)
        if status == 429:
            retry_after = retry_after_seconds(headers.get("retry-after"))
            wait = f" (it asked to wait {retry_after:g} s)" if retry_after is not None else ""
            raise _Retry(RateLimited(f"The TAB service is rate limiting this server{wait}; "
                                     "try again shortly.", retry_after=retry_after),
                         retry_after=retry_after)
        if status in RETRYABLE_STATUSES:
            raise _Retry(Unavailable(f"The TAB service is temporarily unavailable (HTTP {status});"
                                     " try again shortly.", status=status))
        if status >= 500:
            raise Unavailable(f"The TAB service had an internal error (HTTP {status}); this is "
                              "usually temporary, try again shortly.", status=status)
        if 300 <= status < 400:
            raise BadResponse(f"The TAB service redirected the request (HTTP {status}) instead "
                              "of answering it; its address may have changed.",
                              content_type=content_type or None, excerpt="", status=status)
        if _looks_like_html(content_type, body):
            raise _html_error(status, content_type, body)
        code, message = _upstream_error(body)
        if status == 404:
            raise NotFound(message or "The TAB service has nothing at that address.",
                           status=status, code=code)
        if status in (401, 403):
            raise Unauthorised(
                f"The TAB service refused access (HTTP {status})"
                + (f": {message}" if message else "."), status=status, code=code)
        raise BadRequest(message or f"The TAB service rejected the request (HTTP {status}).",
                         status=status, code=code)

    def _observe(self, route: Route, status: str, seconds: float, attempt: int) -> None:
        UPSTREAM_REQUESTS.labels(endpoint=route.template, status=status).inc()
        if status != "breaker_open":
            UPSTREAM_DURATION.labels(endpoint=route.template).observe(seconds)
        log.debug("upstream request", endpoint=route.template, status=status,
                  duration_ms=round(seconds * 1000, 1), attempt=attempt)


def _looks_like_html(content_type: str, body: bytes) -> bool:
    return "html" in content_type.lower() or body.lstrip()[:1] == b"<"


def _excerpt(body: bytes) -> str:
    return sanitize(body[:4096].decode("utf-8", errors="replace"), 120, strip_tags=True)


def _html_error(status: int, content_type: str, body: bytes) -> BadResponse:
    return BadResponse(
        f"The TAB service answered with a web page instead of data (HTTP {status}); its edge "
        "may be blocking this server's network address. Try again later.",
        content_type=content_type or None, excerpt=_excerpt(body), status=status)


def _parse_json(status: int, content_type: str, body: bytes) -> Any:
    if _looks_like_html(content_type, body):
        raise _html_error(status, content_type, body)
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python parses
        raise BadResponse(
            f"The TAB service sent a response that is not valid JSON (HTTP {status}); this is "
            "usually temporary, try again shortly.",
            content_type=content_type or None, excerpt=_excerpt(body), status=status) from None


def _upstream_error(body: bytes) -> tuple[str | None, str | None]:
    """The code and message of the upstream's error envelope, sanitized."""
    try:
        document = json.loads(body)
    except ValueError:
        return None, None
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict):
        return None, None
    code = error.get("code")
    code = code if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else None
    message = error.get("message")
    message = sanitize(message) if isinstance(message, str) and message.strip() else None
    return code, message
