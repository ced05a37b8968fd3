"""The sandbox account over its HTTP interface: auth, balance and history, betslip, settlement."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from app.sandbox.routes import SERVICE_ROOT
from tests.sandbox.account_support import (
    ACCOUNTS,
    ADMIN,
    BETSLIP,
    MORNING,
    Bettor,
    bettor,
    open_races,
    open_runner,
    open_runners,
    win_bet,
)
from tests.sandbox.world_support import parse_time

pytestmark = pytest.mark.anyio


def cents(text: str) -> int:
    negative = text.startswith("-")
    whole, _, part = text.lstrip("-$").partition(".")
    value = int(whole) * 100 + int(part)
    return -value if negative else value


# -- auth -----------------------------------------------------------------------------------
async def test_account_routes_refuse_missing_client_and_foreign_tokens() -> None:
    async with bettor() as b:
        assert (await b.client.get(ACCOUNTS + "/balance")).status_code == 401
        dead = await b.client.get(ACCOUNTS + "/balance", headers={"TabcorpAuth": "made-up"})
        assert dead.status_code == 401
        cc = await b.client.post("/oauth/token", data={
            "grant_type": "client_credentials", "client_id": "sandbox-client",
            "client_secret": "sandbox-secret"})
        client_token = {"Authorization": f"Bearer {cc.json()['access_token']}"}
        refused = await b.client.get(ACCOUNTS + "/balance", headers=client_token)
        assert refused.status_code == 403
        assert "password grant" in refused.json()["error"]["message"]
        other = await b.client.get("/v1/account-service/tab/accounts/99999999/balance",
                                   headers=b.headers)
        assert other.status_code == 403
        body = win_bet({"fixedOdds": {"propositionNumber": 1, "returnWin": 2.0}})
        assert (await b.client.post(BETSLIP, json=body)).status_code == 401
        assert (await b.client.post(BETSLIP, json=body, headers=client_token)).status_code == 403


async def test_expired_token_is_401_and_legacy_header_is_accepted() -> None:
    async with bettor() as b:
        token = b.headers["Authorization"].split()[1]
        legacy = await b.client.get(ACCOUNTS + "/balance", headers={"TabcorpAuth": token})
        assert legacy.status_code == 200
        assert b.state is not None
        b.clock.advance(b.state.tokens.expires_in + 1)
        assert (await b.client.get(ACCOUNTS + "/balance", headers=b.headers)).status_code == 401


async def test_authenticate_issues_a_token_that_opens_the_account() -> None:
    async with bettor() as b:
        path = "/v1/account-service/tab/authenticate"
        wrong = await b.client.post(path, json={"accountNumber": 12345678, "password": "nope",
                                                "channel": "TABCOMAU", "scopes": ["*"]})
        assert wrong.status_code == 401
        ok = await b.client.post(path, json={"accountNumber": 12345678,
                                             "password": "sandbox-password",
                                             "channel": "TABCOMAU", "scopes": ["*"]})
        assert ok.status_code == 200
        token = ok.json()["authentication"]["token"]
        balance = await b.client.get(ACCOUNTS + "/balance", headers={"TabcorpAuth": token})
        assert balance.json()["accountBalance"] == ok.json()["accountBalance"]


# -- balance and history --------------------------------------------------------------------
async def test_history_is_consistent_with_the_balance_and_the_past_race_cards() -> None:
    async with bettor() as b:
        balance = (await b.client.get(ACCOUNTS + "/balance", headers=b.headers)).json()
        items = (await b.client.get(ACCOUNTS + "/transactions", headers=b.headers,
                                    params={"count": 100})).json()["transactions"]
        assert cents(balance["accountBalance"]) == sum(cents(t["amount"]) for t in items)
        assert cents(items[0]["balance"]) == cents(balance["accountBalance"])
        settled = (await b.client.get(ACCOUNTS + "/my-bets", headers=b.headers,
                                      params={"status": "settled"})).json()["bets"]
        assert len(settled) >= 4
        for bet in settled:
            leg = bet["legs"][0]
            assert parse_time(leg["raceStartTime"]) < MORNING - timedelta(hours=6)
            path = (f"/racing/dates/{leg['meetingDate']}/meetings/{leg['raceType']}/"
                    f"{leg['venueMnemonic']}/races/{leg['raceNumber']}")
            card = (await b.client.get(SERVICE_ROOT + path,
                                       params={"jurisdiction": "NSW"})).json()
            runner = next(r for r in card["runners"] if r["runnerNumber"] == leg["runnerNumber"])
            won = runner["finishingPosition"] == 1 or (
                bet["betType"] != "WIN" and 0 < runner["finishingPosition"] <= 3)
            assert (bet["result"] == "WON") == won, bet
        running = (await b.client.get(ACCOUNTS + "/my-bets", headers=b.headers,
                                      params={"status": "running"})).json()["bets"]
        assert [bet["status"] for bet in running] == ["Unresulted"]


# -- placing --------------------------------------------------------------------------------
async def test_a_bet_charges_its_cost_once_and_shows_as_running() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        before = await b.balance_cents()
        body = win_bet(runner, stake="12.50", bet_type="EACH_WAY")
        placed = await b.place(body)
        assert placed.status_code == 201
        assert placed.json()["errors"] == []
        assert await b.balance_cents() == before - 2500
        running = (await b.client.get(ACCOUNTS + "/my-bets", headers=b.headers,
                                      params={"status": "running"})).json()["bets"]
        assert running[0]["transactionId"] == body["transactionId"]
        assert running[0]["totalCost"] == "25.00"


async def test_a_repeated_transaction_id_is_answered_with_the_first_result() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        before = await b.balance_cents()
        body = win_bet(runner)
        first, second = await b.place(body), await b.place(body)
        assert first.json() == second.json() and second.status_code == 201
        assert len(await b.bets(body["transactionId"])) == 1
        assert await b.balance_cents() == before - 1000


async def test_twenty_concurrent_betslips_with_one_transaction_id_place_one_bet() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        before = await b.balance_cents()
        body = win_bet(runner, stake="5.00")
        answers = await asyncio.gather(*(b.place(body) for _ in range(20)))
        assert {a.status_code for a in answers} == {201}
        assert len({a.text for a in answers}) == 1
        assert len(await b.bets(body["transactionId"])) == 1
        assert await b.balance_cents() == before - 500


async def test_malformed_betslips_are_400_and_place_nothing() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        before = await b.balance_cents()
        cases: list[tuple[dict[str, Any], str]] = [
            ({**win_bet(runner), "transactionId": "not-a-uuid"}, "transactionId"),
            ({**win_bet(runner), "bets": []}, "bets"),
        ]
        no_price = win_bet(runner)
        del no_price["bets"][0]["legs"][0]["odds"]
        cases.append((no_price, "odds"))
        bad_stake = win_bet(runner, stake="ten")
        cases.append((bad_stake, "stake"))
        for body, word in cases:
            answer = await b.place(body)
            assert answer.status_code == 400, body
            assert word in answer.json()["error"]["message"]
        assert await b.balance_cents() == before


# -- 201 with errors ------------------------------------------------------------------------
async def refused(b: Bettor, body: dict[str, Any]) -> dict[str, Any]:
    """Place `body`, check it was refused with a 201 and nothing charged; the one error."""
    before = await b.balance_cents()
    answer = await b.place(body)
    assert answer.status_code == 201
    errors = answer.json()["errors"]
    assert len(errors) == 1 and answer.json()["bets"][0]["errors"] == errors
    assert answer.json()["bets"][0]["betId"] is None
    assert await b.bets(body["transactionId"]) == []
    assert await b.balance_cents() == before
    return dict(errors[0])


async def test_price_moved_is_reported_with_old_odds() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        proposition = runner["fixedOdds"]["propositionNumber"]
        await b.client.put("/_sandbox/account/prices",
                           json={"propositionId": proposition, "odds": 2.5})
        error = await refused(b, win_bet(runner, odds="3.40"))
        assert error == {"code": "PRICE_CHANGED", "odds": "2.50", "oldOdds": "3.40",
                         "propositionId": proposition, "message": error["message"]}


async def test_scratched_selection_is_refused() -> None:
    async with bettor() as b:
        for card in await open_races(b.client, MORNING, "G") + await open_races(b.client,
                                                                                MORNING):
            gone = [r for r in card["runners"] if not r["vacantBox"]
                    and r["fixedOdds"]["bettingStatus"] in ("Scratched", "LateScratched")]
            if gone:
                break
        else:
            raise AssertionError("no scratched runner in an open race")
        gone[0]["fixedOdds"]["returnWin"] = gone[0]["fixedOdds"]["returnWin"] or 5
        error = await refused(b, win_bet(gone[0]))
        assert error["code"] == "SELECTION_SCRATCHED"


async def test_suspended_selection_and_closed_race_are_refused() -> None:
    async with bettor() as b:
        card, runner = await open_runner(b.client, MORNING)
        proposition = runner["fixedOdds"]["propositionNumber"]
        await b.client.put("/_sandbox/account/suspended", json={"propositionId": proposition})
        assert (await refused(b, win_bet(runner)))["code"] == "SELECTION_SUSPENDED"
        await b.client.put("/_sandbox/account/suspended",
                           json={"propositionId": proposition, "suspended": False})
        b.clock.set(parse_time(card["raceStartTime"]) + timedelta(seconds=30))
        error = await refused(b, win_bet(runner))
        assert error["code"] == "SELECTION_SUSPENDED" and "Closed" in error["message"]


async def test_insufficient_funds_and_the_accounts_own_maximum() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        await b.client.put(ADMIN, json={"balance": "4.00", "maxBet": "50.00"})
        assert (await refused(b, win_bet(runner, stake="5.00")))["code"] == "INSUFFICIENT_FUNDS"
        await b.client.put(ADMIN, json={"balance": "500.00"})
        error = await refused(b, win_bet(runner, stake="50.01"))
        assert error["code"] == "EXCEEDS_MAX_BET_AMOUNT" and "$50.00" in error["message"]
        placed = await b.place(win_bet(runner, stake="50.00"))
        assert placed.json()["errors"] == []


# -- settlement -----------------------------------------------------------------------------
async def test_bets_settle_when_the_race_pays_and_credit_exactly_once() -> None:
    async with bettor() as b:
        card, _runner = await open_runner(b.client, MORNING)
        runners = open_runners(card)
        await b.client.put(ADMIN, json={"balance": "100.00"})
        mine = set()
        for runner in runners:
            answer = (await b.place(win_bet(runner, stake="1.00"))).json()
            assert answer["errors"] == []
            mine.add(answer["bets"][0]["betId"])
        assert await b.balance_cents() == 10000 - 100 * len(runners)
        b.clock.set(parse_time(card["raceStartTime"]) + timedelta(minutes=3))  # Interim
        await b.sign_in()
        assert await credits(b, mine) == []
        b.clock.set(parse_time(card["raceStartTime"]) + timedelta(minutes=6))  # Paying
        path = (f"/racing/dates/{card['meeting']['meetingDate']}/meetings/R/"
                f"{card['meeting']['venueMnemonic']}/races/{card['raceNumber']}")
        paid = (await b.client.get(SERVICE_ROOT + path, params={"jurisdiction": "NSW"})).json()
        assert paid["raceStatus"] == "Paying"
        winner = next(r for r in paid["runners"] if r["finishingPosition"] == 1)
        price = next(r for r in runners if r["runnerNumber"] == winner["runnerNumber"])
        balance = await b.balance_cents()
        paid_out = await credits(b, mine)
        assert [cents(t["amount"]) for t in paid_out] == [
            round(price["fixedOdds"]["returnWin"] * 100)]
        assert await b.balance_cents() == balance  # a second read credits nothing more
        assert await credits(b, mine) == paid_out
        settled = (await b.client.get(ACCOUNTS + "/my-bets", headers=b.headers,
                                      params={"status": "settled", "count": 50})).json()["bets"]
        results = {bet["legs"][0]["runnerNumber"]: bet["result"] for bet in settled
                   if bet["betId"] in mine}
        assert len(results) == len(runners)
        assert results[winner["runnerNumber"]] == "WON"
        assert sorted(results.values()).count("WON") == 1


async def credits(b: Bettor, bet_ids: set[int]) -> list[dict[str, Any]]:
    """The returns and refunds credited for `bet_ids`."""
    items = (await b.client.get(ACCOUNTS + "/transactions", headers=b.headers,
                                params={"count": 500})).json()["transactions"]
    return [t for t in items if t["betId"] in bet_ids and t["type"] != "BetPlaced"]


async def test_a_slip_of_two_bets_places_what_the_balance_covers() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        await b.client.put(ADMIN, json={"balance": "15.00"})
        body = win_bet(runner, stake="10.00")
        body["bets"].append(dict(body["bets"][0]))
        answer = (await b.place(body)).json()
        assert answer["bets"][0]["errors"] == [] and answer["bets"][0]["betId"]
        assert [e["code"] for e in answer["errors"]] == ["INSUFFICIENT_FUNDS"]
        assert answer["bets"][1]["errors"] == answer["errors"]
        assert len(await b.bets(body["transactionId"])) == 1
        assert await b.balance_cents() == 500
