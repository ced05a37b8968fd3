"""Exotic bets: which combinations a selection covers and how many there are.

A bet is held as one runner set per *leg*: a finishing position (1st, 2nd…) for the
single-race products, a race for the multi-race ones. Boxed and standout bets are legs too
(a box is the same set in every position; a standout is the standouts in 1st and the others
after). Quinella and Duet are unordered: a pair counts once whichever leg each runner is in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import comb, prod
from typing import Literal

#: Stands for every runner of a leg's race (needs that race's field size).
FIELD = "F"
#: The highest saddlecloth number accepted when no field size is given.
MAX_RUNNER = 40

ProductName = Literal["Quinella", "Exacta", "Duet", "Trifecta", "FirstFour", "RunningDouble",
                      "DailyDouble", "Treble", "Quaddie", "EarlyQuaddie", "Big6"]
BetType = Literal["straight", "boxed", "standout", "legs"]
Kind = Literal["ordered", "unordered", "races"]
Selection = Sequence[int | str]


class BetError(ValueError):
    """A bet that cannot be priced, with what to send instead."""


@dataclass(frozen=True, slots=True)
class Product:
    """An exotic product: its legs and whether order matters."""

    name: str
    legs: int
    kind: Kind

    @property
    def single_race(self) -> bool:
        return self.kind != "races"

    def leg_name(self, index: int) -> str:
        """'1st' … or 'race 1' …, for messages."""
        if not self.single_race:
            return f"leg {index + 1}"
        return ("1st", "2nd", "3rd", "4th")[index]


PRODUCTS: dict[str, Product] = {p.name: p for p in (
    Product("Quinella", 2, "unordered"), Product("Duet", 2, "unordered"),
    Product("Exacta", 2, "ordered"), Product("Trifecta", 3, "ordered"),
    Product("FirstFour", 4, "ordered"),
    Product("RunningDouble", 2, "races"), Product("DailyDouble", 2, "races"),
    Product("Treble", 3, "races"), Product("Quaddie", 4, "races"),
    Product("EarlyQuaddie", 4, "races"), Product("Big6", 6, "races"),
)}


@dataclass(frozen=True, slots=True)
class ExoticBet:
    """A validated exotic bet: one runner set per leg."""

    product: Product
    bet_type: BetType
    legs: tuple[frozenset[int], ...]

    @property
    def combinations(self) -> int:
        """How many distinct combinations the bet covers."""
        if self.product.kind == "races":
            return prod(len(leg) for leg in self.legs)
        if self.product.kind == "unordered":
            first, second = self.legs
            both = len(first & second)
            # pairs across the legs, less a runner with itself, less pairs seen both ways
            return len(first) * len(second) - both - comb(both, 2)
        return _distinct_assignments(self.legs)

    def covers(self, selections: Sequence[int]) -> bool:
        """True when the combination `selections` (one runner per leg) is part of the bet."""
        if len(selections) != len(self.legs):
            return False
        if self.product.kind == "races":
            return all(s in leg for s, leg in zip(selections, self.legs, strict=True))
        if len(set(selections)) != len(selections):
            return False
        if self.product.kind == "unordered":
            a, b = selections
            first, second = self.legs
            return (a in first and b in second) or (b in first and a in second)
        return all(s in leg for s, leg in zip(selections, self.legs, strict=True))


def _distinct_assignments(legs: Sequence[frozenset[int]]) -> int:
    """Ways to give every leg a runner of its own set, no runner twice (ordered products).

    Counted runner by runner over the set of legs already filled, so a 40-runner First Four
    costs a few thousand steps, not 40⁴."""
    full = (1 << len(legs)) - 1
    ways = {0: 1}
    for runner in sorted(set().union(*legs)):
        places = [i for i, leg in enumerate(legs) if runner in leg]
        step = dict(ways)
        for filled, count in ways.items():
            for i in places:
                if not filled & (1 << i):
                    step[filled | (1 << i)] = step.get(filled | (1 << i), 0) + count
        ways = step
    return ways.get(full, 0)


def exotic_bet(product: str, bet_type: BetType, legs: Sequence[Selection],
               field_sizes: Sequence[int] | None = None) -> ExoticBet:
    """Validate a bet as an agent sends it and resolve it to runner sets per leg.

    `legs`: runner numbers per position (single-race products) or per race (multi-race);
    boxed takes one list, standout two ([standouts, others]). `FIELD` stands for every runner
    of that race and needs `field_sizes` (one per race). Raises `BetError` saying what to send.
    """
    rule = PRODUCTS.get(product)
    if rule is None:
        raise BetError(f"unknown product {product!r}; send one of {', '.join(PRODUCTS)}.")
    if not legs:
        raise BetError(f"no selections; send runner numbers, e.g. {_example(rule, 'legs')}.")
    sizes = _field_sizes(rule, field_sizes)
    if bet_type == "boxed":
        resolved = _boxed(rule, legs, sizes)
    elif bet_type == "standout":
        resolved = _standout(rule, legs, sizes)
    else:
        resolved = _positional(rule, bet_type, legs, sizes)
    bet = ExoticBet(rule, bet_type, resolved)
    if bet.combinations == 0:
        raise BetError(f"these selections make no {product} combination: every "
                       f"{'position' if rule.single_race else 'leg'} needs a runner of its "
                       f"own; e.g. {_example(rule, bet_type)}.")
    return bet


def _field_sizes(rule: Product, field_sizes: Sequence[int] | None) -> tuple[int, ...] | None:
    if field_sizes is None:
        return None
    races = 1 if rule.single_race else rule.legs
    if len(field_sizes) != races:
        what = "one field size (the race's runners)" if races == 1 else \
            f"{races} field sizes, one per leg"
        raise BetError(f"{rule.name} takes {what}; got {len(field_sizes)}.")
    for size in field_sizes:
        if not 1 <= size <= MAX_RUNNER:
            raise BetError(f"field size {size} is out of range; send 1 to {MAX_RUNNER}.")
    return tuple(field_sizes)


def _runners(rule: Product, selection: Selection, where: str, field: int | None,
             allow_field: bool = True) -> frozenset[int]:
    """One leg's runner set: numbers checked against the field, `FIELD` expanded."""
    if any(item == FIELD for item in selection):
        if not allow_field:
            raise BetError(f"'{FIELD}' (the field) cannot be {where}; name the runners.")
        if len(selection) > 1:
            raise BetError(f"{where}: send either '{FIELD}' alone or runner numbers, not both.")
        if field is None:
            races = "the race" if rule.single_race else "each leg"
            raise BetError(f"'{FIELD}' in {where} needs the race's field size: add "
                           f"field_sizes (runners in {races}).")
        return frozenset(range(1, field + 1))
    top = field or MAX_RUNNER
    seen: set[int] = set()
    for item in selection:
        if not isinstance(item, int) or isinstance(item, bool):
            raise BetError(f"{where}: {item!r} is not a runner number; send numbers or '{FIELD}'.")
        if not 1 <= item <= top:
            bound = f"the field has {field} runners" if field else f"numbers run 1 to {top}"
            raise BetError(f"{where}: runner {item} is out of range ({bound}).")
        if item in seen:
            raise BetError(f"{where}: runner {item} is selected twice; list each runner once.")
        seen.add(item)
    if not seen:
        raise BetError(f"{where} has no runners; give at least one number or '{FIELD}'.")
    return frozenset(seen)


def _boxed(rule: Product, legs: Sequence[Selection], sizes: tuple[int, ...] | None
           ) -> tuple[frozenset[int], ...]:
    if not rule.single_race:
        raise BetError(f"{rule.name} is a multi-race bet and cannot be boxed; send "
                       f"bet_type='legs' with one runner list per race, e.g. "
                       f"{_example(rule, 'legs')}.")
    if len(legs) != 1:
        raise BetError(f"a boxed {rule.name} takes one list of runners, e.g. "
                       f"{_example(rule, 'boxed')}; got {len(legs)} lists.")
    box = _runners(rule, legs[0], "the box", sizes[0] if sizes else None)
    if len(box) < rule.legs:
        raise BetError(f"a boxed {rule.name} needs at least {rule.legs} runners; got "
                       f"{len(box)}. Add runners, e.g. {_example(rule, 'boxed')}.")
    return (box,) * rule.legs


def _standout(rule: Product, legs: Sequence[Selection], sizes: tuple[int, ...] | None
              ) -> tuple[frozenset[int], ...]:
    if not rule.single_race:
        raise BetError(f"{rule.name} has no standout; send bet_type='legs' with one runner "
                       f"list per race, e.g. {_example(rule, 'legs')}.")
    if len(legs) != 2:
        raise BetError(f"a standout takes two lists, [standouts, others], e.g. "
                       f"{_example(rule, 'standout')}; got {len(legs)}.")
    field = sizes[0] if sizes else None
    standouts = _runners(rule, legs[0], "the standouts", field, allow_field=False)
    others = _runners(rule, legs[1], "the other runners", field)
    if legs[1] and legs[1][0] == FIELD:
        others -= standouts
    both = sorted(standouts & others)
    if both:
        raise BetError(f"runner {both[0]} is both a standout and an other runner; list it "
                       f"in one of them only.")
    if len(others) < rule.legs - 1:
        raise BetError(f"a standout {rule.name} needs at least {rule.legs - 1} other "
                       f"runner(s) to fill the places after 1st; got {len(others)}.")
    return (standouts,) + (others,) * (rule.legs - 1)


def _positional(rule: Product, bet_type: BetType, legs: Sequence[Selection],
                sizes: tuple[int, ...] | None) -> tuple[frozenset[int], ...]:
    if rule.kind == "unordered" and bet_type == "legs":
        raise BetError(f"{rule.name} is unordered: send bet_type='boxed' (e.g. "
                       f"{_example(rule, 'boxed')}), 'standout' or 'straight'.")
    if len(legs) != rule.legs:
        what = "positions" if rule.single_race else "legs (one runner list per race)"
        raise BetError(f"{rule.name} takes {rule.legs} {what}; got {len(legs)}. E.g. "
                       f"{_example(rule, bet_type)}.")
    resolved = tuple(
        _runners(rule, leg, rule.leg_name(i),
                 sizes[0 if rule.single_race else i] if sizes else None)
        for i, leg in enumerate(legs))
    if bet_type == "straight":
        for i, leg in enumerate(resolved):
            if len(leg) != 1:
                raise BetError(f"a straight {rule.name} takes one runner per "
                               f"{'position' if rule.single_race else 'leg'}; "
                               f"{rule.leg_name(i)} has {len(leg)}. Send bet_type='legs' "
                               f"for several.")
    return resolved


def _example(rule: Product, bet_type: str) -> str:
    """A valid `legs` value for `rule` and `bet_type`, for messages."""
    if bet_type == "boxed":
        return str([list(range(1, rule.legs + 2))])
    if bet_type == "standout":
        return str([[1], list(range(2, rule.legs + 2))])
    if bet_type == "straight" or rule.kind == "unordered":
        return str([[i] for i in range(1, rule.legs + 1)])
    if rule.single_race:
        return str([[1, 2]] + [[1, 2, 3]] * (rule.legs - 1))
    return str([[1, 4]] + [[2]] * (rule.legs - 1))
