"""One sandbox account: its balance, transactions, bets and answered betslips."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.sandbox.account.catalogue import RaceKey
from app.sandbox.account.money import times
from app.sandbox.account.sports import MatchKey

#: Bet statuses: taken and waiting for its race, or settled.
RUNNING, SETTLED = "Unresulted", "Resulted"


@dataclass(frozen=True)
class Leg:
    """One priced selection of a bet: a runner, a same-race or same-game multi proposition, or
    an exotic's runners. For a sports leg `race` is the match and `venue_name` its name."""

    type: str  # WIN, PLACE, TOP1..TOP4, or the exotic product for a tote bet
    race: RaceKey | MatchKey
    proposition_id: int | None
    runner_numbers: tuple[tuple[int, ...], ...]  # per position; one runner for fixed odds
    runner_name: str
    venue_name: str
    race_start: str
    odds: float | None  # None for a tote bet (paid at the dividend)
    place_odds: float | None = None  # the place half of an each-way bet
    market: str = ""  # a sports leg's market name


@dataclass
class Bet:
    """A bet the account holds."""

    bet_id: int
    transaction_id: str
    placed_at: datetime
    kind: str  # FIXED_ODDS or PARIMUTUEL
    bet_type: str  # WIN, PLACE, EACH_WAY, SAME_RACE_MULTI, or an exotic product
    stake_cents: int
    cost_cents: int
    legs: list[Leg]
    odds: float | None  # the bet's price (the combined price of a multi)
    combinations: int = 1
    status: str = RUNNING
    outcome: str | None = None  # WON, LOST, REFUNDED
    return_cents: int = 0
    settled_at: datetime | None = None

    def potential_cents(self) -> int | None:
        """What the bet returns if every leg wins (None for a tote bet)."""
        place = self.legs[0].place_odds if self.legs else None
        return potential_return(self.bet_type, self.stake_cents, self.odds, place)


def potential_return(bet_type: str, stake_cents: int, odds: float | None,
                     place_odds: float | None) -> int | None:
    """The return if a bet wins outright (both halves of an each-way); None for tote bets."""
    if odds is None:
        return None
    if bet_type == "EACH_WAY" and place_odds is not None:
        return times(stake_cents, odds) + times(stake_cents, place_odds)
    return times(stake_cents, odds)


@dataclass(frozen=True)
class Transaction:
    """One movement of the balance."""

    transaction_id: int
    time: datetime
    type: str  # Deposit, BonusCredit, BetPlaced, BetReturn, BetRefund
    amount_cents: int  # signed
    balance_cents: int  # after the movement
    description: str
    bet_id: int | None = None


@dataclass
class Account:
    """A TAB account of the sandbox. Mutated only under the book's lock."""

    account_number: str
    customer_id: int
    jurisdiction: str
    max_bet_cents: int
    balance_cents: int = 0
    bonus_cents: int = 0  # bonus credit: in the balance, not withdrawable
    bets: list[Bet] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    answered: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    next_bet_id: int = 0
    next_transaction_id: int = 0

    @property
    def withdrawable_cents(self) -> int:
        """The part of the balance that may be withdrawn."""
        return max(0, self.balance_cents - self.bonus_cents)

    def move(self, when: datetime, kind: str, amount_cents: int, description: str,
             bet_id: int | None = None) -> Transaction:
        """Record one balance movement."""
        self.balance_cents += amount_cents
        if kind == "BonusCredit":
            self.bonus_cents += amount_cents
        elif amount_cents < 0 and self.bonus_cents:
            self.bonus_cents = max(0, self.bonus_cents + amount_cents)  # bonus is spent first
        self.next_transaction_id += 1
        record = Transaction(self.next_transaction_id, when, kind, amount_cents,
                             self.balance_cents, description, bet_id)
        self.transactions.append(record)
        return record

    def take(self, bet: Bet, description: str) -> None:
        """Hold `bet` and charge its cost."""
        self.bets.append(bet)
        self.move(bet.placed_at, "BetPlaced", -bet.cost_cents, description, bet.bet_id)

    def record_result(self, bet: Bet, outcome: tuple[str, int], when: datetime,
                      description: str) -> None:
        """Settle `bet` with (outcome, cents returned) and credit the return."""
        bet.outcome, bet.return_cents = outcome
        bet.status, bet.settled_at = SETTLED, when
        if bet.return_cents:
            kind = "BetRefund" if bet.outcome == "REFUNDED" else "BetReturn"
            self.move(when, kind, bet.return_cents, description, bet.bet_id)

    def new_bet_id(self) -> int:
        """The next ticket number."""
        self.next_bet_id += 1
        return self.next_bet_id

    def bet_by_transaction(self, transaction_id: str) -> list[Bet]:
        """The bets a betslip with this transaction id placed."""
        return [b for b in self.bets if b.transaction_id == transaction_id]


def history_transaction_id(account_number: str, index: int) -> str:
    """A stable transaction id for a seeded history bet."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox:{account_number}:history:{index}"))
