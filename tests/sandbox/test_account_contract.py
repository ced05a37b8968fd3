"""The account, enquiry and betslip bodies carry the fields the API notes give, and the enquiry
prices what the race cards show. No real account bodies were captured, so the field lists come
from the notes (section 6); extra fields are allowed, missing ones are not.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest

from app.sandbox.routes import SERVICE_ROOT
from app.tab import account_paths
from tests.sandbox.account_support import (
    ACCOUNT,
    ACCOUNTS,
    ENQUIRY,
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
MONEY = re.compile(r"^\$\d+\.\d{2}$")
ODDS = re.compile(r"^\d+\.\d{2}$")
AUTHENTICATION = {"token", "inactivityExpiry", "absoluteExpiry", "scopes"}


def missing(body: dict[str, Any], keys: set[str]) -> set[str]:
    return keys - set(body)


def enquiry_body(*legs: dict[str, Any], bet_type: str = "WIN") -> dict[str, Any]:
    return {"clientDetails": {"jurisdiction": "NSW", "channel": "web"},
            "bets": [{"type": "FIXED_ODDS", "betType": bet_type, "stake": "10.00",
                      "legs": list(legs)}]}


async def test_authenticate_balance_and_account_list_have_the_notes_fields() -> None:
    async with bettor() as b:
        auth = (await b.client.post("/v1/account-service/tab/authenticate", json={
            "accountNumber": int(ACCOUNT), "password": "sandbox-password",
            "channel": "TABCOMAU", "scopes": ["*"]})).json()
        assert not missing(auth, {
            "accountNumber", "username", "customerId", "preferences", "jurisdiction", "tier",
            "accountBalance", "withdrawalBalance", "verified", "withdrawalBlocked",
            "emailVerified", "verificationStatus", "authentication"})
        assert not missing(auth["preferences"]["betting"], {
            "maxAmount", "acceptCounterOffer", "acceptReducedPrice", "defaultFlexi",
            "defaultBetType"})
        assert "rounding" in auth["preferences"]["general"]
        assert not missing(auth["authentication"], AUTHENTICATION)
        balance = (await b.client.get(ACCOUNTS + "/balance", headers=b.headers)).json()
        assert set(balance) == {"accountBalance", "withdrawalBalance", "authentication"}
        assert MONEY.match(balance["accountBalance"]) and MONEY.match(
            balance["withdrawalBalance"])
        listing = await b.client.get(
            f"/v1/account-service/tab/customers/{auth['customerId']}/account-list",
            params={"channel": "TABCOMAU"}, headers=b.headers)
        assert set(listing.json()) == {"accounts", "emailVerified"}
        assert set(listing.json()["accounts"][0]) == {
            "accountNumber", "accountBalance", "withdrawalBalance", "accountJurisdiction"}
        other = await b.client.get("/v1/account-service/tab/customers/1/account-list",
                                   headers=b.headers)
        assert other.status_code == 403


async def test_enquiry_prices_every_runner_as_its_race_card_shows() -> None:
    async with bettor() as b:
        cards = (await open_races(b.client, MORNING, "G"))[:1] + (
            await open_races(b.client, MORNING, "H"))[:1] + (
            await open_races(b.client, MORNING))[:1]
        for card in cards:
            for runner in open_runners(card):
                fixed = runner["fixedOdds"]
                leg = {"type": "WIN", "propositionId": fixed["propositionNumber"]}
                answer = (await b.client.post(ENQUIRY, json=enquiry_body(leg),
                                              headers=b.headers)).json()
                priced = answer["bets"][0]
                assert priced["status"] == "ok", priced
                assert priced["legs"][0]["odds"] == {"decimal": f"{fixed['returnWin']:.2f}"}
                assert priced["legs"][0]["redundantPropositions"] == []
                assert isinstance(priced["legs"][0]["decoToken"], str)


async def test_place_and_each_way_are_priced_at_the_cards_place_price() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        fixed = runner["fixedOdds"]
        leg = {"type": "WIN", "propositionId": fixed["propositionNumber"]}
        place = (await b.client.post(ENQUIRY, json=enquiry_body(
            {**leg, "type": "PLACE"}, bet_type="PLACE"), headers=b.headers)).json()["bets"][0]
        assert place["legs"][0]["odds"]["decimal"] == f"{fixed['returnPlace']:.2f}"
        each_way = (await b.client.post(ENQUIRY, json=enquiry_body(leg, bet_type="EACH_WAY"),
                                        headers=b.headers)).json()["bets"][0]
        assert each_way["legs"][0]["placeOdds"]["decimal"] == f"{fixed['returnPlace']:.2f}"
        assert each_way["totalCost"] == "20.00"
        win, plc = fixed["returnWin"], fixed["returnPlace"]
        assert each_way["potentialReturn"] == f"{10 * win + 10 * plc:.2f}"


async def test_same_race_multi_drops_an_implied_leg_and_prices_below_the_product() -> None:
    async with bettor() as b:
        card, _runner = await open_runner(b.client, MORNING)
        markets = {m["betOption"]: m["propositions"] for m in card["sameRaceMultiMarkets"]}
        first, third = markets["Top 1"][0], markets["Top 3"][0]  # the same runner
        other = markets["Top 2"][1]
        ids = [first["number"], third["number"], other["number"]]
        leg = {"type": "SAME_RACE_MULTI",
               "propositions": [{"type": "WIN", "propositionId": n} for n in ids]}
        priced = (await b.client.post(ENQUIRY, json=enquiry_body(leg, bet_type="SAME_RACE_MULTI"),
                                      headers=b.headers)).json()["bets"][0]
        assert priced["status"] == "ok"
        assert priced["legs"][0]["redundantPropositions"] == [third["number"]]
        odds = float(priced["legs"][0]["odds"]["decimal"])
        assert 1 < odds < first["returnWin"] * other["returnWin"]


async def test_a_decotoken_carries_the_quoted_price_and_only_for_its_own_leg() -> None:
    async with bettor() as b:
        card, runner = await open_runner(b.client, MORNING)
        fixed = runner["fixedOdds"]
        leg = {"type": "WIN", "propositionId": fixed["propositionNumber"]}
        quoted = (await b.client.post(ENQUIRY, json=enquiry_body(leg),
                                      headers=b.headers)).json()["bets"][0]["legs"][0]
        body = win_bet(runner)
        del body["bets"][0]["legs"][0]["odds"]
        body["bets"][0]["legs"][0]["decoToken"] = quoted["decoToken"]
        assert (await b.place(body)).json()["errors"] == []
        other = open_runners(card)[1]
        foreign = win_bet(other)
        foreign["bets"][0]["legs"][0]["decoToken"] = quoted["decoToken"]
        errors = (await b.place(foreign)).json()["errors"]
        assert [e["code"] for e in errors] == ["INVALID_DECO_TOKEN"]
        b.clock.advance(6 * 60)
        late = win_bet(runner)
        late["bets"][0]["legs"][0]["decoToken"] = quoted["decoToken"]
        errors = (await b.place(late)).json()["errors"]
        assert [e["code"] for e in errors] == ["DECO_TOKEN_EXPIRED"]


async def test_the_public_enquiry_needs_no_account_and_mints_no_decotoken() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        leg = {"type": "WIN", "propositionId": runner["fixedOdds"]["propositionNumber"]}
        answer = await b.client.post("/v1/pricing-service/enquiry", json=enquiry_body(leg))
        assert answer.status_code == 200
        assert "decoToken" not in answer.json()["bets"][0]["legs"][0]
        refused = await b.client.post(ENQUIRY, json=enquiry_body(leg))
        assert refused.status_code == 401


async def test_betslip_errors_carry_code_message_odds_old_odds_and_proposition() -> None:
    async with bettor() as b:
        _card, runner = await open_runner(b.client, MORNING)
        answer = await b.place(win_bet(runner, odds="999.00"))
        assert answer.status_code == 201
        assert set(answer.json()) == {"bets", "errors"}
        assert set(answer.json()["errors"][0]) == {"code", "message", "odds", "oldOdds",
                                                   "propositionId"}
        assert ODDS.match(answer.json()["errors"][0]["odds"])


async def test_a_quinella_box_settles_at_the_dividend_of_the_race_card() -> None:
    async with bettor() as b:
        card, _runner = await open_runner(b.client, MORNING)
        meeting = card["meeting"]
        race = {"meetingDate": meeting["meetingDate"], "raceType": meeting["raceType"],
                "venueMnemonic": meeting["venueMnemonic"], "raceNumber": card["raceNumber"]}
        numbers = [r["runnerNumber"] for r in open_runners(card)]
        bet = {"type": "PARIMUTUEL", "betType": "QUINELLA", "stake": "6.00",
               "legs": [{"type": "QUINELLA", "race": race, "selections": [numbers]}]}
        priced = (await b.client.post(ENQUIRY, json={"bets": [bet]},
                                      headers=b.headers)).json()["bets"][0]
        combinations = len(numbers) * (len(numbers) - 1) // 2
        assert priced["legs"][0]["combinations"] == combinations
        answer = await b.place({"transactionId": str(uuid.uuid4()), "bets": [bet]})
        assert answer.json()["errors"] == []
        bet_id = answer.json()["bets"][0]["betId"]
        b.clock.set(parse_time(card["raceStartTime"]) + timedelta(minutes=6))
        await b.sign_in()
        path = (f"/racing/dates/{meeting['meetingDate']}/meetings/{meeting['raceType']}/"
                f"{meeting['venueMnemonic']}/races/{card['raceNumber']}")
        paid = (await b.client.get(SERVICE_ROOT + path, params={"jurisdiction": "NSW"})).json()
        dividend = next(d for d in paid["dividends"] if d["wageringProduct"] == "Quinella")
        amount = dividend["poolDividends"][0]["amount"]
        settled = (await b.client.get(ACCOUNTS + "/my-bets", headers=b.headers,
                                      params={"status": "settled"})).json()["bets"]
        mine = next(x for x in settled if x["betId"] == bet_id)
        assert mine["result"] == "WON"
        assert mine["returnAmount"] == f"{int(600 * amount / combinations) / 100:.2f}"


async def test_the_sandbox_answers_every_path_of_the_table() -> None:
    async with bettor() as b:
        slots = {"account": ACCOUNT, "customer": "1", "jurisdiction": "NSW"}
        for name, endpoint in account_paths.ENDPOINTS.items():
            if name == "ticket_enquiry":
                continue  # in the table for the client; the sandbox does not model tickets
            path = endpoint.template.format(**slots)
            answer = await b.client.request(endpoint.method, path, json={})
            assert answer.status_code not in (404, 405), (name, answer.status_code)


async def _team_match(b: Bettor) -> tuple[str, list[dict[str, Any]], dict[str, Any]]:
    """(match path, markets, match) of an upcoming match with head-to-head, line and total."""
    for sport, comp in (("AFL Football", "AFL"), ("Rugby League", "NRL"),
                        ("Basketball", "NBA")):
        root = f"{SERVICE_ROOT}/sports/{sport}/competitions/{comp}"
        listing = await b.client.get(root + "/matches", params={"jurisdiction": "NSW"})
        for match in listing.json().get("matches", []):
            if parse_time(match["startTime"]) <= b.clock.now():
                continue
            path = f"{root}/matches/{match['name']}"
            markets = (await b.client.get(path + "/markets",
                                          params={"jurisdiction": "NSW"})).json()["markets"]
            if len(markets) >= 3:
                return path, markets, match
    raise AssertionError("no upcoming team match")


async def test_same_game_multi_prices_drops_a_second_leg_of_one_market_and_settles() -> None:
    async with bettor() as b:
        path, markets, match = await _team_match(b)
        h2h, line = markets[0]["propositions"], markets[1]["propositions"]
        ids = [h2h[0]["number"], line[0]["number"], h2h[1]["number"]]
        legs = [{"type": "SAME_GAME_MULTI",
                 "propositions": [{"type": "WIN", "propositionId": n} for n in ids]}]
        notes_body = {"clientDetails": {"jurisdiction": "NSW", "channel": "web"},
                      "bets": [{"type": "FIXED_ODDS", "legs": legs}],
                      "returnValidationMatrix": True}
        public = (await b.client.post("/v1/pricing-service/enquiry", json=notes_body)).json()
        priced = public["bets"][0]
        assert priced["status"] == "ok"
        assert priced["legs"][0]["redundantPropositions"] == [h2h[1]["number"]]
        odds = float(priced["legs"][0]["odds"]["decimal"])
        assert 1 < odds < h2h[0]["returnWin"] * line[0]["returnWin"]
        legs[0]["odds"] = priced["legs"][0]["odds"]["decimal"]
        placed = await b.place({"transactionId": str(uuid.uuid4()), "bets": [
            {"type": "FIXED_ODDS", "betType": "SAME_GAME_MULTI", "stake": "2.00",
             "legs": legs}]})
        assert placed.json()["errors"] == [], placed.json()
        bet_id = placed.json()["bets"][0]["betId"]
        b.clock.set(parse_time(match["startTime"]) + timedelta(hours=6))
        await b.sign_in()
        result_path = path.replace("/sports/", "/sports/results/", 1)
        result = (await b.client.get(result_path, params={"jurisdiction": "NSW"})).json()
        winners = {p["name"] for m in result["results"] for p in m["winningPropositions"]}
        both = h2h[0]["name"] in winners and line[0]["name"] in winners
        settled = (await b.client.get(ACCOUNTS + "/my-bets", headers=b.headers,
                                      params={"status": "settled"})).json()["bets"]
        mine = next(x for x in settled if x["betId"] == bet_id)
        assert mine["result"] == ("WON" if both else "LOST")
        assert mine["returnAmount"] == (f"{2 * odds:.2f}" if both else "0.00")
