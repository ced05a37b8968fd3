"""Output models of the racing futures tool."""

from __future__ import annotations

from pydantic import Field

from app.tools.base import OutputModel, Source


class FuturesEvent(OutputModel):
    """A futures market."""

    meeting: str
    name: str
    date: str | None = None


class FuturesRunner(OutputModel):
    """A runner's fixed price and movement."""

    number: int
    name: str
    status: str
    fixed_win: float | None = None
    fixed_open: float | None = None
    move_pct: float | None = Field(None, description="% since open; < 0 = firming")
    flucs: list[float] = Field(description="Newest first")
    win_prob_pct: float | None = None
    favourite: bool


class RacingFutures(OutputModel):
    """Every futures market (`markets`), or one market: runners shortest price first."""

    markets: list[FuturesEvent] | None = None
    meeting: str | None = None
    name: str | None = None
    date: str | None = None
    start_local: str | None = None
    status: str | None = None
    market_pct: float | None = Field(default=None, description="Fixed win overround, %")
    runners: list[FuturesRunner] | None = None
    source: Source
