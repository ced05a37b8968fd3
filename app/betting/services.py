"""The account side's long-lived objects: the account client and, when betting is on, the desk
with its journal (reconciled at start)."""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass

import httpx2
import structlog

from app.betting.caps import Limits
from app.betting.desk import Desk
from app.betting.fleet_journal import FleetJournal
from app.betting.journal import Journal
from app.betting.quotes import QuoteSigner
from app.betting.switches import betting_refusal, holds_account
from app.config import Settings, SettingsError
from app.store import SharedStore
from app.tab.account_client import AccountClient
from app.tab.auth import TokenManager

_log = structlog.get_logger(__name__)
#: How long start-up waits to reconcile the journal before serving anyway.
RECONCILE_AT_START_S = 10.0


@dataclass
class AccountServices:
    """The account client (acting for the server's account when it holds one, else only the
    pool that sessions' own accounts use), and the betting desk when betting is switched on."""

    client: AccountClient
    desk: Desk | None
    holds_account: bool

    async def aclose(self) -> None:
        """Close the client and the journal."""
        await self.client.aclose()
        if self.desk is not None:
            self.desk.journal.close()


async def open_account(settings: Settings, tokens: TokenManager,
                       transport: httpx2.AsyncBaseTransport | None,
                       store: SharedStore | None = None) -> AccountServices:
    """The account services; with betting on, the journal reconciled (with an enabled
    `store`, the fleet's journal: see `app.betting.fleet_journal`)."""
    number = (settings.tab_username.get_secret_value()
              if holds_account(settings) and settings.tab_username is not None else None)
    client = AccountClient(settings, tokens, number or "", transport=transport)
    if number is None or betting_refusal(settings) is not None:
        return AccountServices(client, None, number is not None)
    path = settings.tab_mcp_bet_journal or settings.tab_mcp_data_dir / "bets.sqlite3"
    try:
        journal = Journal(path)
    except (OSError, sqlite3.Error) as exc:
        await client.aclose()
        raise SettingsError(f"TAB_MCP_BET_JOURNAL: cannot open {path} ({exc}); point "
                            "TAB_MCP_DATA_DIR at a writable, persistent folder") from None
    desk = Desk(client, QuoteSigner(settings), FleetJournal(journal, store),
                Limits.of(settings))
    try:
        settled = await asyncio.wait_for(desk.reconcile_journal(), RECONCILE_AT_START_S)
        if settled:
            _log.info("reconciled bet attempts left unsettled", settled=settled)
    except TimeoutError:
        _log.warning("could not reconcile the bet journal at start; it is retried per quote")
    return AccountServices(client, desk, True)
