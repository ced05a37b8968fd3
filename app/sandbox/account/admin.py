"""Admin routes under `/_sandbox/account` for tests: read an account, set its balance and
maximum bet, move or suspend a proposition's price, settle now.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from app.sandbox.account import bodies
from app.sandbox.account.ledger import Account
from app.sandbox.account.money import dollars, parse_odds, parse_stake
from app.sandbox.account.routes import Endpoint, Refused, guarded, json_body
from app.sandbox.oauth import ADMIN_PREFIX
from app.sandbox.state import SandboxState

ROOT = ADMIN_PREFIX + "/account"


def _bad(message: str) -> Refused:
    return Refused(400, "INVALID_SANDBOX_REQUEST", message)


async def _object(request: Request) -> dict[str, Any]:
    data = await json_body(request)
    if not isinstance(data, dict):
        raise _bad("the body must be a JSON object")
    return data


def _proposition(data: dict[str, Any]) -> int:
    value = data.get("propositionId")
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad("propositionId must be an integer")
    return value


def summary(account: Account) -> dict[str, Any]:
    """The account as tests read it: amounts in cents and as the upstream writes them."""
    return {"accountNumber": account.account_number, "customerId": account.customer_id,
            "balanceCents": account.balance_cents, "balance": dollars(account.balance_cents),
            "withdrawableCents": account.withdrawable_cents, "maxBetCents": account.max_bet_cents,
            "bets": [bodies.bet(b) for b in account.bets],
            "transactions": len(account.transactions)}


class AccountAdmin:
    """The account admin endpoints bound to one sandbox's state."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state

    def routes(self) -> list[BaseRoute]:
        """Every account admin route."""
        table: list[tuple[str, Endpoint, list[str]]] = [
            ("/prices", self.prices, ["GET", "PUT"]),
            ("/suspended", self.suspended, ["PUT"]),
            ("/{n}", self.account, ["GET", "PUT"]),
            ("/{n}/bets", self.bets, ["GET"]),
        ]
        return [Route(ROOT + path, guarded(fn), methods=m) for path, fn, m in table]

    async def account(self, request: Request) -> Response:
        """`GET|PUT /_sandbox/account/{n}`; PUT `{"balance": "50.00", "maxBet": "20.00"}`."""
        book = self.state.account
        account = book.account(request.path_params["n"])
        if request.method == "PUT":
            data = await _object(request)
            unknown = set(data) - {"balance", "maxBet"}
            if unknown:
                raise _bad(f"unknown setting(s): {', '.join(sorted(unknown))}")
            if "maxBet" in data:
                cents = parse_stake(data["maxBet"])
                if cents is None:
                    raise _bad('maxBet must be an amount like "20.00"')
                account.max_bet_cents = cents
            if "balance" in data:
                cents = 0 if data["balance"] in ("0", "0.00", 0) else parse_stake(data["balance"])
                if cents is None:
                    raise _bad('balance must be an amount like "50.00"')
                book.adjust_balance(account, cents)
        return JSONResponse(summary(account))

    async def bets(self, request: Request) -> Response:
        """`GET /_sandbox/account/{n}/bets?transactionId=…`: the bets one betslip placed."""
        account = self.state.account.account(request.path_params["n"])
        wanted = request.query_params.get("transactionId")
        found = account.bets if wanted is None else account.bet_by_transaction(wanted)
        return JSONResponse({"bets": [bodies.bet(b) for b in found]})

    async def prices(self, request: Request) -> Response:
        """`GET|PUT /_sandbox/account/prices`; PUT `{"propositionId": n, "odds": 4.2|null}`."""
        adjustments = self.state.account.adjustments
        if request.method == "PUT":
            data = await _object(request)
            odds = parse_odds(data.get("odds"))
            if data.get("odds") is not None and odds is None:
                raise _bad("odds must be a decimal price above 1, or null to restore")
            adjustments.set_price(_proposition(data), odds)
        return JSONResponse(adjustments.snapshot())

    async def suspended(self, request: Request) -> Response:
        """`PUT /_sandbox/account/suspended` with `{"propositionId": n, "suspended": bool}`."""
        data = await _object(request)
        flag = data.get("suspended", True)
        if not isinstance(flag, bool):
            raise _bad("suspended must be true or false")
        self.state.account.adjustments.suspend(_proposition(data), flag)
        return JSONResponse(self.state.account.adjustments.snapshot())
