"""Exotic combinations against brute-force enumeration of what each bet type means."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.wagering.exotics import (
    FIELD,
    PRODUCTS,
    BetError,
    ExoticBet,
    ProductName,
    exotic_bet,
)

SINGLE_RACE = [name for name, rule in PRODUCTS.items() if rule.single_race]
MULTI_RACE = [name for name, rule in PRODUCTS.items() if not rule.single_race]
ORDERED = [name for name, rule in PRODUCTS.items() if rule.kind == "ordered"]
UNORDERED = [name for name, rule in PRODUCTS.items() if rule.kind == "unordered"]
Combo = tuple[int, ...]


def expand(leg: Sequence[int | str], field: int) -> list[int]:
    return list(range(1, field + 1)) if FIELD in leg else [int(x) for x in leg]


def brute_force(product: str, bet_type: str, legs: list[list[int | str]],
                fields: list[int]) -> set[Combo] | set[frozenset[int]]:
    """Every combination the bet means, enumerated from the definitions of the bet types."""
    rule = PRODUCTS[product]
    field = fields[0]
    if rule.kind == "races":
        return set(itertools.product(*(expand(leg, f) for leg, f in zip(legs, fields,
                                                                          strict=True))))
    if rule.kind == "unordered":
        if bet_type == "boxed":
            return {frozenset(pair) for pair in itertools.combinations(expand(legs[0], field), 2)}
        standouts = expand(legs[0], field)
        others = [o for o in expand(legs[1], field) if o not in standouts]  # 'F' = the rest
        return {frozenset((s, o)) for s in standouts for o in others}
    if bet_type == "boxed":
        return set(itertools.permutations(expand(legs[0], field), rule.legs))
    if bet_type == "standout":
        standouts = expand(legs[0], field)
        others = [o for o in expand(legs[1], field) if o not in standouts]
        return {(s, *rest) for s in standouts
                for rest in itertools.permutations(others, rule.legs - 1)}
    return {combo for combo in itertools.product(*(expand(leg, field) for leg in legs))
            if len(set(combo)) == len(combo)}


def candidates(bet: ExoticBet, fields: list[int]) -> list[Combo]:
    """Every one-runner-per-leg combination of the fields (the universe `covers` judges)."""
    sizes = fields * bet.product.legs if bet.product.single_race else fields
    return list(itertools.product(*(range(1, size + 1) for size in sizes)))


def check(product: str, bet_type: str, legs: list[list[int | str]], fields: list[int]) -> None:
    expected = brute_force(product, bet_type, legs, fields)
    try:
        bet = exotic_bet(product, bet_type, legs, fields)  # type: ignore[arg-type]
    except BetError:
        assert not expected or _invalid_shape(product, bet_type, legs)
        return
    assert bet.combinations == len(expected) > 0
    for combo in candidates(bet, fields):
        meant = (frozenset(combo) in expected and len(set(combo)) == 2
                 if PRODUCTS[product].kind == "unordered" else combo in expected)
        assert bet.covers(combo) is meant, combo


def _invalid_shape(product: str, bet_type: str, legs: list[list[int | str]]) -> bool:
    """Inputs the rules reject even though they name combinations (overlaps, short boxes)."""
    rule = PRODUCTS[product]
    if bet_type == "straight":
        return any(len(leg) != 1 or FIELD in leg for leg in legs)
    if bet_type == "standout":
        return FIELD in legs[0] or bool(set(legs[0]) & set(legs[1]) - {FIELD})
    return rule.kind == "unordered" and bet_type == "legs"


runner_sets = st.lists(st.integers(1, 7), min_size=1, max_size=5, unique=True)


def leg(field: int) -> st.SearchStrategy[list[int | str]]:
    numbers = st.lists(st.integers(1, field), min_size=1, max_size=min(field, 5), unique=True)
    return st.one_of(numbers, st.just([FIELD]))


@settings(max_examples=150, deadline=None)
@given(product=st.sampled_from(ORDERED), data=st.data(), field=st.integers(4, 7))
def test_ordered_legs_match_enumeration(product: str, data: st.DataObject, field: int) -> None:
    legs = [data.draw(leg(field)) for _ in range(PRODUCTS[product].legs)]
    check(product, "legs", legs, [field])


@settings(max_examples=150, deadline=None)
@given(product=st.sampled_from(SINGLE_RACE), data=st.data(), field=st.integers(2, 7))
def test_boxed_matches_enumeration(product: str, data: st.DataObject, field: int) -> None:
    box = data.draw(leg(field))
    check(product, "boxed", [box], [field])


@settings(max_examples=150, deadline=None)
@given(product=st.sampled_from(SINGLE_RACE), data=st.data(), field=st.integers(3, 7))
def test_standout_matches_enumeration(product: str, data: st.DataObject, field: int) -> None:
    standouts = data.draw(st.lists(st.integers(1, field), min_size=1, max_size=2, unique=True))
    pool = [n for n in range(1, field + 1) if n not in standouts]
    others = data.draw(st.one_of(
        st.just([FIELD]), st.lists(st.sampled_from(pool), min_size=1, unique=True)
        if pool else st.just([FIELD])))
    check(product, "standout", [standouts, others], [field])  # type: ignore[list-item]


@settings(max_examples=100, deadline=None)
@given(product=st.sampled_from(SINGLE_RACE + MULTI_RACE), data=st.data())
def test_straight_is_one_combination(product: str, data: st.DataObject) -> None:
    rule = PRODUCTS[product]
    size = 6 if rule.single_race else 3  # 3⁶ candidates for a Big6, not 8⁶
    fields = [size] if rule.single_race else [size] * rule.legs
    picks = data.draw(st.lists(st.integers(1, size), min_size=rule.legs, max_size=rule.legs,
                               unique=rule.single_race))
    legs: list[list[int | str]] = [[p] for p in picks]
    check(product, "straight", legs, fields)
    assert exotic_bet(product, "straight", legs).combinations == 1


@settings(max_examples=80, deadline=None)
@given(product=st.sampled_from(MULTI_RACE), data=st.data())
def test_multi_race_legs_match_enumeration(product: str, data: st.DataObject) -> None:
    rule = PRODUCTS[product]
    fields = data.draw(st.lists(st.integers(2, 4), min_size=rule.legs, max_size=rule.legs))
    legs = [data.draw(leg(f)) for f in fields]
    check(product, "legs", legs, fields)


def test_large_fields_count_without_enumerating() -> None:
    first_four = exotic_bet("FirstFour", "legs", [[FIELD]] * 4, [24])
    assert first_four.combinations == 24 * 23 * 22 * 21
    big6 = exotic_bet("Big6", "legs", [[FIELD]] * 6, [24, 20, 18, 16, 14, 12])
    assert big6.combinations == 24 * 20 * 18 * 16 * 14 * 12


def test_product_names_are_the_published_literal() -> None:
    assert sorted(get_args(ProductName)) == sorted(PRODUCTS)


@pytest.mark.parametrize(("product", "bet_type", "legs", "fields", "says"), [
    ("Trifecta", "legs", [[1, 1], [2], [3]], None, "selected twice"),
    ("Trifecta", "standout", [[5]], None, "[standouts, others]"),
    ("Trifecta", "standout", [[5], [5, 6, 7]], None, "both a standout"),
    ("Trifecta", "standout", [[5], [6]], None, "at least 2 other"),
    ("Duet", "boxed", [[3]], None, "at least 2 runners"),
    ("Quinella", "legs", [[1, 2], [3]], None, "unordered"),
    ("Quaddie", "legs", [[1], [2], [3]], None, "takes 4 legs"),
    ("Quaddie", "boxed", [[1, 2, 3, 4]], None, "cannot be boxed"),
    ("Treble", "standout", [[1], [2]], None, "no standout"),
    ("Exacta", "legs", [[1], [9]], [8], "out of range (the field has 8"),
    ("Exacta", "legs", [[0], [2]], None, "out of range"),
    ("Exacta", "legs", [[1], [FIELD]], None, "needs the race's field size"),
    ("Exacta", "legs", [[1], [FIELD, 2]], [8], "not both"),
    ("Exacta", "legs", [[1], []], None, "has no runners"),
    ("Exacta", "legs", [[1], [1]], None, "no Exacta combination"),
    ("Exacta", "straight", [[1, 2], [3]], None, "one runner per position"),
    ("Quaddie", "legs", [[1], [2], [3], [4]], [8, 8], "4 field sizes"),
    ("Trifecta", "boxed", [[1, 2, 3]], [99], "field size 99"),
    ("Superfecta", "boxed", [[1, 2, 3]], None, "unknown product"),
    ("Trifecta", "standout", [[FIELD], [1, 2]], [8], "cannot be the standouts"),
])
def test_bad_bets_say_what_to_send(product: str, bet_type: str, legs: list[list[int | str]],
                                   fields: list[int] | None, says: str) -> None:
    with pytest.raises(BetError, match=None) as error:
        exotic_bet(product, bet_type, legs, fields)  # type: ignore[arg-type]
    assert says in str(error.value), str(error.value)
