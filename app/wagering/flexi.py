"""What an exotic bet costs, its flexi percentage, and what it would return.

A combination's dividend is quoted per $1 unit; a bet of `outlay` over `n` combinations is a
flexi bet of `outlay / n × 100` percent of that unit and is paid that percentage of the
dividend (TAB's published flexi rule). Our conventions where the published rules are silent:
the percentage is rounded *down* to two decimals, so a quoted return never exceeds what the
outlay buys; amounts are whole cents; the minimums (a $1 bet, a 1% flexi, as tote operators
publish them) are the constants below, to be corrected in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.wagering.exotics import BetError, ExoticBet

#: Smallest total outlay of a bet, in cents.
MIN_OUTLAY_CENTS = 100
#: Smallest flexi percentage accepted, in hundredths of a percent.
MIN_FLEXI_BP = 100
#: Largest amount accepted, in cents (a guard on input, not a TAB limit).
MAX_CENTS = 100_000_000


@dataclass(frozen=True, slots=True)
class Pricing:
    """A bet's cost and flexi percentage (100 = a full $1 unit per combination)."""

    combinations: int
    cost_cents: int
    flexi_bp: int  # hundredths of a percent: 3333 = 33.33 %

    @property
    def cost(self) -> float:
        return self.cost_cents / 100

    @property
    def flexi_pct(self) -> float:
        return self.flexi_bp / 100


def _cents(amount: float, what: str) -> int:
    cents = round(amount * 100)
    if abs(amount * 100 - cents) > 1e-6:
        raise BetError(f"{what} ${amount} is not whole cents; send e.g. {cents / 100:.2f}.")
    if not 0 < cents <= MAX_CENTS:
        raise BetError(f"{what} must be between $0.01 and ${MAX_CENTS // 100:,}.")
    return cents


def price(bet: ExoticBet, stake: float | None = None, outlay: float | None = None) -> Pricing:
    """The cost of `bet` at `stake` dollars per combination (default $1), or its flexi
    percentage for a total `outlay`. Raises `BetError` below the minimums."""
    combos = bet.combinations
    if stake is not None and outlay is not None:
        raise BetError("give stake (per combination) or outlay (the total, as a flexi bet), "
                       "not both.")
    if outlay is None:
        unit = _cents(1.0 if stake is None else stake, "stake")
        pricing = Pricing(combos, unit * combos, unit * 100)
    else:
        total = _cents(outlay, "outlay")
        pricing = Pricing(combos, total, total * 100 // combos)
    if pricing.cost_cents < MIN_OUTLAY_CENTS:
        raise BetError(f"this bet costs ${pricing.cost:.2f}; the minimum bet is "
                       f"${MIN_OUTLAY_CENTS / 100:.2f}: raise the "
                       f"{'outlay' if outlay is not None else 'stake'} or add combinations.")
    if pricing.flexi_bp < MIN_FLEXI_BP:
        needed = -(-combos * MIN_FLEXI_BP // 100)
        raise BetError(f"${pricing.cost:.2f} over {combos:,} combinations is a "
                       f"{pricing.flexi_pct:.2f}% flexi; the minimum is "
                       f"{MIN_FLEXI_BP / 100:g}%: send an outlay of at least "
                       f"${needed / 100:,.2f} or take fewer combinations.")
    return pricing


@dataclass(frozen=True, slots=True)
class ApproximateReturn:
    """What the bet would return, at its flexi, if one of its priced combinations wins."""

    priced: int  # combinations of the bet with a published approximate
    lowest: float
    highest: float


def approximate_return(bet: ExoticBet, pricing: Pricing, approximates: Iterable[Any]
                       ) -> ApproximateReturn | None:
    """The lowest and highest return among the bet's combinations that `approximates` (the
    pool's `{selections, return}` entries, per $1 unit) prices; None when none is priced.
    A return of 0 (a scratched combination) is not a price."""
    returns = []
    for entry in approximates:
        if not isinstance(entry, dict):
            continue
        dividend, selections = entry.get("return"), entry.get("selections")
        if (not isinstance(dividend, int | float) or dividend <= 0
                or not isinstance(selections, list)
                or not all(isinstance(s, int) for s in selections)):
            continue
        if bet.covers(selections):
            returns.append(dividend)
    if not returns:
        return None
    scale = pricing.flexi_bp / 10_000
    return ApproximateReturn(priced=len(returns), lowest=round(min(returns) * scale, 2),
                             highest=round(max(returns) * scale, 2))
