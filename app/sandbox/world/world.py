"""`World`: one method per info-service endpoint, each returning the upstream's JSON body."""

from __future__ import annotations

from typing import Any

from app.sandbox.clock import Clock
from app.sandbox.world.errors import NotFound
from app.sandbox.world.links import Links

Body = dict[str, Any]


class World:
    """The sandbox's data: deterministic for a seed, moving with the clock."""

    def __init__(self, seed: int = 2026, clock: Clock | None = None) -> None:
        self.seed = seed
        self.clock = clock if clock is not None else Clock()

    def _todo(self) -> Body:
        raise NotFound("Resource not found")

    def dates(self, links: Links) -> Body:
        """R1 `/racing/dates`."""
        return self._todo()

    def meetings(self, date: str, links: Links) -> Body:
        """R2 `/racing/dates/{date}/meetings`."""
        return self._todo()

    def meeting_races(self, date: str, race_type: str, venue: str, links: Links) -> Body:
        """R3 `…/meetings/{raceType}/{venue}/races`."""
        return self._todo()

    def race(self, date: str, race_type: str, venue: str, race: str, links: Links) -> Body:
        """R4 race detail."""
        return self._todo()

    def race_form(self, date: str, race_type: str, venue: str, race: str, links: Links) -> Body:
        """R5 `…/races/{n}/form`."""
        return self._todo()

    def runner_form(self, date: str, race_type: str, venue: str, race: str, runner: str,
                    links: Links) -> Body:
        """R6 `…/races/{n}/form/{runner}`."""
        return self._todo()

    def approximates(self, date: str, race_type: str, venue: str, race: str, product: str,
                     links: Links) -> Body:
        """R8 `…/races/{n}/pools/{product}/approximates`."""
        return self._todo()

    def next_to_go(self, links: Links, max_races: int | None = None,
                   include_recently_closed: bool = False) -> Body:
        """R9 `/racing/next-to-go/races`."""
        return self._todo()

    def jackpots(self, links: Links) -> Body:
        """R10 `/racing/jackpots` (unverified shape)."""
        return self._todo()

    def jackpot_pools(self, date: str, links: Links) -> Body:
        """R11 `/racing/dates/{date}/jackpot-pools` (unverified shape)."""
        return self._todo()

    def sports(self, links: Links) -> Body:
        """P1 `/sports`."""
        return self._todo()

    def sport(self, sport: str, links: Links) -> Body:
        """P2 `/sports/{sport}`."""
        return self._todo()

    def competitions(self, sport: str, links: Links) -> Body:
        """P3 `/sports/{sport}/competitions`."""
        return self._todo()

    def competition(self, sport: str, competition: str, links: Links) -> Body:
        """P4 `/sports/{sport}/competitions/{competition}`."""
        return self._todo()

    def competition_matches(self, sport: str, competition: str, links: Links) -> Body:
        """P5 `…/competitions/{competition}/matches`."""
        return self._todo()

    def match(self, sport: str, competition: str, match: str, links: Links) -> Body:
        """P6 `…/matches/{match}`."""
        return self._todo()

    def match_markets(self, sport: str, competition: str, match: str, links: Links) -> Body:
        """P7 `…/matches/{match}/markets`."""
        return self._todo()

    def tournament(self, sport: str, competition: str, tournament: str, links: Links) -> Body:
        """P8 `…/competitions/{competition}/tournaments/{tournament}`."""
        return self._todo()

    def tournament_match(self, sport: str, competition: str, tournament: str, match: str,
                         links: Links) -> Body:
        """P8 `…/tournaments/{tournament}/matches/{match}`."""
        return self._todo()

    def sports_next_to_go(self, links: Links, limit: int | None = None, window: str | None = None,
                          open_only: bool = False, sort_by_time: bool = True,
                          sort_by_close_time: bool = False, futures_only: bool = False) -> Body:
        """P9 `/sports/nextToGo`."""
        return self._todo()

    def sports_results(self, links: Links, sport: str | None = None,
                       competition: str | None = None) -> Body:
        """P10 `/sports/results[/{sport}[/competitions/{competition}]]` (unverified shape)."""
        return self._todo()

    def sports_result_match(self, sport: str, competition: str, match: str, links: Links) -> Body:
        """P10 `…/results/{sport}/competitions/{competition}/matches/{match}` (unverified shape)."""
        return self._todo()

    def footy_rounds(self, sport: str, links: Links, series: str | None = None) -> Body:
        """P11 `/sports/{sport}/footy/rounds` (unverified shape)."""
        return self._todo()

    def footy_round(self, sport: str, round_id: str, links: Links,
                    series: str | None = None) -> Body:
        """P11 `/sports/{sport}/footy/rounds/{round}` (unverified shape)."""
        return self._todo()
