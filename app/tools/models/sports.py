"""Output models of the sports, results, FootyTAB and raw tools."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from app.tools.base import OutputModel, Source


class CompetitionSummary(OutputModel):
    """A competition of a sport."""

    name: str
    has_markets: bool | None = None
    tournaments: list[str] | None = None


class SportSummary(OutputModel):
    """A sport with its competitions."""

    name: str
    competitions: list[str]


class SportList(OutputModel):
    """Open sports."""

    sports: list[SportSummary]
    source: Source


class SportCompetitions(OutputModel):
    """One sport's competitions."""

    sport: str
    competitions: list[CompetitionSummary]
    source: Source


class Proposition(OutputModel):
    """An outcome: its id (an sgm_price leg) and fixed price."""

    id: int | None = None
    name: str
    price: float | None = Field(None, description="Decimal win price.")
    line: float | None = None
    status: str | None = None
    implied_pct: float | None = None


class Market(OutputModel):
    """A betting market of a match."""

    name: str
    bet_option: str | None = None
    status: str | None = None
    closes_utc: str | None = None
    same_game: bool | None = None
    market_pct: float | None = Field(None, description="Sum of implied probabilities.")
    propositions: list[Proposition]


class MatchSummary(OutputModel):
    """A match with its markets."""

    name: str
    start_utc: str | None = None
    start_sydney: str | None = None
    round: str | None = None
    in_play: bool | None = None
    contestants: list[str] | None = None
    markets: list[Market]
    more_markets: int = Field(0, description="Markets left out of this list.")


class CompetitionMatches(OutputModel):
    """A competition's matches."""

    sport: str
    competition: str
    tournament: str | None = None
    tournaments: list[str] | None = None
    matches: list[MatchSummary]
    note: str | None = None
    source: Source


class MatchDetail(OutputModel):
    """One match with every market and proposition."""

    sport: str
    competition: str
    match: MatchSummary
    source: Source


class NextMatch(OutputModel):
    """A sports match starting soon."""

    name: str
    sport: str | None = None
    competition: str | None = None
    start_utc: str | None = None
    start_sydney: str | None = None
    minutes_to_start: float | None = None
    head_to_head: dict[str, float] | None = Field(None, description="Prices by outcome.")


class SportsNextToGo(OutputModel):
    """Sports matches starting soonest."""

    matches: list[NextMatch]
    source: Source


class SgmLeg(OutputModel):
    """A leg as the match prices it."""

    id: int
    market: str
    name: str
    price: float | None = None


class SgmPrice(OutputModel):
    """A same-game multi priced by Tabcorp."""

    match: str
    price: float | None = Field(None, description="Combined decimal price.")
    legs_product: float | None = Field(None, description="Product of the legs' prices.")
    legs: list[SgmLeg]
    dropped: list[SgmLeg] | None = Field(None, description="Legs Tabcorp left out.")
    note: str | None = None
    source: Source


class Passthrough(OutputModel):
    """Upstream data passed through with HAL links removed (shape unverified upstream)."""

    data: Any
    truncated: bool = False
    note: str | None = None
    source: Source
