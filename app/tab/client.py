"""The upstream client: typed reads of the TAB info service.

One call goes: cache (single-flight) → circuit breaker → rate limiter → OAuth token → pooled
HTTP request, with retries (connection errors, timeouts, 502/503/504, 429) under one deadline
per call (`app.tab.executor`). Every outcome becomes a `Fetched` or one of the errors of
`app.tab.errors` (`app.tab.interpret`).
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import httpx2

from app.config import Settings
from app.domain.credentials import AuthMode, Credentials
from app.store import SharedStore
from app.tab import paths, segments
from app.tab.auth import TokenManager
from app.tab.background import current_background
from app.tab.breaker import CircuitBreaker
from app.tab.cache import FINAL_RACE_STATUSES, TTLCache, TTLs
from app.tab.errors import InvalidInput
from app.tab.executor import RequestExecutor, default_headers
from app.tab.fetched import Fetched, Stored
from app.tab.paths import Route
from app.tab.rejections import RejectionLog
from app.tab.shared_cache import SharedCache, remaining

__all__ = ["Fetched", "TabClient", "default_headers"]

CACHE_MAX_ENTRIES = 512
CACHE_MAX_BYTES = 64 * 1024 * 1024

# The routes of the most read paths, validated once per distinct argument set (typed, so that
# True is not taken for 1); invalid arguments raise and are not remembered.
_meetings_route = functools.lru_cache(maxsize=256, typed=True)(paths.meetings)
_race_route = functools.lru_cache(maxsize=4096, typed=True)(paths.race)
_NEXT = re.compile(r"\d{1,3}[mhd]")


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
    `breaker` replaces the default circuit breaker (5 failures, 15 s pause). With an enabled
    `store`, the cache gains a fleet-wide tier (`app.tab.shared_cache`), the rate limit a
    fleet-wide budget (`app.tab.ratelimit`) and every token manager fleet-wide tokens
    (`app.tab.fleet_tokens`).
    Every read method accepts `jurisdiction` (default `settings.tab_jurisdiction`).
    """

    def __init__(self, settings: Settings, *, transport: httpx2.AsyncBaseTransport | None = None,
                 credentials: Credentials | None = None, ttls: TTLs | None = None,
                 reload_credentials: Callable[[], Credentials] | None = None,
                 breaker: CircuitBreaker | None = None,
                 store: SharedStore | None = None) -> None:
        self.settings = settings
        self.ttls = ttls or TTLs()
        self._store = store
        self._executor = RequestExecutor(settings, transport=transport, breaker=breaker,
                                         store=store)
        self._shared = (SharedCache(store, settings)
                        if store is not None and store.enabled and settings.tab_cache_enabled
                        else None)
        self._rejections = RejectionLog(settings.tab_login_backoff,
                                        settings.tab_login_backoff_max)
        self._cache: TTLCache[Stored] = TTLCache(
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
        URL, timeouts, headers, rate limiter, shared store). Close it with `aclose()` when
        dropping it."""
        executor = self._executor
        return TokenManager(credentials, self.settings.token_url, transport=executor.transport,
                            timeout=executor.timeout, headers=executor.headers,
                            reload_credentials=reload_credentials, limiter=executor.limiter,
                            rejections=self._rejections, store=self._store)

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
        return self._executor.breaker

    @property
    def auth_mode(self) -> AuthMode:
        """How this client authenticates upstream."""
        return self.tokens.mode

    async def aclose(self) -> None:
        """Close the connection pool and the token client."""
        if self._owner:
            await self.tokens.aclose()
            await self._executor.aclose()

    async def check_ready(self) -> tuple[bool, str]:
        """Readiness from the last known state (never an upstream call): the breaker is closed
        and, in authenticated modes, the last token request did not fail. Returns (ready,
        reason)."""
        if self._executor.breaker.is_open:
            return False, ("upstream circuit breaker is open after repeated upstream failures "
                           "(errors or no answer)")
        return self.tokens.check()

    def race_ttl(self, data: Any) -> float:
        """Seconds a race detail body (`race()`) stays cached: longer once the race is final."""
        return _race_ttl(self.ttls)(data)

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

    async def post(self, route: Route, payload: Any) -> Fetched:
        """POST `payload` as JSON to `route`: a read-only enquiry, retried like a read, never
        cached, and sent without a bearer (the public pricing service takes none)."""
        return (await self._executor.fetch(route, {}, self.tokens, payload)).fetched

    # Machinery ----------------------------------------------------------------------------------

    async def _get(self, route: Route, ttl: float | Callable[[Any], float],
                   jurisdiction: str | None,
                   params: Mapping[str, str | None] | None = None) -> Fetched:
        code = segments.jurisdiction(jurisdiction if jurisdiction is not None
                                  else self.settings.tab_jurisdiction)
        query = {"jurisdiction": code}
        query.update({name: value for name, value in (params or {}).items() if value is not None})
        key = (self._cache_scope, route.template, route.path, tuple(sorted(query.items())))
        stored_ttl: float | Callable[[Stored], float] = (
            (lambda stored: ttl(stored.fetched.data)) if callable(ttl) else ttl)
        tokens = self.tokens
        work = current_background()
        ahead = None if work is None else work.ahead
        fetch: Callable[[], Awaitable[Stored]] = lambda: self._executor.fetch(  # noqa: E731
            route, query, tokens)
        shared = self._shared
        if shared is not None:
            upstream, shared_ttl = fetch, stored_ttl
            fetch = lambda: shared.fetch(  # noqa: E731
                tokens, route, query, shared_ttl, upstream, ahead=ahead)
            stored_ttl = remaining(shared_ttl)
        result = await self._cache.get_or_fetch(key, stored_ttl, fetch, ahead=ahead)
        return result.value.hit if result.hit else result.value.fetched
