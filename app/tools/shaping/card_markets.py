"""The race card's side markets and multi-leg approximates, each as one compact entry."""

from __future__ import annotations

from typing import Any

from app.tools.shaping.prices import usable_price

#: Side-market names as the card lists them; Top 1 is left out (it is the win market).
_SAME_RACE = ("Top 2", "Top 3", "Top 4")
_OPEN = "Open"


def _line(pairs: list[tuple[float, int]]) -> str:
    """`6=18.8 3=34.5 …`: runner number = price, shortest price first."""
    return " ".join(f"{number}={value:g}" for value, number in sorted(pairs))


def _prices(market: dict[str, Any]) -> list[tuple[float, int]]:
    """(price, runner number) of the market's open propositions."""
    out = []
    for prop in market.get("propositions") or []:
        if not isinstance(prop, dict) or prop.get("bettingStatus", _OPEN) != _OPEN:
            continue
        price, number = usable_price(prop.get("returnWin")), prop.get("runnerNumber")
        if price and isinstance(number, int):
            out.append((price, number))
    return out


def side_markets(race: dict[str, Any]) -> dict[str, str] | None:
    """Open same-race-multi (Top 2/3/4) and extra fixed markets (e.g. Favourite Out), by name,
    one compact line each."""
    out = {}
    candidates = [m for m in race.get("sameRaceMultiMarkets") or []
                  if isinstance(m, dict) and m.get("betOption") in _SAME_RACE]
    candidates += [m for m in race.get("extraMarkets") or [] if isinstance(m, dict)]
    for market in candidates:
        name = market.get("betOption") or market.get("name")
        prices = _prices(market) if market.get("bettingStatus", _OPEN) == _OPEN else []
        if isinstance(name, str) and prices:
            out[name] = _line(prices)
    return out or None


def _approximate_line(item: dict[str, Any]) -> str | None:
    """`leg 1 won by 4 CHUCHICHASCHTLI: 6=18.8 3=34.5 …`, shortest return first."""
    decided = [f"leg {r.get('legNumber')} won by {r.get('result')} {r.get('runnerName', '')}"
               .rstrip() for r in item.get("results") or [] if isinstance(r, dict)]
    returns = [(float(a["return"]), int(a["selection"]))
               for a in item.get("approximates") or []
               if isinstance(a, dict) and isinstance(a.get("selection"), int)
               and isinstance(a.get("return"), int | float) and a["return"] > 0]
    if not returns:
        return None
    return f"{', '.join(decided)}: {_line(returns)}" if decided else _line(returns)


def multi_leg(race: dict[str, Any]) -> dict[str, str] | None:
    """Multi-leg approximates (running double and the like), one line per product."""
    out = {}
    for pool in race.get("multiLegApproximates") or []:
        if not isinstance(pool, dict):
            continue
        lines = [line for item in pool.get("approximateSets") or [] if isinstance(item, dict)
                 if (line := _approximate_line(item))]
        if lines and isinstance(pool.get("wageringProduct"), str):
            out[pool["wageringProduct"]] = " | ".join(lines)
    return out or None


def odds_updated(race: dict[str, Any]) -> dict[str, str] | None:
    """When Tabcorp last updated the fixed and tote prices, as it says."""
    out = {label: str(race[key]) for label, key in (("fixed", "fixedOddsUpdateTime"),
                                                     ("tote", "oddsUpdateTime"))
           if race.get(key)}
    return out or None
