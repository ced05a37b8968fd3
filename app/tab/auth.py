"""Upstream OAuth: one token per credential set, fetched and renewed one request at a time.

authlib's `AsyncOAuth2Client` builds and parses the token requests, but this module decides
*when* to call it instead of relying on its auto-refresh, because of its verified sharp edges:
it does not keep the password, so a rejected refresh token (`invalid_grant`) needs our own
fallback to the password grant; waiters queued on its refresh lock reuse the refresh token read
before the lock, which fails once refresh tokens rotate; client_credentials renewal only works
when the grant is given to its constructor; and it never reacts to a 401. Here one
`asyncio.Lock` serialises every fetch/refresh for the credential set, the current token is
re-read under the lock before deciding, and callers drop a token that drew a 401 with
`invalidate()`.

With a shared store, the processes of a fleet share each credential set's token
(`app.tab.fleet_tokens`): one login and one refresh for all of them.

Tokens, secrets and passwords are never logged, put in an error message or a metric label.
"""

from __future__ import annotations

import asyncio
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

import httpx2
import structlog
from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from pydantic import SecretStr

from app.domain.credentials import AuthMode, Credentials
from app.observability.metrics import TOKEN_REQUESTS
from app.store import SharedStore
from app.tab.errors import (
    BadResponse,
    RateLimited,
    TabError,
    Unauthorised,
    Unavailable,
    UpstreamBusy,
    retry_after_seconds,
    sanitize,
)
from app.tab.fleet_tokens import FleetTokens
from app.tab.fleet_tokens import Token as _Token
from app.tab.ratelimit import TokenBucket
from app.tab.rejections import RejectionLog

log = structlog.get_logger(__name__)

MAX_LEEWAY = 60.0
_OAUTH_CODE = re.compile(r"[a-z_]{1,40}")


class _TokenEndpointError(Exception):
    """Carries a mapped error out of an authlib response hook."""

    def __init__(self, error: TabError, outcome: str) -> None:
        super().__init__(error.message)
        self.error = error
        self.outcome = outcome


def _check_token_response(response: httpx2.Response) -> httpx2.Response:
    """authlib response hook: turn non-OAuth answers into our errors before it parses them."""
    status = response.status_code
    if status == 429:
        retry_after = retry_after_seconds(response.headers.get("retry-after"))
        raise _TokenEndpointError(RateLimited(
            "The TAB login service is rate limiting this server; try again shortly.",
            retry_after=retry_after), "rate_limited")
    if status >= 500:
        raise _TokenEndpointError(Unavailable(
            f"The TAB login service is temporarily unavailable (HTTP {status}); "
            "try again shortly.", status=status), "unavailable")
    content_type = response.headers.get("content-type", "")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _TokenEndpointError(BadResponse(
            "The TAB login service answered with something other than a token; it may be "
            "blocking this server. Try again later.", content_type=content_type or None,
            excerpt=sanitize(response.text, 120, strip_tags=True), status=status),
            "bad_response")
    return response


class TokenManager:
    """Holds the upstream access token for one credential set.

    Anonymous credentials never obtain a token (`access_token()` returns None, and no
    Authorization header must be sent). Otherwise `access_token()` returns a usable token,
    obtaining or renewing it first; at most one token request runs at a time.
    `reload_credentials` is called once on `invalid_client` (secret rotation) and the request
    is retried with what it returns. With `rejections`, a credential set the login service
    rejected is not tried again until its backoff has passed: `access_token()` fails fast.
    The OAuth session is built on the first token request, so an unused manager costs nothing.
    With an enabled `store`, the token is shared with every process using it
    (`app.tab.fleet_tokens`); when the store is unavailable, this manager renews on its own.
    """

    def __init__(self, credentials: Credentials, token_url: str, *,
                 transport: httpx2.AsyncBaseTransport | None = None,
                 timeout: httpx2.Timeout | None = None,
                 headers: Mapping[str, str] | None = None,
                 reload_credentials: Callable[[], Credentials] | None = None,
                 limiter: TokenBucket | None = None,
                 rejections: RejectionLog | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 store: SharedStore | None = None) -> None:
        self._credentials = credentials
        self._token_url = token_url
        self._reload = reload_credentials
        self._limiter = limiter
        self._rejections = rejections
        self._clock = clock
        self._lock = asyncio.Lock()
        self._token: _Token | None = None
        #: The last token that drew a 401: never taken back from the fleet's record.
        self._stale: str | None = None
        self._fleet = (FleetTokens(store, clock)
                       if store is not None and store.enabled else None)
        self._last_failure: str | None = None
        self._transport = transport
        self._timeout = timeout or httpx2.Timeout(10.0)
        self._headers = dict(headers or {})
        self._oauth: AsyncOAuth2Client | None = None

    def _session(self) -> AsyncOAuth2Client:
        """The OAuth session, built on first use over the shared transport when there is one
        (so no TLS context or connection pool per credential set)."""
        if self._oauth is None:
            credentials = self._credentials
            self._oauth = AsyncOAuth2Client(
                client_id=credentials.client_id,
                client_secret=_reveal(credentials.client_secret),
                token_endpoint_auth_method=_auth_method(credentials),
                transport=self._transport, timeout=self._timeout, headers=self._headers,
                trust_env=False)
            self._oauth.register_compliance_hook("access_token_response", _check_token_response)
            self._oauth.register_compliance_hook("refresh_token_response",
                                                 _check_token_response)
        return self._oauth

    @property
    def mode(self) -> AuthMode:
        """The grant in use (anonymous, client_credentials or password)."""
        return self._credentials.mode

    @property
    def credentials(self) -> Credentials:
        """The credential set in use (for a fleet-wide fingerprint; never log its values)."""
        return self._credentials

    @property
    def fingerprint(self) -> str:
        """A hash identifying this manager's credential set (never the values themselves)."""
        return self._credentials.fingerprint()

    async def access_token(self) -> str | None:
        """A usable access token (None in anonymous mode), obtaining one if needed.

        Raises `Unauthorised` when the upstream rejects the credentials, `Unavailable`,
        `RateLimited` or `BadResponse` when the token endpoint fails.
        """
        if self.mode is AuthMode.ANONYMOUS:
            return None
        token = self._token
        if token is None or not token.usable(self._clock()):
            token = await self._renew()
        return token.access_token

    def invalidate(self, stale: str | None = None) -> None:
        """Stop using the current token (it drew a 401). With `stale`, only if that token is
        still the current one, so many requests failing with the same token renew it once.
        A refresh token, if any, is kept for the renewal. The fleet's record is replaced by
        the renewal only while it still holds this token, so the fleet renews it once."""
        token = self._token
        if token is None or (stale is not None and token.access_token != stale):
            return
        self._stale = token.access_token
        self._token = replace(token, expires_at=-math.inf)

    def check(self) -> tuple[bool, str]:
        """Readiness from the last known state, without contacting the login service: not
        ready while the last token request failed (and, once rejected, until the backoff)."""
        if self.mode is AuthMode.ANONYMOUS:
            return True, "anonymous upstream access"
        token = self._token
        if token is not None and token.usable(self._clock()):
            return True, f"upstream token available ({self.mode.value} grant)"
        if self._last_failure is not None:
            return False, self._last_failure
        return True, f"upstream token obtained on first use ({self.mode.value} grant)"

    async def aclose(self) -> None:
        """Close the token session (and its transport, when this manager created it)."""
        if self._oauth is not None and self._transport is None:
            await self._oauth.aclose()

    async def _renew(self) -> _Token:
        async with self._lock:
            # Another caller may have renewed it while this one waited for the lock.
            current = self._token
            if current is not None and current.usable(self._clock()):
                return current
            self._refuse_while_backing_off()
            try:
                token = await self._obtain_shared(current)
            except UpstreamBusy:
                raise  # this server's own pacing, not the login service's state
            except TabError as exc:
                self._last_failure = exc.message
                if isinstance(exc, Unauthorised) and self._rejections is not None:
                    delay = self._rejections.record(self.fingerprint)
                    log.warning("upstream credentials rejected; backing off",
                                retry_in=round(delay))
                raise
            self._last_failure = None
            if self._rejections is not None:
                self._rejections.clear(self.fingerprint)
            self._token = token
            return token

    def _refuse_while_backing_off(self) -> None:
        if self._rejections is None:
            return
        wait = self._rejections.blocked_for(self.fingerprint)
        if wait > 0 and self._reload is not None:
            fresh = self._reload()  # a rotated secret is tried at once
            if fresh != self._credentials:
                self._use_credentials(fresh)
                wait = self._rejections.blocked_for(self.fingerprint)
        if wait > 0:
            message = (f"Tabcorp rejected these credentials; they are not tried again for "
                       f"{max(1, round(wait))} s (check them).")
            self._last_failure = self._last_failure or message
            raise Unauthorised(message, code="rejected")

    async def _obtain_shared(self, current: _Token | None) -> _Token:
        fleet = self._fleet
        if fleet is None:
            return await self._obtain(current)
        return await fleet.obtain(lambda: self._credentials, current, self._stale, self._obtain)

    async def _obtain(self, previous: _Token | None) -> _Token:
        try:
            return await self._grant(previous)
        except Unauthorised as exc:
            if exc.code != "invalid_client" or self._reload is None:
                raise
            fresh = self._reload()
            if fresh == self._credentials:
                raise
            log.info("upstream credentials reloaded after invalid_client")
            self._use_credentials(fresh)
            return await self._grant(None)

    def _use_credentials(self, credentials: Credentials) -> None:
        self._credentials = credentials
        if self._oauth is not None:
            self._oauth.client_id = credentials.client_id
            self._oauth.client_secret = _reveal(credentials.client_secret)
            self._oauth.token_endpoint_auth_method = _auth_method(credentials)

    async def _grant(self, previous: _Token | None) -> _Token:
        credentials = self._credentials
        if credentials.mode is AuthMode.CLIENT_CREDENTIALS:
            return await self._request("client_credentials")
        if previous is not None and previous.refresh_token:
            try:
                return await self._request("refresh_token", refresh_token=previous.refresh_token)
            except Unauthorised as exc:
                if exc.code != "invalid_grant":
                    raise
                # The refresh token was revoked, expired or already rotated: log in again.
                log.info("upstream refresh token rejected; using the password grant")
        return await self._request("password")

    async def _request(self, grant: str, *, refresh_token: str | None = None) -> _Token:
        if self._limiter is not None:
            await self._limiter.acquire()
        credentials = self._credentials
        oauth = self._session()
        try:
            if grant == "refresh_token":
                raw = await oauth.refresh_token(self._token_url,
                                                      refresh_token=refresh_token)
            elif grant == "password":
                raw = await oauth.fetch_token(
                    self._token_url, grant_type="password",
                    username=_reveal(credentials.username), password=_reveal(credentials.password))
            else:
                raw = await oauth.fetch_token(self._token_url, grant_type="client_credentials")
        except _TokenEndpointError as exc:
            self._record(grant, exc.outcome)
            raise exc.error from None
        except OAuthError as exc:
            error = str(exc.error or "")
            error = error if _OAUTH_CODE.fullmatch(error) else "rejected"
            outcome = error if error in ("invalid_grant", "invalid_client") else "rejected"
            self._record(grant, outcome)
            log.warning("upstream token request rejected", grant=grant, error=error)
            raise Unauthorised(_rejection_message(grant, error), code=error) from None
        except httpx2.TimeoutException:
            self._record(grant, "unavailable")
            raise Unavailable("The TAB login service did not answer in time; try again "
                              "shortly.") from None
        except httpx2.TransportError:
            self._record(grant, "unavailable")
            raise Unavailable("The TAB login service could not be reached; try again "
                              "shortly.") from None
        token = self._parse(grant, dict(raw), refresh_token)
        self._record(grant, "ok")
        log.info("upstream token obtained", grant=grant,
                 expires_in=None if math.isinf(token.expires_at) else round(
                     token.expires_at - self._clock()))
        return token

    def _parse(self, grant: str, raw: dict[str, Any], previous_refresh: str | None) -> _Token:
        access = raw.get("access_token")
        if not isinstance(access, str) or not access:
            self._record(grant, "bad_response")
            raise BadResponse("The TAB login service answered without an access token.",
                              content_type="application/json", excerpt="")
        refresh = raw.get("refresh_token")
        if not isinstance(refresh, str) or not refresh:
            refresh = previous_refresh if grant == "refresh_token" else None
        now = self._clock()
        expires_in = raw.get("expires_in")
        try:
            lifetime = float(expires_in) if expires_in is not None else math.inf
        except (TypeError, ValueError):
            lifetime = math.inf
        if not lifetime > 0:
            lifetime = math.inf
        # A leeway longer than the lifetime would renew on every request.
        leeway = 0.0 if math.isinf(lifetime) else min(MAX_LEEWAY, max(lifetime, 0) / 2)
        return _Token(access_token=access, refresh_token=refresh, expires_at=now + lifetime,
                      leeway=leeway)

    @staticmethod
    def _record(grant: str, outcome: str) -> None:
        TOKEN_REQUESTS.labels(grant=grant, outcome=outcome).inc()


def _reveal(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _auth_method(credentials: Credentials) -> Callable[..., Any]:
    # TAB authenticates clients by form fields; a client without a secret is a public client.
    return _client_secret_post if credentials.client_secret else _public_client


def _client_secret_post(client: Any, method: str, uri: str, headers: dict[str, str],
                        body: Any) -> tuple[str, dict[str, str], str]:
    """authlib's `client_secret_post`, for a body of any characters: authlib re-parses the
    form body as bytes and then fails to encode a non-ASCII (UTF-8) value back."""
    return _with_form_fields(headers, body, [("client_id", client.client_id),
                                             ("client_secret", client.client_secret or "")], uri)


def _public_client(client: Any, method: str, uri: str, headers: dict[str, str],
                   body: Any) -> tuple[str, dict[str, str], str]:
    """authlib's `none` (a public client names itself in the form), for any characters."""
    return _with_form_fields(headers, body, [("client_id", client.client_id)], uri)


def _with_form_fields(headers: dict[str, str], body: Any, fields: list[tuple[str, str]],
                      uri: str) -> tuple[str, dict[str, str], str]:
    text = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
    form = urlencode([*parse_qsl(text, keep_blank_values=True), *fields])
    if "Content-Length" in headers:
        headers["Content-Length"] = str(len(form.encode()))
    return uri, headers, form


def _rejection_message(grant: str, error: str) -> str:
    if error == "invalid_client":
        return ("The TAB login service rejected the client credentials (check TAB_CLIENT_ID and "
                "TAB_CLIENT_SECRET).")
    if grant == "password":
        return ("The TAB login service rejected the account credentials (check TAB_USERNAME and "
                "TAB_PASSWORD).")
    if grant == "refresh_token":
        return "The TAB login service rejected the saved session; it will log in again."
    return f"The TAB login service refused a token ({error})."
