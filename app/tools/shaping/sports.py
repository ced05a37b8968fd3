"""Sports shaping: matches, markets and propositions as compact, priced lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain.zones import SYDNEY
from app.tools.models.sports import Market, MatchSummary, NextMatch, Proposition
from app.tools.shaping.racing import minutes_to
from app.tools.timezones import parse_utc


def sydney_time(timestamp: str | None) -> str | None:
    """An upstream UTC timestamp in Sydney time."""
    moment = parse_utc(timestamp)
    return moment.astimezone(SYDNEY).isoformat(timespec="minutes") if moment else None


def proposition(item: dict[str, Any]) -> Proposition:
    """One outcome with price and implied probability."""
    price = item.get("returnWin")
    priced = float(price) if isinstance(price, int | float) and price > 1 else None
    line = item.get("line")
    return Proposition(
        name=str(item.get("name", "")), price=priced,
        line=float(line) if isinstance(line, int | float) else None,
        status=item.get("bettingStatus"),
        implied_pct=round(100 / priced, 1) if priced else None)


def market(item: dict[str, Any]) -> Market:
    """One market with its propositions and market percentage."""
    props = [proposition(p) for p in item.get("propositions") or [] if isinstance(p, dict)]
    implied = [p.implied_pct for p in props if p.implied_pct]
    return Market(name=str(item.get("name") or item.get("betOption") or ""),
                  bet_option=item.get("betOption"), status=item.get("bettingStatus"),
                  closes_utc=item.get("closeTime"),
                  market_pct=round(sum(implied), 1) if implied else None, propositions=props)


def match_summary(item: dict[str, Any], max_markets: int | None) -> MatchSummary:
    """A match with its first `max_markets` markets (all when None)."""
    markets = [m for m in item.get("markets") or [] if isinstance(m, dict)]
    kept = markets if max_markets is None else markets[:max_markets]
    contestants = [str(c.get("name")) for c in item.get("contestants") or []
                   if isinstance(c, dict) and c.get("name")]
    round_value = item.get("round")
    return MatchSummary(
        name=str(item.get("name", "")), start_utc=item.get("startTime"),
        start_sydney=sydney_time(item.get("startTime")),
        round=str(round_value) if round_value is not None else None,
        in_play=item.get("inPlay"), contestants=contestants or None,
        markets=[market(m) for m in kept], more_markets=len(markets) - len(kept))


def next_match(item: dict[str, Any], now: datetime) -> NextMatch:
    """A match of sports next-to-go."""
    return NextMatch(name=str(item.get("name", "")), sport=item.get("sportName"),
                     competition=item.get("competitionName"), start_utc=item.get("startTime"),
                     start_sydney=sydney_time(item.get("startTime")),
                     minutes_to_start=minutes_to(parse_utc(item.get("startTime")), now))
