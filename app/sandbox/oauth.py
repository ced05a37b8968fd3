"""The sandbox's OAuth 2.0 token endpoint, its token store and the bearer check of the info routes.

Behaviour follows RFC 6749: form-encoded requests only; grants `client_credentials`, `password`
and `refresh_token`; client authentication by form fields or HTTP Basic; refresh tokens (issued
for the password and refresh grants only) rotate on use. Token lifetimes run on the injected
`Clock`, so tests expire tokens by moving the clock.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hmac
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from app.sandbox.clock import Clock
from app.sandbox.stats import SandboxStats

TOKEN_PATH = "/oauth/token"  # noqa: S105 (a path, not a secret)
ADMIN_PREFIX = "/_sandbox"

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class BearerStatus(enum.Enum):
    """What the store knows about a presented access token."""

    VALID = "valid"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass
class _AccessToken:
    client_id: str
    grant: str
    username: str | None
    scope: str | None
    expires_at: datetime
    revoked: bool = False
    expired: bool = False


@dataclass(frozen=True)
class _RefreshToken:
    client_id: str
    username: str | None
    scope: str | None


@dataclass(frozen=True)
class IssuedTokens:
    """The outcome of a successful grant."""

    access_token: str
    expires_in: int
    refresh_token: str | None
    scope: str | None


def _same_secret(given: str, expected: str) -> bool:
    # bytes, because compare_digest refuses non-ASCII str
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class Credentials:
    """The registered clients (id → secret) and accounts (username → password)."""

    def __init__(self, clients: Mapping[str, str], accounts: Mapping[str, str]) -> None:
        self._lock = threading.Lock()
        self._clients = dict(clients)
        self._accounts = dict(accounts)

    def set_client(self, client_id: str, client_secret: str) -> None:
        """Add a client or rotate its secret."""
        with self._lock:
            self._clients[client_id] = client_secret

    def replace(self, clients: Mapping[str, str], accounts: Mapping[str, str]) -> None:
        """Replace every client and account."""
        with self._lock:
            self._clients = dict(clients)
            self._accounts = dict(accounts)

    def client_ids(self) -> list[str]:
        """The registered client ids (never the secrets)."""
        with self._lock:
            return sorted(self._clients)

    def verify_client(self, client_id: str, secret: str) -> bool:
        """Whether `secret` is the secret of `client_id`."""
        with self._lock:
            expected = self._clients.get(client_id)
        if expected is None:
            _same_secret(secret, secret)  # keep the timing of unknown and known ids alike
            return False
        return _same_secret(secret, expected)

    def verify_account(self, username: str, password: str) -> bool:
        """Whether `password` is the password of account `username`."""
        with self._lock:
            expected = self._accounts.get(username)
        if expected is None:
            _same_secret(password, password)
            return False
        return _same_secret(password, expected)


class TokenStore:
    """Issued access and refresh tokens. Safe to use from several threads and tasks."""

    def __init__(self, clock: Clock, expires_in: int) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._access: dict[str, _AccessToken] = {}
        self._refresh: dict[str, _RefreshToken] = {}
        self.expires_in = expires_in

    def issue(
        self,
        *,
        client_id: str,
        grant: str,
        username: str | None,
        scope: str | None,
        with_refresh: bool,
    ) -> IssuedTokens:
        """Mint an access token (and a refresh token when asked)."""
        access = secrets.token_urlsafe(32)
        refresh = secrets.token_urlsafe(32) if with_refresh else None
        with self._lock:
            expires_in = self.expires_in
            self._access[access] = _AccessToken(
                client_id=client_id,
                grant=grant,
                username=username,
                scope=scope,
                expires_at=self._clock.now() + timedelta(seconds=expires_in),
            )
            if refresh is not None:
                self._refresh[refresh] = _RefreshToken(client_id, username, scope)
        return IssuedTokens(access, expires_in, refresh, scope)

    def redeem_refresh(self, token: str, client_id: str) -> _RefreshToken | None:
        """Use up a refresh token of `client_id`; None if unknown, used, revoked or foreign."""
        with self._lock:
            record = self._refresh.get(token)
            if record is None or record.client_id != client_id:
                return None
            del self._refresh[token]
            return record

    def check(self, token: str) -> BearerStatus:
        """The state of an access token right now."""
        with self._lock:
            record = self._access.get(token)
            if record is None:
                return BearerStatus.UNKNOWN
            if record.revoked:
                return BearerStatus.REVOKED
            if record.expired or self._clock.now() >= record.expires_at:
                return BearerStatus.EXPIRED
            return BearerStatus.VALID

    def account_of(self, token: str) -> str | None:
        """The account a live password-grant (or refreshed) token acts for; None otherwise."""
        with self._lock:
            record = self._access.get(token)
        if record is None or self.check(token) is not BearerStatus.VALID:
            return None
        return record.username

    def revoke_access(self, token: str) -> bool:
        """Revoke one access token; False if it was never issued."""
        with self._lock:
            record = self._access.get(token)
            if record is None:
                return False
            record.revoked = True
            return True

    def revoke_refresh(self, token: str) -> bool:
        """Revoke one refresh token; False if it is unknown or already used."""
        with self._lock:
            return self._refresh.pop(token, None) is not None

    def revoke_all(self) -> int:
        """Revoke every access and refresh token; returns how many tokens were live."""
        with self._lock:
            live = sum(1 for r in self._access.values() if not r.revoked) + len(self._refresh)
            for record in self._access.values():
                record.revoked = True
            self._refresh.clear()
            return live

    def expire_all(self) -> int:
        """Expire every issued access token now; returns how many there are."""
        with self._lock:
            for record in self._access.values():
                record.expired = True
            return len(self._access)

    def clear(self) -> None:
        """Forget every token (they then count as unknown)."""
        with self._lock:
            self._access.clear()
            self._refresh.clear()


class TokenRequestError(Exception):
    """An RFC 6749 §5.2 error response."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description

    def response(self) -> JSONResponse:
        """The error as the token endpoint answers it."""
        headers = dict(_NO_STORE)
        if self.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="oauth"'
        return JSONResponse(
            {"error": self.error, "error_description": self.description},
            status_code=self.status,
            headers=headers,
        )


def _invalid_request(description: str) -> TokenRequestError:
    return TokenRequestError(400, "invalid_request", description)


def _invalid_client() -> TokenRequestError:
    return TokenRequestError(401, "invalid_client", "client authentication failed")


def _invalid_grant(description: str) -> TokenRequestError:
    return TokenRequestError(400, "invalid_grant", description)


async def _form(request: Request) -> dict[str, str]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        raise _invalid_request("the token request must be application/x-www-form-urlencoded")
    try:
        pairs = parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError as exc:
        raise _invalid_request("the token request body is not UTF-8") from exc
    form: dict[str, str] = {}
    for key, value in pairs:
        if key in form:
            raise _invalid_request(f"parameter {key!r} is repeated")
        form[key] = value
    return form


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid_client() from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    client_id, colon, secret = text.partition(":")
    if not colon:
        raise _invalid_client()
    return client_id, secret


class TokenEndpoint:
    """`POST /oauth/token`."""

    def __init__(self, tokens: TokenStore, credentials: Credentials, stats: SandboxStats) -> None:
        self._tokens = tokens
        self._credentials = credentials
        self._stats = stats

    def route(self) -> Route:
        """The Starlette route serving the endpoint."""
        return Route(TOKEN_PATH, self.handle, methods=["POST"])

    async def handle(self, request: Request) -> Response:
        """Answer one token request."""
        grant = ""
        try:
            form = await _form(request)
            grant = form.get("grant_type", "")
            issued = self._grant(request, form, grant)
        except TokenRequestError as exc:
            self._stats.count_token_request(grant, failed=True)
            return exc.response()
        self._stats.count_token_request(grant, failed=False)
        body: dict[str, Any] = {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
        }
        if issued.refresh_token is not None:
            body["refresh_token"] = issued.refresh_token
        if issued.scope:
            body["scope"] = issued.scope
        return JSONResponse(body, headers=_NO_STORE)

    def _grant(self, request: Request, form: dict[str, str], grant: str) -> IssuedTokens:
        if not grant:
            raise _invalid_request("grant_type is missing")
        if grant not in ("client_credentials", "password", "refresh_token"):
            raise TokenRequestError(
                400, "unsupported_grant_type", f"grant_type {grant!r} is not supported"
            )
        client_id = self._authenticate_client(request, form)
        scope = form.get("scope") or None
        if grant == "client_credentials":
            return self._tokens.issue(
                client_id=client_id, grant=grant, username=None, scope=scope, with_refresh=False
            )
        if grant == "password":
            username, password = form.get("username"), form.get("password")
            if not username or password is None:
                raise _invalid_request("username and password are required")
            if not self._credentials.verify_account(username, password):
                raise _invalid_grant("wrong username or password")
            return self._tokens.issue(
                client_id=client_id, grant=grant, username=username, scope=scope, with_refresh=True
            )
        presented = form.get("refresh_token")
        if not presented:
            raise _invalid_request("refresh_token is missing")
        record = self._tokens.redeem_refresh(presented, client_id)
        if record is None:
            raise _invalid_grant("the refresh token is invalid, used, revoked or not yours")
        return self._tokens.issue(
            client_id=client_id,
            grant=grant,
            username=record.username,
            scope=scope or record.scope,
            with_refresh=True,
        )

    def _authenticate_client(self, request: Request, form: dict[str, str]) -> str:
        basic = _basic_credentials(request.headers.get("authorization", ""))
        if basic is not None:
            client_id, secret = basic
            if form.get("client_id") not in (None, client_id):
                raise _invalid_client()
            # RFC 6749 §2.3.1 form-encodes both parts before Basic; many clients send them raw.
            candidates = {(client_id, secret), (unquote(client_id), unquote(secret))}
            for candidate_id, candidate_secret in candidates:
                if self._credentials.verify_client(candidate_id, candidate_secret):
                    return candidate_id
            raise _invalid_client()
        form_id = form.get("client_id")
        form_secret = form.get("client_secret")
        if not form_id or form_secret is None:
            raise _invalid_client()
        if not self._credentials.verify_client(form_id, form_secret):
            raise _invalid_client()
        return form_id


def bearer_problem(authorization: str | None, tokens: TokenStore) -> str | None:
    """Why a request's `Authorization` header is refused, or None if it may pass.

    No header at all is fine (the info service is public); a header that is present must carry
    a live bearer token that this sandbox issued.
    """
    if authorization is None:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return "only Bearer authorization is accepted"
    token = token.strip()
    if not token:
        return "the bearer token is empty"
    status = tokens.check(token)
    if status is BearerStatus.VALID:
        return None
    return f"the bearer token is {status.value}"


class BearerMiddleware:
    """Refuses info-service requests whose bearer token is empty, unknown, expired or revoked."""

    def __init__(self, app: ASGIApp, tokens: TokenStore) -> None:
        self.app = app
        self.tokens = tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path == TOKEN_PATH or path.startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        values = [v for k, v in scope["headers"] if k == b"authorization"]
        authorization = values[0].decode("latin-1") if values else None
        problem = bearer_problem(authorization, self.tokens)
        if problem is None:
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"error": {"code": "UNAUTHORIZED", "message": problem, "details": []}},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
        await response(scope, receive, send)
