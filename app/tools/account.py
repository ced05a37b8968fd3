"""The account toolset: balance, running and settled bets, recent transactions.

Amounts are numbers in dollars; times are UTC and Australian (Sydney) local; the account
number is shown by its last three digits only. Every result carries the care line.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult
from pydantic import Field

from app.betting.money import amount, masked, parse_time, times
from app.domain.credentials import AuthMode
from app.request_config.model import SessionConfig
from app.services import Services
from app.tab.account_client import AccountClient
from app.tab.shapes import record_list, records
from app.tools.base import OutputModel, structured
from app.tools.calls import session_config, upstream_tool
from app.tools.care import CARE_LINE

#: The endpoint label the shape boundary names in its log lines.
_ACCOUNT = "account-service"


def session_account(session: SessionConfig | None) -> str | None:
    """The account number of a session that brought its own account (password grant)."""
    if (session is None or session.tab_username is None
            or session.credentials.mode is not AuthMode.PASSWORD):
        return None
    return session.tab_username.get_secret_value()


def account_client(services: Services, ctx: Context) -> AccountClient:
    """The client for the session's own account if it brought one, else the server's."""
    accounts = services.account
    session = session_config(ctx)
    number = session_account(session)
    if accounts is not None and number is not None:
        return accounts.client.using(services.client_for(session).tokens, number)
    if accounts is None or not accounts.holds_account:
        raise ToolError("no TAB account to read: neither this server nor this session holds "
                        "account credentials (an account number and password)")
    return accounts.client


class Balance(OutputModel):
    """Dollars."""

    account: str
    balance: float | None
    withdrawable: float | None
    care: str = CARE_LINE


class BetLeg(OutputModel):
    """One leg: the race (or match), the selection, its start."""

    event: str
    selection: str
    start: dict[str, str] | None = None


class AccountBet(OutputModel):
    """One bet; amounts in dollars, `returned` once settled."""

    ticket: str | None
    description: str | None
    bet_type: str | None
    status: str
    result: str | None = None
    stake: float | None = None
    total_cost: float | None = None
    odds: float | None = None
    potential_return: float | None = None
    returned: float | None = None
    placed: dict[str, str] | None = None
    settled: dict[str, str] | None = None
    legs: list[BetLeg] = Field(default_factory=list)


class AccountBets(OutputModel):
    """The account's bets, latest first."""

    bets: list[AccountBet]
    care: str = CARE_LINE


class Transaction(OutputModel):
    """One transaction; `amount` negative when money left the account."""

    time: dict[str, str] | None
    type: str | None
    amount: float | None
    balance: float | None
    description: str | None


class Transactions(OutputModel):
    """Recent transactions, latest first."""

    transactions: list[Transaction]
    care: str = CARE_LINE


def _leg(leg: dict[str, Any]) -> BetLeg:
    if leg.get("matchName"):
        return BetLeg(event=str(leg.get("matchName")),
                      selection=f"{leg.get('marketName')}: {leg.get('propositionName')}",
                      start=times(parse_time(leg.get("startTime"))))
    number, name = leg.get("runnerNumber"), leg.get("runnerName") or ""
    return BetLeg(event=f"{leg.get('meetingName')} R{leg.get('raceNumber')}",
                  selection=f"{number}. {name}" if number is not None else str(name),
                  start=times(parse_time(leg.get("raceStartTime"))))


def shape_bet(item: dict[str, Any]) -> AccountBet:
    """One upstream bet as the tools give it."""
    status = "running" if item.get("status") == "Unresulted" else "settled"
    return AccountBet(
        ticket=str(item["betId"]) if item.get("betId") is not None else None,
        description=item.get("description"), bet_type=item.get("betType"), status=status,
        result=item.get("result"), stake=amount(item.get("stake")),
        total_cost=amount(item.get("totalCost")), odds=amount(item.get("odds")),
        potential_return=amount(item.get("potentialReturn")),
        returned=amount(item.get("returnAmount")),
        placed=times(parse_time(item.get("placedTime"))),
        settled=times(parse_time(item.get("settledTime"))),
        legs=[_leg(leg) for leg in record_list(item.get("legs"), "legs", _ACCOUNT)])


@upstream_tool(title="Account balance")
async def account_balance(services: Services, ctx: Context
                          ) -> Annotated[CallToolResult, Balance]:
    """The TAB account's balance and withdrawable balance, in dollars."""
    client = account_client(services, ctx)
    body = await client.balance()
    body = body if isinstance(body, dict) else {}
    return structured(Balance(account=masked(client.account_number),
                              balance=amount(body.get("accountBalance")),
                              withdrawable=amount(body.get("withdrawalBalance"))))


@upstream_tool(title="Account bets")
async def account_bets(
    services: Services,
    ctx: Context,
    status: Literal["running", "settled", "all"] = "all",
    count: Annotated[int, Field(ge=1, le=50)] = 20,
) -> Annotated[CallToolResult, AccountBets]:
    """The account's bets, latest first: what, where, stake, price, potential return, result."""
    body = await account_client(services, ctx).bets(status, count)
    items = records(body, "bets", _ACCOUNT)
    return structured(AccountBets(bets=[shape_bet(i) for i in items if isinstance(i, dict)]))


@upstream_tool(title="Account transactions")
async def account_transactions(
    services: Services, ctx: Context, count: Annotated[int, Field(ge=1, le=50)] = 20,
) -> Annotated[CallToolResult, Transactions]:
    """The account's recent transactions (bets, returns, deposits), latest first."""
    body = await account_client(services, ctx).transactions(count)
    items = records(body, "transactions", _ACCOUNT)
    return structured(Transactions(transactions=[Transaction(
        time=times(parse_time(i.get("transactionTime"))), type=i.get("type"),
        amount=amount(i.get("amount")), balance=amount(i.get("balance")),
        description=i.get("description")) for i in items if isinstance(i, dict)]))
