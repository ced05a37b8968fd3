"""JSON parsing with a nesting limit: deep input is a plain `ValueError`, never a crash.

`json.loads` recurses once per level and raises `RecursionError` on deep enough input, which
the callers' `except ValueError` does not catch; some callers also want a much lower limit.
"""

from __future__ import annotations

import json
from typing import Any

#: Deep enough for any configuration or upstream document this server reads.
DEFAULT_MAX_DEPTH = 64


class JsonTooDeep(ValueError):
    """The JSON nests deeper than allowed."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(f"JSON nested deeper than {max_depth} levels")
        self.max_depth = max_depth


def loads(text: str | bytes, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """`json.loads(text)`, refusing more than `max_depth` nested arrays/objects with
    `JsonTooDeep` (a `ValueError`, like every other parse failure)."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep(max_depth) from None
    if _depth_exceeds(value, max_depth):
        raise JsonTooDeep(max_depth)
    return value


def _depth_exceeds(value: Any, max_depth: int) -> bool:
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        if depth >= max_depth:
            return True
        pending.extend((child, depth + 1) for child in item
                       if isinstance(child, dict | list))
    return False
