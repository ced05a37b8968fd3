"""Pass-through of upstream data an agent can read: no HAL links, and a size cap that cuts
lists (never JSON text), saying what it left out."""

from __future__ import annotations

import json
from typing import Any

_LINK_KEYS = frozenset({"_links", "selfTemplate", "skyRacing", "silkURL"})


def strip_links(value: Any) -> Any:
    """`value` without HAL links, templates and media URLs, at every level."""
    if isinstance(value, dict):
        return {k: strip_links(v) for k, v in value.items() if k not in _LINK_KEYS}
    if isinstance(value, list):
        return [strip_links(v) for v in value]
    return value


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")))


def _longest_list(value: Any, path: str = "") -> tuple[int, str, list[Any] | None]:
    """(length, path, list) of the longest list inside `value`."""
    best: tuple[int, str, list[Any] | None] = (0, "", None)
    children: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        children = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        best = (len(value), path or "(top level)", value)
        children = [(f"{path}[]", v) for v in value]
    for child_path, child in children:
        if isinstance(child, dict | list):
            found = _longest_list(child, child_path)
            if found[0] > best[0]:
                best = found
    return best


def fit(value: Any, cap: int) -> tuple[Any, str | None]:
    """`value` cut to at most `cap` bytes of compact JSON by halving its longest lists.

    Returns the cut value and a note naming what was cut (None when nothing was).
    """
    cuts: dict[str, int] = {}
    while _size(value) > cap:
        length, path, items = _longest_list(value)
        if items is None or length <= 1:
            break
        cuts.setdefault(path, length)
        del items[max(1, length // 2):]
    if not cuts:
        return value, None
    described = ", ".join(f"{path} (first items of {total})" for path, total in cuts.items())
    return value, f"cut to fit {cap} bytes: {described}; ask for something narrower"
