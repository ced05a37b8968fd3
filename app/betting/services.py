"""The account side's long-lived objects: the account client and, when betting is on, the desk
with its journal (reconciled at start)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx2
import structlog

from app.betting.caps import Limits
from app.betting.desk import Desk
from app.betting.journal import Journal
from app.betting.quotes import QuoteSigner
from app.betting.switches import betting_refusal, holds_account
from app.config import Settings
from app.tab.account_client import AccountClient
from app.tab.auth import TokenManager

_log = structlog.get_logger(__name__)
#: How long start-up waits to reconcile the journal before serving anyway.
RECONCILE_AT_START_S = 10.0


@dataclass
class AccountServices:
    """The server's account client, and its betting desk when betting is switched on."""

    client: AccountClient
    desk: Desk | None

    async def aclose(self) -> None:
        """Close the client and the journal."""
        await self.client.aclose()
        if self.desk is not None:
            self.desk.journal.close()


async def open_account(settings: Settings, tokens: TokenManager,
                       transport: httpx2.AsyncBaseTransport | None) -> AccountServices | None:
    """The account services when the server holds an account; the journal reconciled."""
    if not holds_account(settings) or settings.tab_username is None:
        return None
    client = AccountClient(settings, tokens, settings.tab_username.get_secret_value(),
                           transport=transport)
    if betting_refusal(settings) is not None:
        return AccountServices(client, None)
    path = settings.tab_mcp_bet_journal or settings.tab_mcp_data_dir / "bets.sqlite3"
    desk = Desk(client, QuoteSigner(settings), Journal(path), Limits.of(settings))
    try:
        settled = await asyncio.wait_for(desk.reconcile_journal(), RECONCILE_AT_START_S)
        if settled:
            _log.info("reconciled bet attempts left unsettled", settled=settled)
    except TimeoutError:
        _log.warning("could not reconcile the bet journal at start; it is retried per quote")
    return AccountServices(client, desk)
