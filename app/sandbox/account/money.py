"""Amounts in whole cents, and the upstream's two ways of writing them."""

from __future__ import annotations

import re

_STAKE = re.compile(r"\d{1,7}(\.\d{1,2})?")


def dollars(cents: int) -> str:
    """An account amount as the upstream writes it: `"$12.50"` (negative as `"-$3.00"`)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}${whole}.{part:02d}"


def plain(cents: int) -> str:
    """A stake or return as a betting body writes it: `"12.50"`."""
    whole, part = divmod(cents, 100)
    return f"{whole}.{part:02d}"


def parse_stake(value: object) -> int | None:
    """Cents of a stake sent as `"10.00"` (or a number); None when it is not a positive amount."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = f"{value:.2f}" if isinstance(value, float) else str(value)
    if not isinstance(value, str) or not _STAKE.fullmatch(value.strip()):
        return None
    whole, _, part = value.strip().partition(".")
    cents = int(whole) * 100 + int((part + "00")[:2])
    return cents if cents > 0 else None


def odds_text(odds: float) -> str:
    """Decimal odds as betting bodies write them: `"3.40"`."""
    return f"{odds:.2f}"


def parse_odds(value: object) -> float | None:
    """Decimal odds sent as `"3.40"` or a number; None when absent or not a price above 1."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        odds = float(value) if isinstance(value, int | float | str) else 0.0
    except ValueError:
        return None
    return round(odds, 2) if odds > 1 else None


def times(stake_cents: int, odds: float) -> int:
    """The return of `stake_cents` at decimal `odds`, rounded down to the cent."""
    return int(stake_cents * round(odds * 100) // 100)
