"""`AccountBook`: every sandbox account, the enquiry, the betslip and settlement.

All account changes happen under one lock, so concurrent betslips with one `transactionId`
place at most one bet and charge the balance once; a repeated `transactionId` gets the answer
the first betslip got (an unverified behaviour: the notes name it an idempotency key).
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from typing import Any

from app.sandbox.account import bodies, history
from app.sandbox.account.catalogue import Catalogue, race_body
from app.sandbox.account.ledger import RUNNING, Account, Bet
from app.sandbox.account.money import dollars
from app.sandbox.account.pricing import BadBet, PricedBet, Pricer, bet_error
from app.sandbox.account.quotes import DecoQuote, DecoTokens, MarketAdjustments
from app.sandbox.account.settlement import settle, settle_same_game, settled_time
from app.sandbox.account.sports import MatchKey, SportsCatalogue, match_result
from app.sandbox.world import World
from app.sandbox.world.lifecycle import ABANDON_NOTICE

Body = dict[str, Any]
DEFAULT_MAX_BET_CENTS = 100_000


def _bets_of(body: object) -> tuple[str | None, list[Any]]:
    if not isinstance(body, dict):
        raise BadBet("the body must be a JSON object", "$")
    bets = body.get("bets")
    if not isinstance(bets, list) or not bets:
        raise BadBet("bets must be a non-empty list", "bets")
    transaction_id = body.get("transactionId")
    return (transaction_id if isinstance(transaction_id, str) else None), bets


def _uuid(value: str | None) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise BadBet("transactionId must be a UUID (the bet's idempotency key)",
                     "transactionId") from None


class AccountBook:
    """The accounts of one sandbox, created on first use from the password-grant users."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.catalogue = Catalogue(world)
        self.adjustments = MarketAdjustments()
        self.decos = DecoTokens()
        self.pricer = Pricer(self.catalogue, self.adjustments, SportsCatalogue(world))
        self._lock = threading.RLock()
        self._accounts: dict[str, Account] = {}
        self.max_bet_cents = DEFAULT_MAX_BET_CENTS

    def reset(self) -> None:
        """Forget every account, decoToken, price move and suspension."""
        with self._lock:
            self._accounts.clear()
            self.max_bet_cents = DEFAULT_MAX_BET_CENTS
        self.decos.clear()
        self.adjustments.clear()

    def account(self, number: str) -> Account:
        """The account `number`, settled up to now (created with its history on first use)."""
        with self._lock:
            account = self._accounts.get(number)
            if account is None:
                account = history.open_account(self.world, number, self.max_bet_cents)
                self._accounts[number] = account
            self.settle(account)
            return account

    def settle(self, account: Account) -> int:
        """Settle every running bet whose race has paid; returns how many settled."""
        settled = 0
        with self._lock:
            for bet in account.bets:
                if bet.status != RUNNING:
                    continue
                found = self._outcome(bet)
                if found is not None:
                    account.record_result(bet, found[0], found[1], bodies.describe(bet))
                    settled += 1
        return settled

    def _outcome(self, bet: Bet) -> tuple[tuple[str, int], datetime] | None:
        event, now = bet.legs[0].race, self.world.clock.now()
        start = max(datetime.fromisoformat(leg.race_start.replace("Z", "+00:00"))
                    for leg in bet.legs)
        if now < start - ABANDON_NOTICE:  # nothing can have happened yet: skip the card
            return None
        if isinstance(event, MatchKey):
            result = match_result(self.world, event)
            if result is None:
                return None
            return settle_same_game(bet, result), settled_time(result, now)
        card = race_body(self.world, event)
        outcome = settle(bet, card)
        return None if outcome is None else (outcome, settled_time(card, now))

    def adjust_balance(self, account: Account, cents: int) -> None:
        """Set the balance to `cents` through one adjustment transaction."""
        with self._lock:
            account.move(self.world.clock.now(), "Adjustment", cents - account.balance_cents,
                         "Balance set by the sandbox")

    def enquiry(self, number: str | None, body: object, jurisdiction: str) -> Body:
        """Price the bets of an enquiry; with an account, mint a decoToken per priced leg."""
        _, bets = _bets_of(body)
        now = self.world.clock.now()
        answers = []
        for i, raw in enumerate(bets):
            priced = self.pricer.price(raw, f"bets[{i}]", jurisdiction)
            if number is not None and not priced.errors and priced.odds is not None:
                for leg_body, key in zip(priced.leg_bodies, priced.leg_keys, strict=True):
                    odds = float(leg_body["odds"]["decimal"])
                    leg_body["decoToken"] = self.decos.mint(DecoQuote(number, key, odds, now))
            answers.append(bodies.enquiry_bet(priced))
        return {"bets": answers}

    def betslip(self, number: str, body: object, jurisdiction: str,
                commit: bool = True) -> tuple[int, Body]:
        """Answer a betslip (or, with `commit=False`, a betslip-enquiry)."""
        raw_id, bets = _bets_of(body)
        transaction_id = _uuid(raw_id)
        with self._lock:
            account = self.account(number)
            if commit and transaction_id in account.answered:
                return account.answered[transaction_id]
            priced = [self.pricer.price(raw, f"bets[{i}]", jurisdiction)
                      for i, raw in enumerate(bets)]
            for i, bet in enumerate(priced):
                if bet.kind == "FIXED_ODDS" and any(o is None and t is None
                                                    for o, t in bet.requested):
                    raise BadBet("each fixed-odds leg needs the odds it was quoted (odds) or "
                                 "its decoToken", f"bets[{i}].legs[0]")
            available = account.balance_cents
            answer_bets = []
            for bet in priced:
                self._check(account, bet, available)
                placed = None
                if not bet.errors:
                    available -= bet.cost_cents
                    if commit:
                        placed = self._place(account, bet, transaction_id)
                answer_bets.append(bodies.betslip_bet(bet, placed, transaction_id))
            answer = {"bets": answer_bets,
                      "errors": [e for b in answer_bets for e in b["errors"]]}
            if commit:
                account.answered[transaction_id] = (201, answer)
            return 201, answer

    def _check(self, account: Account, bet: PricedBet, available: int) -> None:
        now = self.world.clock.now()
        if bet.errors:
            return
        for (wanted, token), key in zip(bet.requested, bet.leg_keys, strict=True):
            if token is not None:
                problem = self.decos.problem(token, account.account_number, key, now)
                if problem is not None:
                    bet.errors.append(bet_error(*problem))
                    return
                wanted = wanted if wanted is not None else self.decos.odds(token)
            if wanted is not None and bet.odds is not None and wanted != bet.odds:
                bet.errors.append(bet_error(
                    "PRICE_CHANGED", f"the price has moved from {wanted:.2f} to {bet.odds:.2f}",
                    bet.legs[0].proposition_id, bet.odds, wanted))
                return
        if bet.cost_cents > account.max_bet_cents:
            bet.errors.append(bet_error(
                "EXCEEDS_MAX_BET_AMOUNT", f"the bet costs {dollars(bet.cost_cents)}, over the "
                f"account's maximum of {dollars(account.max_bet_cents)} per bet"))
        elif bet.cost_cents > available:
            bet.errors.append(bet_error(
                "INSUFFICIENT_FUNDS", f"the bet costs {dollars(bet.cost_cents)} and the balance "
                f"is {dollars(max(0, available))}"))

    def _place(self, account: Account, priced: PricedBet, transaction_id: str) -> Bet:
        bet = Bet(account.new_bet_id(), transaction_id, self.world.clock.now(), priced.kind,
                  priced.bet_type, priced.stake_cents, priced.cost_cents, list(priced.legs),
                  priced.odds, priced.combinations)
        account.take(bet, bodies.describe(bet))
        return bet
