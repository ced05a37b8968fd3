"""The sandbox's OAuth 2.0 token endpoint and the bearer check of the info routes.

Behaviour follows RFC 6749: form-encoded requests only; grants `client_credentials`, `password`
and `refresh_token`; client authentication by form fields or HTTP Basic; refresh tokens (issued
for the password and refresh grants only) rotate on use. Token lifetimes run on the injected
`Clock`, so tests expire tokens by moving the clock.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from app.sandbox.client_secrets import Credentials
from app.sandbox.stats import SandboxStats
from app.sandbox.tokens import BearerStatus, IssuedTokens, TokenStore

TOKEN_PATH = "/oauth/token"  # noqa: S105 (a path, not a secret)
ADMIN_PREFIX = "/_sandbox"

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


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
