"""Exotic chances (Harville) and the dividends a resulted race pays."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from app.sandbox.world.market import tote_win

Body = dict[str, Any]
_TAKE = {"Quinella": 0.825, "Exacta": 0.8, "Duet": 0.85, "Trifecta": 0.79, "FirstFour": 0.77,
         "RunningDouble": 0.8, "DailyDouble": 0.8, "Treble": 0.79, "Quaddie": 0.79,
         "EarlyQuaddie": 0.79, "Big6": 0.75}


def ordered(chances: dict[int, float], sequence: Sequence[int]) -> float:
    """Harville chance that `sequence` fills the first places in that order."""
    p = 1.0
    used = 0.0
    for n in sequence:
        c = chances.get(n, 0.0)
        if used >= 1.0 or c <= 0:
            return 0.0
        p *= c / (1.0 - used)
        used += c
    return p


def combination_chance(product: str, chances: dict[int, float], selection: Sequence[int]) -> float:
    """Chance a selection collects in `product` (Quinella/Exacta/Duet/Trifecta/FirstFour)."""
    if product == "Quinella":
        a, b = selection
        return ordered(chances, (a, b)) + ordered(chances, (b, a))
    if product == "Duet":
        a, b = selection
        total = 0.0
        for c in chances:
            if c in (a, b):
                continue
            for perm in itertools.permutations((a, b, c)):
                total += ordered(chances, perm)
        return total
    return ordered(chances, selection)


def payout(product: str, chance: float) -> int | float:
    """A dividend for a $1 unit, one decimal."""
    if chance <= 0:
        return 0
    value = max(1.0, round(_TAKE[product] / chance, 1))
    return int(value) if value == int(value) else value


def approximates(product: str, chances: dict[int, float]) -> list[Body]:
    """Every two-runner combination's approximate return (ordered for Exacta)."""
    runners = sorted(chances)
    pairs = (itertools.permutations(runners, 2) if product == "Exacta"
             else itertools.combinations(runners, 2))
    return [{"selections": list(pair),
             "return": payout(product, combination_chance(product, chances, pair))}
            for pair in pairs]


def _dividend(product: str, pool_dividends: list[Body]) -> Body:
    return {"wageringProduct": product, "poolStatusCode": "Paying", "jackpotCarriedOver": 0,
            "countBackLevelDescription": None, "poolDividends": pool_dividends}


_NO_PAY = [{"selections": ["F"], "amount": 0}]


def race_dividends(results: list[list[int]], chances: dict[int, float],
                   place_returns: dict[int, float], places: int, starters: int) -> list[Body]:
    """The single-race dividends of a resulted race (`chances` = final tote chances)."""
    first, second, third = results[0][0], results[1][0], results[2][0]
    fourths = results[3] if len(results) > 3 else []
    items = [_dividend("Win", [{"selections": [first], "amount": tote_win(chances[first])}])]
    placed = [first, second, third][:places]
    items.append(_dividend("Place", [{"selections": [n], "amount": place_returns[n]}
                                     for n in placed] or _NO_PAY))
    quinella = sorted((first, second))
    items.append(_dividend("Quinella", [{"selections": quinella, "amount": payout(
        "Quinella", combination_chance("Quinella", chances, quinella))}]))
    items.append(_dividend("Exacta", [{"selections": [first, second], "amount": payout(
        "Exacta", ordered(chances, (first, second)))}]))
    if starters >= 8:
        duets = [sorted(p) for p in ((first, second), (first, third), (second, third))]
        items.append(_dividend("Duet", [{"selections": d, "amount": payout(
            "Duet", combination_chance("Duet", chances, d))} for d in duets]))
    else:
        items.append(_dividend("Duet", _NO_PAY))
    items.append(_dividend("Trifecta", [{"selections": [first, second, third], "amount": payout(
        "Trifecta", ordered(chances, (first, second, third)))}]))
    items.append(_dividend("FirstFour", [
        {"selections": [first, second, third, f], "amount": payout(
            "FirstFour", ordered(chances, (first, second, third, f)))} for f in fourths]
        or _NO_PAY))
    return items


def multi_dividend(product: str, winners: Sequence[int], chance: float) -> Body:
    """A multi-race pool's dividend, listed on its last leg."""
    return _dividend(product, [{"selections": list(winners), "amount": payout(product, chance)}])
