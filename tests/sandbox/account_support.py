"""Helpers for the sandbox account tests: a signed-in client, open selections, betslip bodies."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2

from app.sandbox.clock import Clock
from app.sandbox.embedded import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    SandboxTransport,
)
from app.sandbox.options import SandboxOptions
from app.sandbox.routes import SERVICE_ROOT
from app.sandbox.server import create_sandbox_app
from app.sandbox.state import SandboxState
from tests.sandbox.world_support import parse_time, race_paths

BASE = "http://sandbox.test"
ACCOUNT = SANDBOX_USERNAME
ACCOUNTS = f"/v1/account-service/tab/accounts/{ACCOUNT}"
BETSLIP = f"/v1/tab-betting-service/accounts/{ACCOUNT}/betslip"
ENQUIRY = f"/v1/pricing-service/accounts/{ACCOUNT}/enquiry"
ADMIN = f"/_sandbox/account/{ACCOUNT}"
#: Late morning in Sydney on a Wednesday: the day's racing is still to come.
MORNING = datetime(2026, 9, 23, 1, 0, tzinfo=UTC)


@dataclass
class Bettor:
    """A client of a fresh in-process sandbox, signed in to its account."""

    client: httpx2.AsyncClient
    clock: Clock
    state: SandboxState | None  # None when the sandbox runs in another server
    headers: dict[str, str]

    async def sign_in(self) -> None:
        """A fresh token (after moving the clock past the old one's lifetime)."""
        self.headers = {"Authorization": f"Bearer {await password_token(self.client)}"}

    async def balance_cents(self) -> int:
        """The balance as the admin route reads it."""
        summary = (await self.client.get(ADMIN)).json()
        return int(summary["balanceCents"])

    async def bets(self, transaction_id: str) -> list[dict[str, Any]]:
        """The bets a betslip with `transaction_id` placed (admin view)."""
        response = await self.client.get(ADMIN + "/bets",
                                          params={"transactionId": transaction_id})
        return list(response.json()["bets"])

    async def place(self, body: dict[str, Any]) -> httpx2.Response:
        """POST a betslip."""
        return await self.client.post(BETSLIP, json=body, headers=self.headers,
                                      params={"jurisdiction": "NSW"})


async def password_token(client: httpx2.AsyncClient) -> str:
    """A password-grant access token for the sandbox account."""
    response = await client.post("/oauth/token", data={
        "grant_type": "password", "username": SANDBOX_USERNAME, "password": SANDBOX_PASSWORD,
        "client_id": SANDBOX_CLIENT_ID, "client_secret": SANDBOX_CLIENT_SECRET})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@asynccontextmanager
async def bettor(instant: datetime = MORNING, **options: Any) -> AsyncIterator[Bettor]:
    """A signed-in client of a fresh sandbox whose clock stands at `instant`."""
    clock = Clock(frozen_at=instant)
    app = create_sandbox_app(SandboxOptions(clock=clock, **options))
    async with httpx2.AsyncClient(transport=SandboxTransport(app), base_url=BASE) as client:
        token = await password_token(client)
        yield Bettor(client, clock, app.state.sandbox, {"Authorization": f"Bearer {token}"})


@asynccontextmanager
async def remote_bettor(base_url: str) -> AsyncIterator[Bettor]:
    """A signed-in client of a sandbox served over real sockets at `base_url`."""
    async with httpx2.AsyncClient(base_url=base_url, timeout=5) as client:
        token = await password_token(client)
        yield Bettor(client, Clock(frozen_at=MORNING), None,
                     {"Authorization": f"Bearer {token}"})


async def open_races(client: httpx2.AsyncClient, now: datetime,
                     race_type: str = "R") -> list[dict[str, Any]]:
    """Race cards of today's open races of `race_type` starting at least 30 minutes on."""
    meetings = (await client.get(SERVICE_ROOT + "/racing/dates/today/meetings",
                                 params={"jurisdiction": "NSW"})).json()
    cards = []
    for _meeting, race, path in race_paths(meetings, race_type):
        start = parse_time(race["raceStartTime"])
        if race["raceStatus"] == "Normal" and (start - now).total_seconds() > 1800:
            card = (await client.get(SERVICE_ROOT + path, params={"jurisdiction": "NSW"})).json()
            cards.append(card)
        if len(cards) >= 8:
            break
    assert cards, "no open race"
    return cards


def open_runners(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The runners of a card that take fixed-odds bets now."""
    return [r for r in card["runners"] if r["fixedOdds"]["bettingStatus"] == "Open"]


async def open_runner(client: httpx2.AsyncClient, now: datetime) -> tuple[dict[str, Any],
                                                                            dict[str, Any]]:
    """(race card, runner) of an open runner in a race with place betting."""
    for card in await open_races(client, now):
        runners = open_runners(card)
        if runners and card["numberOfFixedOddsPlaces"] > 0:
            return card, runners[0]
    raise AssertionError("no open runner")


def win_bet(runner: dict[str, Any], stake: str = "10.00", odds: str | None = None,
            transaction_id: str | None = None, bet_type: str = "WIN") -> dict[str, Any]:
    """A betslip body with one fixed-odds bet on `runner` at its card price (or `odds`)."""
    fixed = runner["fixedOdds"]
    price = fixed["returnPlace"] if bet_type == "PLACE" else fixed["returnWin"]
    leg = {"type": "PLACE" if bet_type == "PLACE" else "WIN",
           "propositionId": fixed["propositionNumber"], "odds": odds or f"{price:.2f}"}
    return {"transactionId": transaction_id or str(uuid.uuid4()),
            "bets": [{"type": "FIXED_ODDS", "betType": bet_type, "stake": stake, "legs": [leg],
                      "enableMultiplier": False, "source": "sandbox-test"}]}
