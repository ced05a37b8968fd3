"""What counts as a price in the upstream's bodies."""

from __future__ import annotations

from typing import Any


def usable_price(value: Any) -> float | None:
    """A usable decimal price, or None (0 and negatives mean no price)."""
    if isinstance(value, int | float) and value > 1.0:
        return float(value)
    return None
