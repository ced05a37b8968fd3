"""Telling a lost bet from the account's bets when they carry no transaction ids, reading
upstream answers of the wrong shape, and quote ids of the first version."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest

from app.betting.desk import _refusal
from app.betting.drafts import Draft
from app.betting.pricing import priced_quote
from app.betting.quotes import Pick, Quote, QuoteSigner
from app.betting.reconcile import find_placed
from app.config import load_settings
from app.tab.shapes import UnexpectedShape

RACE = {"meetingDate": "2026-09-23", "raceType": "R", "venueMnemonic": "WFM", "raceNumber": 2}
SRM = Quote("key:a", "SAME_RACE_MULTI", "Warwick Farm race 2", "R", "2026-09-23T05:00:00Z",
            (Pick(501, 4, "SWIFT", 1), Pick(522, 7, "SLOW", 2)), 200, 7.5, None, ("t",),
            time.time() + 60, "n")
TRIFECTA = Quote("key:a", "TRIFECTA", "Warwick Farm race 2", "R", "2026-09-23T05:00:00Z",
                 (Pick(None, 1, "A", 1), Pick(None, 2, "B", 2), Pick(None, 3, "C", 3)),
                 600, None, None, (), time.time() + 60, "n", 1, RACE)


def bet(bet_type: str, stake: str, legs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"betId": 9, "betType": bet_type, "stake": stake, "legs": legs}


def srm_legs(*ids: int) -> list[dict[str, Any]]:
    return [{"type": "TOP1", "propositionId": n} for n in ids]


def tote_legs(selections: list[list[int]], race: int = 2) -> list[dict[str, Any]]:
    return [{"raceNumber": race, "venueMnemonic": "WFM", "selections": selections}]


@pytest.mark.parametrize(("bets", "found"), [
    ([bet("SAME_RACE_MULTI", "2.00", srm_legs(522, 501))], True),
    ([bet("SAME_RACE_MULTI", "2.00", srm_legs(501))], None),  # a different multi
    ([bet("SAME_RACE_MULTI", "2.00", [{"propositions": [{"propositionId": 501},
                                                        {"propositionId": 522}]}])], True),
    ([bet("SAME_RACE_MULTI", "3.00", srm_legs(501, 522))], None),
    ([bet("SAME_RACE_MULTI", "2.00", srm_legs(501, 522))] * 2, None),  # cannot tell which
])
def test_a_multi_is_matched_by_its_propositions_and_stake(bets: list[dict[str, Any]],
                                                          found: bool | None) -> None:
    answer = find_placed({"bets": bets}, "tx", SRM)
    assert (answer is not None) if found else answer is None


@pytest.mark.parametrize(("legs", "matches"), [
    (tote_legs([[1], [2], [3]]), True), (tote_legs([[1], [3], [2]]), False),
    (tote_legs([[1], [2], [3]], race=3), False)])
def test_a_tote_bet_is_matched_by_its_race_and_runners_per_place(
        legs: list[dict[str, Any]], matches: bool) -> None:
    answer = find_placed({"bets": [bet("TRIFECTA", "6.00", legs)]}, "tx", TRIFECTA)
    assert isinstance(answer, dict) is matches


@pytest.mark.parametrize("body", [[], {"bets": "none"}, {"bets": [1]},
                                  {"bets": [{"legs": {"odds": 2}, "errors": 3, "stake": "2.00",
                                             "betType": "SAME_RACE_MULTI"}]}])
def test_an_answer_of_the_wrong_shape_is_one_plain_error(body: Any) -> None:
    draft = Draft("WIN", "Warwick Farm race 2", "R", "2026-09-23T05:00:00Z",
                  (Pick(501, 4, "SWIFT"),), 500)
    for read in (lambda: priced_quote(body, draft, key_id="k", expires_at=0, nonce="n"),
                 lambda: find_placed(body, "tx", SRM), lambda: _refusal(body)):
        with pytest.raises(UnexpectedShape, match="Tabcorp answered something unexpected"):
            read()


def test_a_first_version_quote_id_still_verifies_and_decodes() -> None:
    settings = load_settings(tab_mcp_quote_secret="a-secret-of-some-length")
    legacy = {"proposition_id": 1234, "runner_number": 4, "runner_name": "SWIFT",
              "venue": "Randwick", "race_number": 2, "race_type": "R",
              "race_start": "2026-09-23T05:00:00Z", "key_id": "key:a", "bet_type": "WIN",
              "stake_cents": 500, "odds": 3.4, "place_odds": None, "deco_token": "deco",
              "expires_at": time.time() + 60, "nonce": "n"}
    payload = base64.urlsafe_b64encode(json.dumps(legacy).encode()).rstrip(b"=").decode()
    signature = hmac.new(b"a-secret-of-some-length", b"quote:" + payload.encode(),
                         hashlib.sha256).digest()
    quote_id = f"q1.{payload}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"
    quote = QuoteSigner(settings).verify(quote_id, "key:a")
    assert quote.proposition_ids == (1234,) and quote.event == "Randwick race 2"
    assert quote.deco_tokens == ("deco",) and quote.cost_cents == 500
    assert QuoteSigner(settings).decode_unchecked(quote_id) == quote
    with pytest.raises(ValueError, match="not a quote id"):  # a version cannot pass for another
        QuoteSigner(settings).decode_unchecked("q2." + quote_id[3:])
