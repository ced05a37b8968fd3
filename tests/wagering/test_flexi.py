"""Cost, flexi percentage and approximate return of exotic bets."""

from __future__ import annotations

import itertools
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.wagering.exotics import FIELD, BetError, exotic_bet
from app.wagering.flexi import approximate_return, price


@settings(max_examples=200, deadline=None)
@given(box=st.integers(3, 12), cents=st.integers(100, 500_000))
def test_flexi_is_outlay_over_combinations_rounded_down(box: int, cents: int) -> None:
    bet = exotic_bet("Trifecta", "boxed", [list(range(1, box + 1))])
    combos = box * (box - 1) * (box - 2)
    exact = Decimal(cents) / 100 / combos * 100
    if exact < 1:
        with pytest.raises(BetError, match="minimum is 1%"):
            price(bet, outlay=cents / 100)
        return
    pricing = price(bet, outlay=cents / 100)
    assert pricing.combinations == combos
    assert pricing.cost == cents / 100
    assert Decimal(str(pricing.flexi_pct)) == exact.quantize(Decimal("0.01"), ROUND_DOWN)
    assert pricing.flexi_bp * combos <= cents * 100  # never credits more than it buys


@settings(max_examples=100, deadline=None)
@given(legs=st.lists(st.integers(1, 6), min_size=4, max_size=4),
       stake_cents=st.integers(1, 1000))
def test_unit_stake_costs_stake_times_combinations(legs: list[int],
                                                   stake_cents: int) -> None:
    bet = exotic_bet("Quaddie", "legs", [[FIELD]] * 4, legs)
    combos = legs[0] * legs[1] * legs[2] * legs[3]
    if stake_cents * combos < 100:
        with pytest.raises(BetError, match=r"minimum bet is \$1.00"):
            price(bet, stake=stake_cents / 100)
        return
    pricing = price(bet, stake=stake_cents / 100)
    assert pricing.cost_cents == stake_cents * combos
    assert pricing.flexi_pct == stake_cents  # a 50c unit is a 50% flexi


def test_default_is_a_one_dollar_unit() -> None:
    pricing = price(exotic_bet("FirstFour", "boxed", [[1, 2, 3, 4, 5]]))
    assert (pricing.combinations, pricing.cost, pricing.flexi_pct) == (120, 120.0, 100.0)


@pytest.mark.parametrize(("stake", "outlay", "says"), [
    (1.0, 10.0, "not both"),
    (None, 0.5, "minimum bet is $1.00"),
    (None, 10.005, "not whole cents"),
    (None, -3.0, "between $0.01"),
    (0.0, None, "between $0.01"),
    (None, 2.0, "send an outlay of at least $16.80"),
])
def test_bad_amounts_say_what_to_send(stake: float | None, outlay: float | None,
                                      says: str) -> None:
    bet = exotic_bet("FirstFour", "boxed", [[1, 2, 3, 4, 5, 6, 7, 8]])  # 1,680 combinations
    with pytest.raises(BetError) as error:
        price(bet, stake=stake, outlay=outlay)
    assert says in str(error.value), str(error.value)


def _dividends(product: str, field: int) -> list[tuple[list[int], float]]:
    """A made-up dividend for every pair of the field; runner 4 first is a scratched 0."""
    pairs = (itertools.permutations(range(1, field + 1), 2) if product == "Exacta"
             else itertools.combinations(range(1, field + 1), 2))
    return [(list(p), float(3 * p[0] + 7 * p[1]) if p[0] != 4 else 0.0) for p in pairs]


@settings(max_examples=100, deadline=None)
@given(product=st.sampled_from(["Quinella", "Exacta", "Duet"]),
       box=st.lists(st.integers(1, 8), min_size=2, max_size=6, unique=True),
       cents=st.integers(100, 5000))
def test_approximate_return_scales_the_covered_dividends(product: str, box: list[int],
                                                         cents: int) -> None:
    bet = exotic_bet(product, "boxed", [box])
    pricing = price(bet, outlay=cents / 100) if cents >= bet.combinations else price(bet)
    dividends = _dividends(product, 8)
    covered = [amount for pair, amount in dividends if set(pair) <= set(box) and amount]
    approximates = [{"selections": pair, "return": amount} for pair, amount in dividends]
    found = approximate_return(bet, pricing, [*approximates, "junk", {"return": 5}])
    if not covered:
        assert found is None
        return
    assert found is not None and found.priced == len(covered)
    scale = pricing.flexi_pct / 100
    assert found.lowest == round(min(covered) * scale, 2)
    assert found.highest == round(max(covered) * scale, 2)
