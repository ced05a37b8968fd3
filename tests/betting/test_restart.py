"""An attempt whose server died between sending and hearing back is reconciled at the next
start, from the durable journal, against the account's bets."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from app.asgi import create_app
from app.betting.desk import betslip_body
from app.betting.journal import Journal
from app.betting.quotes import QuoteSigner
from app.betting.services import open_account
from app.config import Settings, SettingsError, load_settings
from app.sandbox.embedded import SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET
from app.sandbox.server import create_sandbox_app
from app.tab.auth import TokenManager
from tests.betting.support import (
    BETSLIP,
    betting_settings,
    open_runner,
    place,
    placed_with,
    quote,
)
from tests.sandbox.account_support import password_token
from tests.support.servers import serve
from tests.support.stack import Stack

pytestmark = pytest.mark.anyio


@contextlib.contextmanager
def tab_mcp(sandbox_url: str, settings: Settings, sandbox: object) -> Iterator[Stack]:
    with serve(create_app(settings)) as url:
        yield Stack(url=url, sandbox_url=sandbox_url, sandbox=sandbox,  # type: ignore[arg-type]
                    settings=settings)


async def send_as_the_dead_server(sandbox_url: str, body: dict[str, object]) -> None:
    async with httpx2.AsyncClient(base_url=sandbox_url) as client:
        token = await password_token(client)
        answer = await client.post(BETSLIP, json=body, params={"jurisdiction": "NSW"},
                                   headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 201 and answer.json()["errors"] == []


@pytest.mark.parametrize("was_sent", [True, False])
async def test_an_attempt_left_sending_is_reconciled_at_start(tmp_path: Path,
                                                              was_sent: bool) -> None:
    journal_path = tmp_path / "journal" / "bets.sqlite3"
    sandbox_app = create_sandbox_app(None)
    with serve(sandbox_app) as sandbox_url:
        settings = load_settings(tab_base_url=sandbox_url, tab_client_id=SANDBOX_CLIENT_ID,
                                 tab_client_secret=SANDBOX_CLIENT_SECRET, tab_sandbox=True,
                                 **betting_settings(journal_path))
        with tab_mcp(sandbox_url, settings, sandbox_app.state.sandbox) as first:
            quote_id = (await quote(first, open_runner(first)))["quote_id"]
        signer = QuoteSigner(settings)
        transaction_id = signer.transaction_id(quote_id)
        journal = Journal(journal_path)
        journal.record(transaction_id, quote_id, "sending")
        if was_sent:
            await send_as_the_dead_server(
                sandbox_url, betslip_body(signer.decode_unchecked(quote_id), transaction_id))
        with tab_mcp(sandbox_url, settings, sandbox_app.state.sandbox) as second:
            attempt = journal.get(transaction_id)
            assert attempt is not None
            assert attempt.state == ("placed" if was_sent else "not_placed")
            result = await place(second, quote_id)
            assert result["status"] == "placed"
            assert len(placed_with(second, transaction_id)) == 1
        journal.close()


async def test_a_journal_that_cannot_be_opened_stops_the_start_with_its_reason(
        tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal's folder should be")
    settings = load_settings(tab_client_id=SANDBOX_CLIENT_ID,
                             tab_client_secret=SANDBOX_CLIENT_SECRET,
                             **betting_settings(blocker / "bets.sqlite3"))
    tokens = TokenManager(settings.credentials, settings.token_url)
    with pytest.raises(SettingsError, match=r"TAB_MCP_BET_JOURNAL: cannot open .* writable"):
        await open_account(settings, tokens, None)
    await tokens.aclose()
