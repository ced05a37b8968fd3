"""Server-side limits on bets: stake per bet, total per Australian day, race types, start time.

Limits come from the settings; a session may lower them (never raise). The day's total counts
the account's own bets from the upstream, so other channels and replicas are included.
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

    @classmethod
    def of(cls, settings: Settings) -> Limits:
        """The server's limits."""
        return cls(settings.tab_mcp_bet_max_stake, settings.tab_mcp_bet_max_daily,
                   tuple(settings.tab_mcp_bet_race_types))

    def lowered(self, max_stake: float | None, max_daily: float | None) -> Limits:
        """These limits lowered by a session's own (a higher value is ignored)."""
        return Limits(min(self.max_stake, max_stake or self.max_stake),
                      min(self.max_daily, max_daily or self.max_daily), self.race_types)


def check(limits: Limits, *, cost: float, staked_today: float, race_type: str,
          race_start: datetime, now: datetime) -> None:
    """Raise `CapRefused` when the bet breaks a limit."""
    if limits.race_types and race_type not in limits.race_types:
        raise CapRefused(f"race type {race_type} is not allowed on this server (allowed: "
                         f"{', '.join(limits.race_types)})")
    if now >= race_start:
        raise CapRefused("the race has reached its advertised start time; no bets after the "
                         "start")
    if cost > limits.max_stake:
        raise CapRefused(f"the bet costs ${cost:.2f}, over the limit of ${limits.max_stake:.2f} "
                         f"per bet (headroom ${limits.max_stake:.2f})")
    headroom = max(0.0, limits.max_daily - staked_today)
    if cost > headroom:
        raise CapRefused(f"the bet costs ${cost:.2f}; the daily limit is "
                         f"${limits.max_daily:.2f}, ${staked_today:.2f} is staked today, so "
                         f"the headroom is ${headroom:.2f}")
