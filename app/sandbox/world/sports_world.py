"""The sports half of `World`: one method per sports info-service endpoint."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.sandbox.clock import Clock
from app.sandbox.world import sports as fixtures
from app.sandbox.world import unverified
from app.sandbox.world.errors import BadRequest, NotFound
from app.sandbox.world.links import Links, join
from app.sandbox.world.sports_catalogue import (
    SPORTS,
    Competition,
    Sport,
    find_competition,
    find_sport,
)

Body = dict[str, Any]

#: Races or matches in a next-to-go list when the request names no limit.
DEFAULT_NEXT_TO_GO = 10
_FOOTY_SPORTS = ("AFL Football", "Rugby League")


class SportsWorld:
    """Sports, competitions, matches and results, deterministic for `seed`, moving with `clock`."""

    seed: int
    clock: Clock

    @staticmethod
    def _sport(name: str) -> Sport:
        sport = find_sport(name)
        if sport is None:
            raise NotFound(f"Sport '{name}' not found", "sport", name)
        return sport

    def _competition(self, sport_name: str, name: str) -> Competition:
        comp = find_competition(self._sport(sport_name), name)
        if comp is None:
            raise NotFound(f"Competition '{name}' not found", "competition", name)
        return comp

    def _tournaments(self, comp: Competition, now: datetime, links: Links) -> list[Body]:
        seen: dict[str, Body] = {}
        for match in fixtures.open_matches(self.seed, comp, now):
            if match.tournament is not None and match.tournament not in seen:
                path = join("sports", comp.sport, "competitions", comp.name, "tournaments",
                            match.tournament)
                seen[match.tournament] = {"id": str(comp.cid * 1000 + match.round_index % 1000),
                                          "name": match.tournament,
                                          "_links": {"self": links(path)}}
        return list(seen.values())

    def _competition_summary(self, comp: Competition, now: datetime, links: Links) -> Body:
        return {"id": str(comp.cid), "name": comp.name, "spectrumId": comp.spectrum_id,
                "hasMarkets": bool(fixtures.open_matches(self.seed, comp, now)),
                "sameGame": comp.kind in ("team", "soccer"),
                "tournaments": self._tournaments(comp, now, links),
                "_links": {"self": links(join("sports", comp.sport, "competitions", comp.name))}}

    def _sport_body(self, sport: Sport, now: datetime, links: Links) -> Body:
        return {"id": str(sport.sid), "name": sport.name, "displayName": sport.display_name,
                "competitions": [self._competition_summary(c, now, links)
                                 for c in sport.competitions],
                "_links": {"self": links(join("sports", sport.name))}}

    def sports(self, links: Links) -> Body:
        """P1 `/sports`."""
        now = self.clock.now()
        return {"sports": [self._sport_body(s, now, links) for s in SPORTS]}

    def sport(self, sport: str, links: Links) -> Body:
        """P2 `/sports/{sport}`."""
        return self._sport_body(self._sport(sport), self.clock.now(), links)

    def competitions(self, sport: str, links: Links) -> Body:
        """P3 `/sports/{sport}/competitions`."""
        now = self.clock.now()
        return {"competitions": [
            dict(self._competition_summary(c, now, links), hasFuturePredictions=False)
            for c in self._sport(sport).competitions]}

    def competition(self, sport: str, competition: str, links: Links,
                    top_markets: int | None = None) -> Body:
        """P4 `/sports/{sport}/competitions/{competition}`: its open matches."""
        now = self.clock.now()
        comp = self._competition(sport, competition)
        matches = [] if comp.tournaments else [
            fixtures.match_body(self.seed, m, now, links, top_markets)
            for m in fixtures.open_matches(self.seed, comp, now)]
        body = self._competition_summary(comp, now, links)
        body["matches"] = matches
        return body

    def competition_matches(self, sport: str, competition: str, links: Links) -> Body:
        """P5 `…/competitions/{competition}/matches`."""
        now = self.clock.now()
        comp = self._competition(sport, competition)
        return {"matches": [fixtures.match_body(self.seed, m, now, links)
                            for m in fixtures.open_matches(self.seed, comp, now)]}

    def _match(self, comp: Competition, name: str, tournament: str | None = None) -> fixtures.Match:
        for match in fixtures.open_matches(self.seed, comp, self.clock.now()):
            if match.name == name and (tournament is None or match.tournament == tournament):
                return match
        raise NotFound(f"Match '{name}' not found", "match", name)

    def match(self, sport: str, competition: str, match: str, links: Links) -> Body:
        """P6 `…/matches/{match}`."""
        found = self._match(self._competition(sport, competition), match)
        return fixtures.match_body(self.seed, found, self.clock.now(), links)

    def match_markets(self, sport: str, competition: str, match: str, links: Links) -> Body:
        """P7 `…/matches/{match}/markets`."""
        found = self._match(self._competition(sport, competition), match)
        return {"markets": fixtures.markets(self.seed, found, self.clock.now())}

    def tournament(self, sport: str, competition: str, tournament: str, links: Links) -> Body:
        """P8 `…/competitions/{competition}/tournaments/{tournament}`."""
        now = self.clock.now()
        comp = self._competition(sport, competition)
        matches = [m for m in fixtures.open_matches(self.seed, comp, now)
                   if m.tournament == tournament]
        if not matches:
            raise NotFound(f"Tournament '{tournament}' not found", "tournament", tournament)
        path = join("sports", comp.sport, "competitions", comp.name, "tournaments", tournament)
        return {"id": str(comp.cid * 1000 + matches[0].round_index % 1000), "name": tournament,
                "matches": [fixtures.match_body(self.seed, m, now, links) for m in matches],
                "_links": {"self": links(path)}}

    def tournament_match(self, sport: str, competition: str, tournament: str, match: str,
                         links: Links) -> Body:
        """P8 `…/tournaments/{tournament}/matches/{match}`."""
        found = self._match(self._competition(sport, competition), match, tournament)
        return fixtures.match_body(self.seed, found, self.clock.now(), links)

    def sports_next_to_go(self, links: Links, limit: int | None = None, window: str | None = None,
                          open_only: bool = False, sort_by_time: bool = True,
                          sort_by_close_time: bool = False, futures_only: bool = False) -> Body:
        """P9 `/sports/nextToGo`: upcoming matches across every competition.

        Every market here closes at the start, so `openOnly` and `sortByCloseTime` change
        nothing; `futuresOnly` selects nothing (no futures markets are modelled).
        """
        try:
            span = fixtures.parse_window(window)
        except ValueError:
            raise BadRequest(f"Invalid next window '{window}'", "next", window) from None
        now = self.clock.now()
        found: list[fixtures.Match] = []
        if not futures_only:
            for sport in SPORTS:
                for comp in sport.competitions:
                    found += [m for m in fixtures.open_matches(self.seed, comp, now)
                              if m.start > now and (span is None or m.start <= now + span)]
        if sort_by_time or sort_by_close_time:
            found.sort(key=lambda m: (m.start, m.comp.cid, m.name))
        found = found[: DEFAULT_NEXT_TO_GO if limit is None else limit]
        items = []
        for m in found:
            body = fixtures.match_body(self.seed, m, now, links, top_markets=1)
            body["competitionName"] = m.comp.name
            body["sportName"] = m.comp.sport
            items.append(body)
        return {"matches": items}

    def _results_of(self, comp: Competition, now: datetime, links: Links) -> Body:
        return {"name": comp.name, "matches": [
            unverified.result_body(self.seed, m, links)
            for m in fixtures.finished_matches(self.seed, comp, now)]}

    def _results_sport(self, sport: Sport, now: datetime, links: Links) -> Body:
        return {"name": sport.name, "competitions": [self._results_of(c, now, links)
                                                     for c in sport.competitions]}

    def sports_results(self, links: Links, sport: str | None = None,
                       competition: str | None = None) -> Body:
        """P10 `/sports/results[/{sport}[/competitions/{competition}]]` (unverified shape).

        Matches finished within the last seven days, latest first.
        """
        now = self.clock.now()
        if sport is not None and competition is not None:
            return self._results_of(self._competition(sport, competition), now, links)
        if sport is not None:
            return self._results_sport(self._sport(sport), now, links)
        return {"sports": [self._results_sport(s, now, links) for s in SPORTS]}

    def sports_result_match(self, sport: str, competition: str, match: str, links: Links) -> Body:
        """P10 `…/results/{sport}/competitions/{competition}/matches/{match}` (unverified)."""
        comp = self._competition(sport, competition)
        for found in fixtures.finished_matches(self.seed, comp, self.clock.now()):
            if found.name == match:
                return unverified.result_body(self.seed, found, links)
        raise NotFound(f"No result for match '{match}'", "match", match)

    def _footy(self, sport: str) -> Competition:
        comp = next((c for c in self._sport(sport).competitions if c.kind == "team"
                     and c.period_days == 7 and c.sport in _FOOTY_SPORTS), None)
        if comp is None:
            raise NotFound(f"No FootyTAB rounds for '{sport}'", "sport", sport)
        return comp

    def footy_rounds(self, sport: str, links: Links, series: str | None = None) -> Body:
        """P11 `/sports/{sport}/footy/rounds` (unverified shape)."""
        comp = self._footy(sport)
        return {"rounds": unverified.footy_rounds(self.seed, comp, self.clock.now(), links,
                                                  series)}

    def footy_round(self, sport: str, round_id: str, links: Links,
                    series: str | None = None) -> Body:
        """P11 `/sports/{sport}/footy/rounds/{round}` (unverified shape)."""
        comp = self._footy(sport)
        if not round_id.lstrip("-").isdigit():
            raise NotFound(f"Round '{round_id}' not found", "round", round_id)
        return unverified.footy_round(self.seed, comp, int(round_id), self.clock.now(), links,
                                      series)
