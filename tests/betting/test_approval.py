"""Where the client can be asked, placing asks the person to confirm the restated bet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.session import ClientRequestContext
from mcp.client.streamable_http import streamable_http_client
from mcp_types import ElicitRequestParams, ElicitResult

from tests.betting.support import (
    KEY,
    balance_cents,
    bets,
    betting_settings,
    betting_stack,
    open_runner,
    quote,
    text_of,
)
from tests.support.stack import running_stack

pytestmark = pytest.mark.anyio


async def place_answering(url: str, quote_id: str, answer: ElicitResult,
                          asked: list[str], mode: str = "auto") -> dict[str, Any]:
    async def person(context: ClientRequestContext, params: ElicitRequestParams
                     ) -> ElicitResult:
        del context
        asked.append(params.message)
        return answer

    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {KEY}"},
                                  timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http), mode=mode,
                          elicitation_callback=person) as client:
            result = await client.call_tool("bet_place", {"quote_id": quote_id})
    assert not result.is_error, text_of(result)
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


@pytest.mark.parametrize("answer", [ElicitResult(action="decline"),
                                    ElicitResult(action="cancel"),
                                    ElicitResult(action="accept", content={"place": False})])
async def test_a_person_who_does_not_say_yes_places_nothing(tmp_path: Path,
                                                            answer: ElicitResult) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        quoted = await quote(stack, open_runner(stack))
        before, asked = balance_cents(stack), list[str]()
        result = await place_answering(stack.mcp_url, quoted["quote_id"], answer, asked)
        assert result["status"] == "declined" and not result["placed"]
        assert asked and quoted["bet"] in asked[0]
        assert balance_cents(stack) == before


async def test_a_person_who_says_yes_gets_the_bet_once(tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        quoted = await quote(stack, open_runner(stack))
        before, asked = balance_cents(stack), list[str]()
        yes = ElicitResult(action="accept", content={"place": True})
        result = await place_answering(stack.mcp_url, quoted["quote_id"], yes, asked)
        assert result["status"] == "placed" and len(asked) == 1
        again = await place_answering(stack.mcp_url, quoted["quote_id"], yes, asked)
        assert again["status"] == "placed"
        assert balance_cents(stack) == before - 500


async def test_a_stateless_handshake_session_cannot_be_asked_so_the_quote_id_approves(
        tmp_path: Path) -> None:
    with betting_stack(tmp_path / "j.sqlite3") as stack:
        quoted = await quote(stack, open_runner(stack))
        before, asked = balance_cents(stack), list[str]()
        result = await place_answering(stack.mcp_url, quoted["quote_id"],
                                       ElicitResult(action="decline"), asked, mode="legacy")
        assert result["status"] == "placed" and asked == []
        assert balance_cents(stack) == before - 500


def stateful(app: Any) -> Any:
    """`app` serving handshake-era sessions statefully (with a session id, so the server can
    send them requests), as an embedding that turns stateless HTTP off would."""
    app.state.mcp_server.session_manager.stateless = False
    return app


@pytest.mark.parametrize(("answer", "placed"), [
    (ElicitResult(action="accept", content={"place": True}), True),
    (ElicitResult(action="decline"), False)])
async def test_a_stateful_handshake_session_that_declared_elicitation_is_asked(
        tmp_path: Path, answer: ElicitResult, placed: bool) -> None:
    with running_stack(wrap=stateful, **betting_settings(tmp_path / "j.sqlite3")) as stack:
        quoted = await quote(stack, open_runner(stack))
        before, count, asked = balance_cents(stack), len(bets(stack)), list[str]()
        result = await place_answering(stack.mcp_url, quoted["quote_id"], answer, asked,
                                       mode="legacy")
        assert len(asked) == 1 and quoted["bet"] in asked[0]
        assert result["placed"] is placed
        assert result["status"] == ("placed" if placed else "declined")
        assert balance_cents(stack) == before - (500 if placed else 0)
        assert len(bets(stack)) == count + placed
