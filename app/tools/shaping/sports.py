"""Sports shaping: matches, markets and propositions as compact, priced lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.zones import SYDNEY
from app.tools.models.sports import Market, MatchSummary, NextMatch, Proposition
from app.tools.shaping.racing import minutes_to
from app.tools.timezones import parse_utc

#: Bet options that are a match's head-to-head market (soccer's is three-way "Result").
HEAD_TO_HEAD = frozenset({"head to head", "result", "match result", "match betting",
                          "win-draw-win", "money line"})


def sydney_time(timestamp: str | None) -> str | None:
    """An upstream UTC timestamp in Sydney time."""
    moment = parse_utc(timestamp)
    return moment.astimezone(SYDNEY).isoformat(timespec="minutes") if moment else None


def _price(item: dict[str, Any]) -> float | None:
    price = item.get("returnWin")
    return float(price) if isinstance(price, int | float) and price > 1 else None


def _proposition_id(item: dict[str, Any]) -> int | None:
    value = item.get("id")
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() else None


def proposition(item: dict[str, Any]) -> Proposition:
    """One outcome with its id (what a same-game multi leg names), price and implied
    probability."""
    priced = _price(item)
    line = item.get("line")
    return Proposition(
        id=_proposition_id(item), name=str(item.get("name", "")), price=priced,
        line=float(line) if isinstance(line, int | float) else None,
        status=item.get("bettingStatus"),
        implied_pct=round(100 / priced, 1) if priced else None)


def _propositions(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in item.get("propositions") or [] if isinstance(p, dict)]


def market(item: dict[str, Any]) -> Market:
    """One market with its propositions and market percentage (from unrounded prices)."""
    raw = _propositions(item)
    prices = [price for price in map(_price, raw) if price]
    same_game = item.get("sameGame")
    return Market(name=str(item.get("name") or item.get("betOption") or ""),
                  bet_option=item.get("betOption"), status=item.get("bettingStatus"),
                  closes_utc=item.get("closeTime"),
                  same_game=same_game if isinstance(same_game, bool) else None,
                  market_pct=round(sum(100 / p for p in prices), 1) if prices else None,
                  propositions=[proposition(p) for p in raw])


def is_head_to_head(item: dict[str, Any]) -> bool:
    """Whether an upstream market is the match's head-to-head (or three-way result)."""
    return str(item.get("betOption") or item.get("name") or "").strip().lower() in HEAD_TO_HEAD


def match_summary(item: dict[str, Any], max_markets: int | None,
                  head_to_head_only: bool = False) -> MatchSummary:
    """A match with its first `max_markets` markets (all when None), or only its
    head-to-head market."""
    markets = [m for m in item.get("markets") or [] if isinstance(m, dict)]
    chosen = [m for m in markets if is_head_to_head(m)][:1] if head_to_head_only else markets
    kept = chosen if max_markets is None else chosen[:max_markets]
    contestants = [str(c.get("name")) for c in item.get("contestants") or []
                   if isinstance(c, dict) and c.get("name")]
    round_value = item.get("round")
    return MatchSummary(
        name=str(item.get("name", "")), start_utc=item.get("startTime"),
        start_sydney=sydney_time(item.get("startTime")),
        round=str(round_value) if round_value is not None else None,
        in_play=item.get("inPlay"), contestants=contestants or None,
        markets=[market(m) for m in kept], more_markets=len(markets) - len(kept))


def starts_within(item: dict[str, Any], begin: datetime | None, end: datetime | None) -> bool:
    """Whether a match starts in [begin, end) (an open bound lets everything through)."""
    start = parse_utc(item.get("startTime"))
    if start is None:
        return begin is None and end is None
    return (begin is None or start >= begin) and (end is None or start < end)


def _prices(market: dict[str, Any]) -> dict[str, float]:
    return {str(p.get("name", "")): price for p in _propositions(market)
            if (price := _price(p)) is not None}


def next_match(item: dict[str, Any], now: datetime) -> NextMatch:
    """A match of sports next-to-go, with its head-to-head prices when the list carries them."""
    markets = [m for m in item.get("markets") or [] if isinstance(m, dict)]
    h2h = next((m for m in markets if is_head_to_head(m)), None)
    return NextMatch(name=str(item.get("name", "")), sport=item.get("sportName"),
                     competition=item.get("competitionName"), start_utc=item.get("startTime"),
                     start_sydney=sydney_time(item.get("startTime")),
                     minutes_to_start=minutes_to(parse_utc(item.get("startTime")), now),
                     head_to_head=_prices(h2h) if h2h else None)
