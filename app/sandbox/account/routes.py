"""The account, pricing and betting routes, all on the sandbox's one host.

Real paths live on two hosts (`webapi.tab.com.au/v1` for account-service and
tab-betting-service, `api.beta.tab.com.au/v1` for pricing-service); the sandbox answers both
under the same `/v1` prefixes. Every route but the public enquiry needs an account token:
`Authorization: Bearer <password-grant token>` or the legacy `TabcorpAuth: <token>` header.
No token or a dead one is 401; a client-credentials token or another account's is 403.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.sandbox.account import bodies
from app.sandbox.account.pricing import BadBet
from app.sandbox.routes import error_body, error_response, int_param
from app.sandbox.state import SandboxState
from app.sandbox.world.errors import WorldError

ACCOUNT_ROOT = "/v1/account-service/tab"
BETTING_ROOT = "/v1/tab-betting-service"
PRICING_ROOT = "/v1/pricing-service"
_JURISDICTION = re.compile(r"[A-Z]{2,3}")

Endpoint = Callable[[Request], Awaitable[Response]]


class Refused(Exception):
    """A request refused before it reaches the account (401/403/400)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code

    def response(self) -> JSONResponse:
        """The refusal in the upstream envelope."""
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if self.status == 401 else {}
        return JSONResponse(error_body(self.code, str(self), None, None),
                            status_code=self.status, headers=headers)


def presented_token(request: Request) -> str | None:
    """The token a request carries: a bearer, the `TabcorpAuth` header or query parameter."""
    scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("tabcorpauth") or request.query_params.get("TabcorpAuth") or None


async def json_body(request: Request) -> Any:
    """The request's JSON body (400 when it is not JSON)."""
    try:
        return json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Refused(400, "INVALID_SYNTAX_ERROR", "the body must be JSON") from None
    except ClientDisconnect:  # the client gave up before the body was read: nothing happens
        raise Refused(400, "CLIENT_DISCONNECTED", "the client went away") from None


def _jurisdiction(request: Request, default: str) -> str:
    value = request.query_params.get("jurisdiction", default)
    if not _JURISDICTION.fullmatch(value):
        raise Refused(400, "INVALID_SYNTAX_ERROR", f"jurisdiction '{value}' is not valid")
    return value


def guarded(endpoint: Endpoint) -> Endpoint:
    """`endpoint`, answering refusals and unreadable bets in the upstream envelope."""
    async def run(request: Request) -> Response:
        try:
            return await endpoint(request)
        except Refused as exc:
            return exc.response()
        except BadBet as exc:
            return JSONResponse(error_body("INVALID_SYNTAX_ERROR", str(exc), exc.path, None),
                                status_code=400)
        except WorldError as exc:
            return error_response(exc)

    return run


class AccountRoutes:
    """The account endpoints bound to one sandbox's state."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def routes(self) -> list[BaseRoute]:
        """Every account, pricing and betting route."""
        accounts, betting = ACCOUNT_ROOT + "/accounts/{n}", BETTING_ROOT + "/accounts/{n}"
        table: list[tuple[str, Endpoint, str]] = [
            (ACCOUNT_ROOT + "/authenticate", self.authenticate, "POST"),
            (accounts + "/balance", self.balance, "GET"),
            (ACCOUNT_ROOT + "/customers/{customer}/account-list", self.account_list, "GET"),
            (accounts + "/my-bets", self.my_bets, "GET"),
            (accounts + "/transactions", self.transactions, "GET"),
            (accounts + "/transactional-records", self.transactions, "GET"),
            (PRICING_ROOT + "/enquiry", self.public_enquiry, "POST"),
            (PRICING_ROOT + "/accounts/{n}/enquiry", self.enquiry, "POST"),
            (betting + "/betslip-enquiry", self.betslip_enquiry, "POST"),
            (betting + "/betslip", self.betslip, "POST"),
        ]
        return [Route(path, guarded(fn), methods=[m]) for path, fn, m in table]

    def _account_number(self, request: Request) -> str:
        token = presented_token(request)
        if token is None:
            raise Refused(401, "UNAUTHORIZED", "this endpoint needs an account token "
                          "(a password-grant bearer or TabcorpAuth)")
        owner = self.state.tokens.account_of(token)
        if owner is None and self.state.tokens.check(token).value != "valid":
            raise Refused(401, "UNAUTHORIZED", "the account token is unknown, expired or revoked")
        if owner is None:
            raise Refused(403, "FORBIDDEN", "a client-credentials token cannot act for an "
                          "account; sign in with the password grant")
        wanted = request.path_params.get("n")
        if wanted is not None and wanted != owner:
            raise Refused(403, "FORBIDDEN", "the token does not belong to this account")
        return owner

    def _auth(self, request: Request) -> dict[str, Any]:
        token = presented_token(request) or ""
        return bodies.authentication(token, self.state.world.clock.now(),
                                     self.state.tokens.expires_in)

    async def authenticate(self, request: Request) -> Response:
        """`POST /account-service/tab/authenticate`: account number and password → token."""
        data = await json_body(request)
        if not isinstance(data, dict):
            raise Refused(400, "INVALID_SYNTAX_ERROR", "the body must be a JSON object")
        number, password = str(data.get("accountNumber", "")), data.get("password")
        if not isinstance(password, str) or not self.state.credentials.verify_account(
                number, password):
            raise Refused(401, "INVALID_CREDENTIALS", "wrong account number or password")
        issued = self.state.tokens.issue(client_id="tab-web", grant="password", username=number,
                                         scope="*", with_refresh=False)
        account = self.state.account.account(number)
        auth = bodies.authentication(issued.access_token, self.state.world.clock.now(),
                                     issued.expires_in)
        return JSONResponse(bodies.authenticated(account, auth))

    async def balance(self, request: Request) -> Response:
        """`GET …/accounts/{n}/balance`."""
        account = self.state.account.account(self._account_number(request))
        return JSONResponse(bodies.balance(account, self._auth(request)))

    async def account_list(self, request: Request) -> Response:
        """`GET …/customers/{customerId}/account-list`."""
        account = self.state.account.account(self._account_number(request))
        if request.path_params["customer"] != str(account.customer_id):
            raise Refused(403, "FORBIDDEN", "the token does not belong to this customer")
        return JSONResponse(bodies.account_list(account))

    async def my_bets(self, request: Request) -> Response:
        """`GET …/accounts/{n}/my-bets[?status=running|settled&count=N]` (unverified params)."""
        account = self.state.account.account(self._account_number(request))
        status = request.query_params.get("status", "all")
        if status not in ("all", "running", "settled"):
            raise Refused(400, "INVALID_SYNTAX_ERROR", "status must be running, settled or all")
        count = int_param(request.query_params, "count", 50, 1)
        wanted = {"all": ("Unresulted", "Resulted"), "running": ("Unresulted",),
                  "settled": ("Resulted",)}[status]
        found = [b for b in reversed(account.bets) if b.status in wanted][:count]
        return JSONResponse({"bets": [bodies.bet(b) for b in found]})

    async def transactions(self, request: Request) -> Response:
        """`GET …/accounts/{n}/transactions[?count=N]`, latest first (unverified shape)."""
        account = self.state.account.account(self._account_number(request))
        count = int_param(request.query_params, "count", 20, 1)
        items = [bodies.transaction(t) for t in reversed(account.transactions)][:count]
        return JSONResponse({"transactions": items})

    async def public_enquiry(self, request: Request) -> Response:
        """`POST /pricing-service/enquiry`: prices without decoTokens, no account needed."""
        data = await json_body(request)
        body = self.state.account.enquiry(None, data, _jurisdiction(request, "NSW"))
        return JSONResponse(body)

    async def enquiry(self, request: Request) -> Response:
        """`POST /pricing-service/accounts/{n}/enquiry`: prices and a decoToken per leg."""
        number = self._account_number(request)
        data = await json_body(request)
        body = self.state.account.enquiry(number, data, _jurisdiction(request, "NSW"))
        return JSONResponse(body)

    async def betslip_enquiry(self, request: Request) -> Response:
        """`POST …/betslip-enquiry`: the betslip's checks, nothing placed."""
        number = self._account_number(request)
        data = await json_body(request)
        status, body = self.state.account.betslip(number, data, _jurisdiction(request, "NSW"),
                                                  commit=False)
        return JSONResponse(body, status_code=status)

    async def betslip(self, request: Request) -> Response:
        """`POST …/betslip`: 201 always; a bet with populated `errors` did not go on."""
        number = self._account_number(request)
        data = await json_body(request)
        status, body = self.state.account.betslip(number, data, _jurisdiction(request, "NSW"))
        return JSONResponse(body, status_code=status)
