"""Requests to the account, pricing and betting endpoints (paths from `app.tab.account_paths`).

Reads are retried once with a fresh token on 401. A betslip is sent once: a failure before the
request left (no connection) means nothing was placed; any failure after it left (a timeout, a
reset, a 5xx or 429 answer, an unreadable body) is `OutcomeUnknown`, which the caller must
reconcile against the account's bets, never resend blindly. Tokens never appear in errors.
"""

from __future__ import annotations

import copy
import json
from typing import Any
from urllib.parse import urlsplit

import httpx2

from app.config import Settings
from app.setting_rules import is_loopback_host
from app.tab import account_paths
from app.tab.account_paths import DEFAULT_HOST_URLS, AccountRoute, Host
from app.tab.auth import TokenManager
from app.tab.errors import BadRequest, BadResponse, TabError, Unauthorised, Unavailable


class OutcomeUnknown(TabError):
    """The betslip was sent and its answer was lost: the bet may or may not stand."""


def account_host_url(settings: Settings) -> str:
    """The account host: `TAB_ACCOUNT_BASE_URL`, else the info host when it is a sandbox (one
    host serves both there), else the real account host."""
    if settings.tab_account_base_url:
        return settings.tab_account_base_url
    if settings.tab_sandbox or is_loopback_host(urlsplit(settings.tab_base_url).hostname):
        return settings.tab_base_url
    return DEFAULT_HOST_URLS[Host.ACCOUNT]


class AccountClient:
    """The account's reads, the pricing enquiry and the betslip, for one account."""

    def __init__(self, settings: Settings, tokens: TokenManager, account_number: str, *,
                 transport: httpx2.AsyncBaseTransport | None = None) -> None:
        self.account_number = account_number
        self.jurisdiction = settings.tab_jurisdiction
        self._tokens = tokens
        self._hosts = {Host.ACCOUNT: account_host_url(settings), Host.INFO: settings.tab_base_url}
        timeout = httpx2.Timeout(connect=settings.tab_connect_timeout,
                                 read=settings.tab_read_timeout,
                                 write=settings.tab_read_timeout,
                                 pool=settings.tab_connect_timeout)
        self._http = httpx2.AsyncClient(timeout=timeout, transport=transport,
                                        follow_redirects=False)
        self._owner = True

    def using(self, tokens: TokenManager, account_number: str) -> AccountClient:
        """A view of this client acting for another account with its own tokens (a session's
        own credentials), sharing the connection pool. Closing the view closes nothing."""
        view = copy.copy(self)
        view._tokens, view.account_number, view._owner = tokens, account_number, False
        return view

    async def aclose(self) -> None:
        """Close the connection pool (the client's own, never a view's)."""
        if self._owner:
            await self._http.aclose()

    async def balance(self) -> Any:
        """The balance body (`accountBalance`, `withdrawalBalance` as "$0.00" strings)."""
        return await self._read(account_paths.balance(self.account_number))

    async def bets(self, status: str = "all", count: int = 50) -> Any:
        """The `my-bets` body: `{bets: [...]}`, latest first."""
        return await self._read(account_paths.my_bets(self.account_number),
                                {"status": status, "count": str(count)})

    async def transactions(self, count: int = 20) -> Any:
        """The `transactions` body: `{transactions: [...]}`, latest first."""
        return await self._read(account_paths.transactions(self.account_number),
                                {"count": str(count)})

    async def enquiry(self, body: dict[str, Any]) -> Any:
        """Price `body`'s bets and mint a decoToken per leg (nothing placed)."""
        route = account_paths.pricing_enquiry(self.account_number)
        status, data = await self._exchange(route, body)
        return self._answer(status, data)

    async def betslip(self, body: dict[str, Any]) -> Any:
        """Send a betslip once. Raises `OutcomeUnknown` when it left and its answer was lost."""
        route = account_paths.betslip(self.account_number)
        try:
            status, data = await self._exchange(route, body)
        except httpx2.ConnectError:
            raise Unavailable("The TAB betting service could not be reached; the bet was not "
                              "sent.") from None
        except (httpx2.TransportError, BadResponse) as exc:
            raise OutcomeUnknown(f"The betslip was sent but its answer was lost "
                                 f"({type(exc).__name__}).") from None
        if status >= 500 or status == 429:
            raise OutcomeUnknown(f"The betslip was sent and the service answered HTTP {status};"
                                 " the bet may have been taken.", status=status)
        return self._answer(status, data)

    async def _read(self, route: AccountRoute, params: dict[str, str] | None = None) -> Any:
        try:
            status, data = await self._exchange(route, None, params)
        except httpx2.TransportError:
            raise Unavailable("The TAB account service could not be reached; try again "
                              "shortly.") from None
        if status >= 500 or status == 429:
            raise Unavailable(f"The TAB account service is unavailable (HTTP {status}); try "
                              "again shortly.", status=status)
        return self._answer(status, data)

    async def _exchange(self, route: AccountRoute, body: dict[str, Any] | None,
                        params: dict[str, str] | None = None) -> tuple[int, Any]:
        for fresh in (False, True):
            token = await self._tokens.access_token()
            query = {"jurisdiction": self.jurisdiction, **(params or {})}
            response = await self._http.request(
                route.method, self._hosts[route.host] + route.path, params=query, json=body,
                headers={"Authorization": f"Bearer {token}"} if token else None)
            if response.status_code == 401 and not fresh:
                self._tokens.invalidate(token)
                continue
            return response.status_code, _json(response)
        raise AssertionError("unreachable")

    @staticmethod
    def _answer(status: int, data: Any) -> Any:
        if 200 <= status < 300:
            return data
        error = data.get("error") if isinstance(data, dict) else None
        message = str(error.get("message", "")) if isinstance(error, dict) else ""
        if status in (401, 403):
            raise Unauthorised(f"The TAB account service refused access (HTTP {status})"
                               + (f": {message}" if message else "."), status=status)
        raise BadRequest(message or f"The TAB account service rejected the request "
                         f"(HTTP {status}).", status=status)


def _json(response: httpx2.Response) -> Any:
    try:
        return json.loads(response.content) if response.content else None
    except (json.JSONDecodeError, UnicodeDecodeError):
        if response.status_code >= 500:
            return None
        raise BadResponse("The TAB account service sent an unreadable answer.",
                          content_type=response.headers.get("content-type"), excerpt="",
                          status=response.status_code) from None
