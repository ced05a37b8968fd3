"""Endpoints whose real bodies were never observed. Every shape here is an unverified shape.

Jackpots derive from meeting pools carrying a jackpot; sports results from the same fixtures
and seeded scores the open sports lists use; FootyTAB rounds group a competition's rounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.sandbox.world import lifecycle, sports
from app.sandbox.world.links import Links, join
from app.sandbox.world.meetings import MeetingPlan
from app.sandbox.world.racing import exotic_pool, meeting_path, statuses_of
from app.sandbox.world.sports_catalogue import Competition
from app.sandbox.world.util import iso, num

Body = dict[str, Any]


def jackpot_items(meetings: Iterable[MeetingPlan], now: datetime, links: Links) -> list[Body]:
    """unverified shape: one entry per meeting pool carrying a jackpot, still to be won."""
    items = []
    for meeting in meetings:
        if meeting.venue.fixed_odds_only:
            continue
        statuses = statuses_of(meeting, now)
        for pool in meeting.exotics:
            if not pool.jackpot:
                continue
            body = exotic_pool(meeting, pool, statuses, now)
            if body["poolStatusCode"] == "Paying":
                continue
            items.append({
                "wageringProduct": pool.product, "meetingName": meeting.venue.name,
                "venueMnemonic": meeting.venue.mnemonic, "raceType": meeting.venue.race_type,
                "meetingDate": meeting.day.isoformat(), "jackpot": num(pool.jackpot),
                "poolTotal": body["poolTotal"], "poolStatusCode": body["poolStatusCode"],
                "legs": body["legs"],
                "_links": {"races": links(meeting_path(meeting) + "/races")},
            })
    return items


def result_body(seed: int, match: sports.Match, links: Links) -> Body:
    """unverified shape: a finished match with its score and each market's winners."""
    home_score, away_score = sports.final_score(seed, match)
    winners = []
    for market in sports.markets(seed, match, match.end):
        props = market["propositions"]
        if market["betOption"] in ("Head To Head", "Result"):
            if home_score == away_score:
                won = [p for p in props if p.get("position") == "DRAW"]
            else:
                side = "HOME" if home_score > away_score else "AWAY"
                won = [p for p in props if p.get("position") == side]
        elif market["betOption"] == "Winner":
            won = props[:1]
        elif "Over/Under" in market["betOption"]:
            total = home_score + away_score
            won = [p for p in props if p["name"].startswith(
                "Over" if total > p.get("line", 0) else "Under")]
        else:
            won = [p for p in props if _covers(p, home_score, away_score)]
        winners.append({"marketName": market["name"], "betOption": market["betOption"],
                        "winningPropositions": [{"name": p["name"], "returnWin": p["returnWin"]}
                                                for p in won]})
    path = join("sports", "results", match.comp.sport, "competitions", match.comp.name,
                "matches", match.name)
    contestants = ([] if match.comp.kind == "golf" else
                   [{"name": match.home, "isHome": True, "score": home_score},
                    {"name": match.away, "isHome": False, "score": away_score}])
    return {"id": match.short_id, "name": match.name, "startTime": iso(match.start),
            "resultedTime": iso(match.end), "competitionName": match.comp.name,
            "sportName": match.comp.sport, "contestants": contestants, "results": winners,
            "_links": {"self": links(path)}}


def _covers(prop: Body, home_score: int, away_score: int) -> bool:
    """A line proposition wins when its side's score plus the line beats the other side."""
    own, other = ((home_score, away_score) if prop.get("position") == "HOME"
                  else (away_score, home_score))
    return bool(own + prop.get("line", 0) > other)


def footy_rounds(seed: int, comp: Competition, now: datetime, links: Links,
                 series: str | None) -> list[Body]:
    """unverified shape: the current and next FootyTAB rounds of a football competition."""
    current = (now.date() - sports.EPOCH).days // comp.period_days
    return [footy_round(seed, comp, index, now, links, series) for index in (current, current + 1)]


def footy_round(seed: int, comp: Competition, index: int, now: datetime, links: Links,
                series: str | None) -> Body:
    """unverified shape: one FootyTAB round (tipping legs are the round's matches)."""
    matches = sorted(sports.round_matches(seed, comp, index), key=lambda m: m.start)
    first, last = matches[0], matches[-1]
    if now < first.start:
        status = "Open"
    elif now < last.end:
        status = lifecycle.CLOSED
    else:
        status = lifecycle.PAYING
    number = index % 26 + 1
    path = join("sports", comp.sport, "footy", "rounds", index)
    extra = f"series={series}" if series else ""
    return {
        "roundId": index, "roundNumber": number, "name": f"Round {number}",
        "series": series or comp.name, "competitionName": comp.name, "sportName": comp.sport,
        "startTime": iso(first.start), "closeTime": iso(first.start), "status": status,
        "legs": [{"legNumber": i, "matchName": m.name, "startTime": iso(m.start),
                  "homeTeam": m.home, "awayTeam": m.away}
                 for i, m in enumerate(matches, start=1)],
        "_links": {"self": links(path, extra)},
    }
