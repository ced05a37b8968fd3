"""Server-side limits on bets: stake per bet, total per Australian day, race types and sports,
start time.

Limits come from the settings; a session may lower them (never raise). The day's total counts
the account's own bets from the upstream, so other channels and replicas are included. A bet
with several legs is checked on every leg: each leg's race type or sport must be allowed, and
no bet is taken once its earliest leg has started.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.config import Settings


class CapRefused(Exception):
    """A bet over a limit; the message names the limit and the headroom left."""


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits a bet is checked against (dollars)."""

    max_stake: float
    max_daily: float
    race_types: tuple[str, ...]  # empty: every race type
    sports: tuple[str, ...] = ()  # empty: every sport

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The server's limits."""
        return cls(settings.tab_mcp_bet_max_stake, settings.tab_mcp_bet_max_daily,
                   tuple(settings.tab_mcp_bet_race_types), tuple(settings.tab_mcp_bet_sports))

    def lowered(self, max_stake: float | None, max_daily: float | None) -> Limits:
        """These limits lowered by a session's own (a higher value is ignored)."""
        return Limits(min(self.max_stake, max_stake or self.max_stake),
                      min(self.max_daily, max_daily or self.max_daily), self.race_types,
                      self.sports)


@dataclass(frozen=True, slots=True)
class LegFacts:
    """What the limits need of one leg: its race type or sport, and its advertised start."""

    kind: str  # a race type (R, H, G) or a sport's name
    sport: bool
    start: datetime


def _allowed(limits: Limits, leg: LegFacts) -> None:
    if leg.sport and limits.sports and leg.kind.casefold() not in {
            s.casefold() for s in limits.sports}:
        raise CapRefused(f"{leg.kind} is not a sport allowed on this server (allowed: "
                         f"{', '.join(limits.sports)})")
    if not leg.sport and limits.race_types and leg.kind not in limits.race_types:
        raise CapRefused(f"race type {leg.kind} is not allowed on this server (allowed: "
                         f"{', '.join(limits.race_types)})")


def check(limits: Limits, *, cost: float, staked_today: float, legs: list[LegFacts],
          now: datetime) -> None:
    """Raise `CapRefused` when the bet breaks a limit."""
    for leg in legs:
        _allowed(limits, leg)
    if legs and now >= min(leg.start for leg in legs):
        raise CapRefused("the event has reached its advertised start time; no bets after the "
                         "start (for a multi, the earliest leg's)")
    if cost > limits.max_stake:
        raise CapRefused(f"the bet costs ${cost:.2f}, over the limit of ${limits.max_stake:.2f} "
                         f"per bet (headroom ${limits.max_stake:.2f})")
    headroom = max(0.0, limits.max_daily - staked_today)
    if cost > headroom:
        raise CapRefused(f"the bet costs ${cost:.2f}; the daily limit is "
                         f"${limits.max_daily:.2f}, ${staked_today:.2f} is staked today, so "
                         f"the headroom is ${headroom:.2f}")
