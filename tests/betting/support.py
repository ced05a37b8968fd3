"""Helpers for the account and betting tests: a stack with betting on, an open runner, calls
with an API key, the sandbox account as its admin routes see it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcp_types import CallToolResult

from app.sandbox.embedded import SANDBOX_PASSWORD, SANDBOX_USERNAME
from app.sandbox.options import SandboxOptions
from tests.sandbox.world_support import parse_time, race_paths
from tests.support.clients import mcp_client
from tests.support.stack import Stack, running_stack

KEY, OTHER_KEY = "bettor-key-0123456789", "other-key-9876543210"
ADMIN = f"/_sandbox/account/{SANDBOX_USERNAME}"
BETSLIP = f"/v1/tab-betting-service/accounts/{SANDBOX_USERNAME}/betslip"
MY_BETS = f"/v1/account-service/tab/accounts/{SANDBOX_USERNAME}/my-bets"


def betting_settings(journal: Path, **overrides: Any) -> dict[str, Any]:
    """Settings with all three betting switches on, against the sandbox account."""
    return {"tab_username": SANDBOX_USERNAME, "tab_password": SANDBOX_PASSWORD,
            "tab_mcp_api_keys": f"{KEY},{OTHER_KEY}", "tab_mcp_betting": True,
            "tab_mcp_quote_secret": "quote-secret-for-tests-0123456789",
            "tab_mcp_bet_journal": str(journal), "tab_mcp_toolsets": "racing,account",
            **overrides}


@contextlib.contextmanager
def betting_stack(journal: Path, options: SandboxOptions | None = None,
                  **overrides: Any) -> Iterator[Stack]:
    """A sandbox and tab-mcp with betting on."""
    with running_stack(options, **betting_settings(journal, **overrides)) as stack:
        yield stack


async def call(stack: Stack, tool: str, key: str = KEY, **arguments: Any) -> CallToolResult:
    """Call `tool` with API key `key`; the raw result."""
    async with mcp_client(stack.mcp_url, api_key=key) as client:
        return await client.call_tool(tool, arguments)


def text_of(result: CallToolResult) -> str:
    """The first text content of a result."""
    return str(getattr(result.content[0], "text", ""))


@dataclass(frozen=True)
class Runner:
    """An open runner: where to find it and its proposition."""

    venue: str
    race_number: int
    runner_number: int
    proposition_id: int
    race_type: str


def open_runner(stack: Stack, race_type: str = "R", skip: int = 0) -> Runner:
    """A runner open for fixed odds (with place betting) in a race at least 30 minutes away."""
    meetings = stack.upstream("/racing/dates/today/meetings")
    now, found = datetime.now(UTC), 0
    for meeting, race, path in race_paths(meetings, race_type):
        if race["raceStatus"] != "Normal" or (
                parse_time(race["raceStartTime"]) - now).total_seconds() < 1800:
            continue
        card = stack.upstream(path)
        if card.get("numberOfFixedOddsPlaces", 0) <= 0:
            continue
        for runner in card["runners"]:
            if runner["fixedOdds"]["bettingStatus"] == "Open":
                if found == skip:
                    return Runner(meeting["meetingName"], race["raceNumber"],
                                  runner["runnerNumber"],
                                  runner["fixedOdds"]["propositionNumber"], race_type)
                found += 1
                break
    raise AssertionError("no open runner")


def balance_cents(stack: Stack) -> int:
    """The sandbox account's balance."""
    return int(stack.admin("GET", ADMIN)["balanceCents"])


def bets(stack: Stack) -> list[dict[str, Any]]:
    """Every bet of the sandbox account."""
    return list(stack.admin("GET", ADMIN + "/bets")["bets"])


async def quote(stack: Stack, runner: Runner, stake: float = 5, bet_type: str = "WIN",
                key: str = KEY) -> dict[str, Any]:
    """A quote for `stake` on `runner`, asserted to succeed."""
    result = await call(stack, "bet_quote", key=key, venue=runner.venue,
                        race_number=runner.race_number, selections=[[runner.runner_number]],
                        stake=stake, bet_type=bet_type)
    assert not result.is_error, text_of(result)
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


async def place(stack: Stack, quote_id: str, key: str = KEY) -> dict[str, Any]:
    """Place `quote_id`, asserted to answer (not a tool error); the structured result."""
    result = await call(stack, "bet_place", key=key, quote_id=quote_id)
    assert not result.is_error, text_of(result)
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


def fault(stack: Stack, path: str = BETSLIP, **rule: Any) -> None:
    """Install one sandbox fault rule on `path`."""
    stack.admin("PUT", "/_sandbox/faults", [{"path_prefix": path, "count": 1, **rule}])


def placed_with(stack: Stack, transaction_id: str) -> list[dict[str, Any]]:
    """The sandbox bets a transaction id placed."""
    response = stack.admin("GET", ADMIN + "/bets?transactionId=" + transaction_id)
    return list(response["bets"])
