"""Output models of the racing tools (their JSON schemas are the tools' output schemas)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from app.tools.base import OutputModel, Source


class RunnerSummary(OutputModel):
    """A runner's decision fields; decimal prices. claim, scratched, emergency: if they apply"""

    number: int
    name: str
    barrier: int | None = None
    rider: str | None = None
    trainer: str | None = None
    weight: float | None = Field(None, description="kg")
    claim: float | None = Field(None, description="Apprentice claim, kg")
    last5: str = Field(description="Last 5 starts, latest last; x = spell")
    status: str
    scratched: bool | None = None
    emergency: bool | None = None
    fixed_win: float | None = None
    fixed_place: float | None = None
    first_open: float | None = Field(None, description="At the market's first open")
    day_open: float | None = None
    move_pct_first_open: float | None = Field(None, description="% since first_open; < 0 firming")
    move_pct_day_open: float | None = None
    flucs: list[float] = Field(description="Newest first")
    tote_win: float | None = None
    tote_place: float | None = None
    win_prob_pct: float | None = None
    favourite: bool
    rating: int | None = None
    speed: str | None = Field(None, description="Early speed band")
    finish: int | None = None


class Dividend(OutputModel):
    """One paying dividend (per $1 unit)."""

    product: str
    selections: list[str]
    amount: float


class RaceCard(OutputModel):
    """A race card; `raw` only with detail='full'."""

    venue: str
    venue_code: str | None = None
    race_type: str = Field(description="R thoroughbred, H harness, G greyhound.")
    location: str | None = None
    date: str | None = None
    race_number: int
    name: str
    distance_m: int | None = None
    race_class: str | None = None
    prize_money: str | None = None
    status: str = Field(description="Normal (open), Closed, Interim, Paying, Abandoned")
    start_utc: str | None = None
    start_local: str | None = None
    timezone: str
    zone_source: str = Field(description="venue, or country (fallback)")
    minutes_to_jump: float | None = None
    track: str | None = None
    weather: str | None = None
    places_paid: int | None = None
    pools: dict[str, float]
    market_pct: float | None = Field(None, description="Fixed win overround, %")
    favourite: int | None = None
    tips: list[int] | None = None
    runners: list[RunnerSummary]
    results: list[list[int]] | None = Field(None, description="Placings; dead heats share")
    dividends: list[Dividend] | None = None
    comment: str | None = None
    rail: str | None = None
    odds_updated: dict[str, str] | None = Field(
        None, description="Tabcorp's last fixed/tote price update (UTC)")
    markets: dict[str, str] | None = Field(
        None, description="Top 2/3/4, Favourite Out: 'runner=price ...'")
    multi_leg: dict[str, str] | None = Field(
        None, description="By product: 'legs won: runner=return ...'")
    raw: dict[str, Any] | None = None
    source: Source | None = None


class RaceStub(OutputModel):
    """A race of a meeting, without runners."""

    meeting_date: str | None = None
    venue_code: str | None = None
    race_type: str
    race_number: int
    name: str
    distance_m: int | None = None
    race_class: str | None = None
    status: str
    start_utc: str | None = None
    start_local: str | None = None
    minutes_to_jump: float | None = None
    results: list[list[int]] | None = None
    scratched: list[int] | None = None


class MeetingSummary(OutputModel):
    """A race meeting."""

    venue: str
    venue_code: str | None = None
    race_type: str
    location: str | None = None
    date: str | None = None
    track: str | None = None
    weather: str | None = None
    races: int
    next_race: int | None = None
    next_race_start_local: str | None = None
    fixed_odds_only: bool = Field(description="No race card published")


class MeetingList(OutputModel):
    """Meetings of one date."""

    date: str
    meetings: list[MeetingSummary]
    source: Source


class MeetingDetail(OutputModel):
    """One meeting with its races."""

    meeting: MeetingSummary
    races: list[RaceStub]
    source: Source


class RacingDate(OutputModel):
    """A date the upstream has racing for."""

    date: str
    name: str | None = None


class RacingDates(OutputModel):
    """Dates with racing."""

    dates: list[RacingDate]
    futures: str | None = None
    source: Source


class NextRace(OutputModel):
    """A race about to jump."""

    venue: str
    meeting_date: str | None = None
    venue_code: str | None = None
    race_type: str
    location: str | None = None
    race_number: int
    name: str
    distance_m: int | None = None
    start_utc: str | None = None
    start_local: str | None = None
    minutes_to_jump: float | None = None
    track: str | None = None
    weather: str | None = None


class NextToGo(OutputModel):
    """The next races to jump, soonest first."""

    races: list[NextRace]
    source: Source


class PastStart(OutputModel):
    """One previous start."""

    date: str | None = None
    venue: str | None = None
    position: str | None = Field(None, description="Finishing position / starters, e.g. '2/10'.")
    distance_m: int | None = None
    race_class: str | None = None
    margin: str | None = None
    odds: str | None = None
    track: str | None = None
    rider: str | None = None


class RunnerForm(OutputModel):
    """A runner's form guide."""

    number: int
    name: str
    age: int | None = None
    sex: str | None = None
    sire: str | None = None
    dam: str | None = None
    trainer: str | None = None
    rider: str | None = None
    last20: str | None = None
    days_since_run: int | None = None
    prize_money: str | None = None
    stats: dict[str, str] = Field(
        description="Every record the feed gives as 'starts-wins-places' ('0-0-0' = none): "
                    "career, track, distance, track_distance, goings, class_same/stronger, "
                    "first_up, second_up")
    comment: str | None = None
    recent: list[PastStart] = Field(description="Race starts, newest first")
    trials: list[PastStart] | None = Field(None, description="Barrier trials, newest first")


class RaceForm(OutputModel):
    """Form for every runner of a race."""

    venue: str
    race_number: int
    runners: list[RunnerForm]
    source: Source


class OneRunnerForm(OutputModel):
    """Form for one runner."""

    venue: str
    race_number: int
    runner: RunnerForm
    source: Source


class Approximate(OutputModel):
    """An approximate dividend for a combination."""

    selections: list[int]
    returns: float


class Approximates(OutputModel):
    """Approximate dividends of an exotic pool, shortest first."""

    venue: str
    race_number: int
    product: str
    combinations: int
    approximates: list[Approximate]
    truncated: bool
    source: Source


class Mover(OutputModel):
    """A runner whose fixed price moved."""

    venue: str
    meeting_date: str | None = None
    venue_code: str | None = None
    race_type: str
    race_number: int
    minutes_to_jump: float | None = None
    number: int
    name: str
    open: float
    now: float
    move_pct: float = Field(description="Change since open in percent; negative = firming.")
    flucs: list[float]


class MarketMovers(OutputModel):
    """Runners firming (shortening) and drifting, biggest moves first."""

    races_scanned: int
    firming: list[Mover]
    drifting: list[Mover]
    source: Source


class RaceResult(OutputModel):
    """A resulted race: placings with names and dividends."""

    venue: str
    race_number: int
    name: str
    status: str
    placings: list[dict[str, Any]] = Field(
        description="position, runner numbers and names (dead heats share a position).")
    dividends: list[Dividend]
    source: Source


class Jackpots(OutputModel):
    """Jackpots (upstream shape unverified)."""

    jackpots: list[dict[str, Any]]
    source: Source
