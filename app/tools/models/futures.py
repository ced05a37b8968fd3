"""Output models of the racing futures tool."""

from __future__ import annotations

from pydantic import Field

from app.tools.base import OutputModel, Source


class FuturesEvent(OutputModel):
    """A futures market: its meeting, race name and race date."""

    meeting: str
    name: str
    date: str | None = None
    start_utc: str | None = None


class FuturesRunner(OutputModel):
    """A runner's fixed price (decimal) and its movement."""

    number: int
    name: str
    status: str
    fixed_win: float | None = None
    fixed_open: float | None = None
    move_pct: float | None = Field(None, description="% since open; < 0 = firming")
    flucs: list[float] = Field(description="Newest first")
    win_prob_pct: float | None = None
    favourite: bool


class FuturesMarket(OutputModel):
    """One futures market, runners shortest price first."""

    meeting: str
    name: str
    date: str | None = None
    start_local: str | None = None
    status: str
    market_pct: float | None = Field(None, description="Fixed win overround, %")
    runners: list[FuturesRunner]


class RacingFutures(OutputModel):
    """Every futures market, or one market's prices."""

    markets: list[FuturesEvent] | None = None
    market: FuturesMarket | None = None
    source: Source
