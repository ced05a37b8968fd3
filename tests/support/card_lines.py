"""Reading the race card's compact `runner=price …` lines back as numbers."""

from __future__ import annotations


def read_line(line: str) -> dict[int, float]:
    """A compact `runner=price …` line as {runner: price}, checked shortest price first."""
    pairs = [item.split("=") for item in line.split()]
    prices = [float(value) for _, value in pairs]
    assert prices == sorted(prices), line
    return {int(number): float(value) for number, value in pairs}
