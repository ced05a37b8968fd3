"""Turns the upstream's racing bodies into compact, decision-ready summaries.

Pure functions over parsed JSON: no I/O, so they are tested directly on real captured bodies.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.domain.zones import zone_of
from app.tools.models.racing import (
    Dividend,
    MeetingSummary,
    RaceCard,
    RaceStub,
    RunnerSummary,
)
from app.tools.shaping.card_markets import multi_leg, odds_updated, side_markets
from app.tools.shaping.prices import usable_price as _price
from app.tools.shaping.text import clip
from app.tools.timezones import local_iso, parse_utc

_SCRATCHED = frozenset({"Scratched", "LateScratched"})
#: The race comment's budget in the summary (the whole comment is in detail='full').
_COMMENT_CHARS = 320


def _pct(value: float) -> float:
    return round(value, 1)


def minutes_to(start: datetime | None, now: datetime) -> float | None:
    """Minutes from `now` to `start` (negative once past)."""
    if start is None:
        return None
    return round((start - now).total_seconds() / 60, 1)


def runner_summary(runner: dict[str, Any], race_type: str) -> RunnerSummary:
    """One runner's decision fields; prices and probability left empty when scratched."""
    fixed = runner.get("fixedOdds") or {}
    tote = runner.get("parimutuel") or {}
    status = fixed.get("bettingStatus") or tote.get("bettingStatus") or "Open"
    scratched = status in _SCRATCHED or bool(runner.get("vacantBox"))
    win = None if scratched else _price(fixed.get("returnWin"))
    first_open = _price(fixed.get("returnWinOpen"))
    day_open = _price(fixed.get("returnWinOpenDaily"))
    claim = runner.get("claimAmount")
    finishing = runner.get("finishingPosition")
    return RunnerSummary(
        number=int(runner.get("runnerNumber", 0)),
        name=str(runner.get("runnerName", "")),
        barrier=runner.get("barrierNumber"),
        rider=runner.get("riderDriverName") if race_type != "G" else None,
        trainer=runner.get("trainerName"),
        weight=runner.get("handicapWeight") if race_type == "R" else None,
        claim=float(claim) if isinstance(claim, int | float) and claim > 0 else None,
        last5=runner.get("last5Starts") or "",
        status=status,
        scratched=scratched or None,
        emergency=bool(runner.get("emergency")) or None,
        fixed_win=win,
        fixed_place=None if scratched else _price(fixed.get("returnPlace")),
        first_open=first_open,
        day_open=day_open,
        move_pct_first_open=_move(win, first_open),
        move_pct_day_open=_move(win, day_open),
        flucs=[f["returnWin"] for f in fixed.get("flucs") or [] if _price(f.get("returnWin"))][:4],
        tote_win=None if scratched else _price(tote.get("returnWin")),
        tote_place=None if scratched else _price(tote.get("returnPlace")),
        win_prob_pct=_pct(100 / win) if win else None,
        favourite=bool(fixed.get("isFavouriteWin")) and not scratched,
        rating=runner.get("dfsFormRating"),
        speed=runner.get("earlySpeedRatingBand"),
        finish=finishing if isinstance(finishing, int) and finishing > 0 else None,
    )


def _move(now: float | None, then: float | None) -> float | None:
    """Percent change from `then` to `now` (< 0 = firming)."""
    return _pct((now - then) / then * 100) if now and then else None


def market_percentage(runners: list[RunnerSummary]) -> float | None:
    """Sum of implied fixed-odds win probabilities (the overround), in percent."""
    prices = [runner.fixed_win for runner in runners if runner.fixed_win]
    if not prices:
        return None
    return _pct(sum(100 / price for price in prices))


def dividends(race: dict[str, Any]) -> list[Dividend]:
    """Paying dividends, one entry per (product, selections)."""
    out = []
    for pool in race.get("dividends") or []:
        for item in pool.get("poolDividends") or []:
            out.append(Dividend(
                product=str(pool.get("wageringProduct", "")),
                selections=[str(s) for s in item.get("selections") or []],
                amount=float(item.get("amount") or 0),
            ))
    return out


def race_card(race: dict[str, Any], now: datetime | None = None, *,
              rail: str | None = None) -> RaceCard:
    """The race card summary: every field a punter decides on, nothing else. `rail` is the
    meeting's rail position when the race body does not carry it (the meetings list does)."""
    now = now or datetime.now(UTC)
    meeting = race.get("meeting") or {}
    race_type = str(meeting.get("raceType", ""))
    location = meeting.get("location")
    local = zone_of(meeting.get("meetingName"), location)
    start = parse_utc(race.get("raceStartTime"))
    runners = [runner_summary(r, race_type) for r in race.get("runners") or []]
    favourite = _favourite(runners)
    status = str(race.get("raceStatus", ""))
    tips = race.get("tips") or {}
    return RaceCard(
        venue=str(meeting.get("meetingName", "")),
        venue_code=meeting.get("venueMnemonic"),
        race_type=race_type,
        location=location,
        date=meeting.get("meetingDate"),
        race_number=int(race.get("raceNumber", 0)),
        name=str(race.get("raceName", "")),
        distance_m=race.get("raceDistance"),
        race_class=race.get("raceClassConditions"),
        prize_money=race.get("prizeMoney"),
        status=status,
        start_utc=race.get("raceStartTime"),
        start_local=local_iso(start, local.zone) if start else None,
        timezone=local.zone.key,
        zone_source=local.source,
        minutes_to_jump=minutes_to(start, now),
        track=meeting.get("trackCondition"),
        weather=meeting.get("weatherCondition"),
        places_paid=race.get("numberOfPlaces"),
        pools={str(p["wageringProduct"]): float(p["poolTotal"])
               for p in race.get("pools") or [] if isinstance(p.get("poolTotal"), int | float)},
        market_pct=market_percentage(runners),
        favourite=favourite,
        tips=[n for n in tips.get("tipRunnerNumbers") or [] if isinstance(n, int)] or None,
        runners=runners,
        results=race.get("results") or None,
        dividends=dividends(race) or None,
        comment=_comment(race) if status in ("Normal", "") else None,
        rail=meeting.get("railPosition") or rail,
        odds_updated=odds_updated(race),
        markets=side_markets(race),
        multi_leg=multi_leg(race),
    )


def _favourite(runners: list[RunnerSummary]) -> int | None:
    marked = [r.number for r in runners if r.favourite]
    if marked:
        return marked[0]
    priced = [r for r in runners if r.fixed_win]
    return min(priced, key=lambda r: r.fixed_win or 0).number if priced else None


def _comment(race: dict[str, Any]) -> str | None:
    """The tipster's race comment, which the upstream sends as JSON inside a string."""
    raw = race.get("raceComments")
    if not isinstance(raw, str) or not raw:
        return None
    try:
        parsed = json.loads(raw)
    except ValueError:
        return clip(raw, _COMMENT_CHARS)
    comment = parsed.get("comment") if isinstance(parsed, dict) else None
    return clip(str(comment), _COMMENT_CHARS) if comment else None


def race_stub(stub: dict[str, Any], meeting: dict[str, Any], zone: ZoneInfo,
              now: datetime) -> RaceStub:
    """One race of a meeting, without runners, with the arguments that open it."""
    start = parse_utc(stub.get("raceStartTime"))
    return RaceStub(
        meeting_date=meeting.get("meetingDate"),
        venue_code=meeting.get("venueMnemonic"),
        race_type=str(meeting.get("raceType", "")),
        race_number=int(stub.get("raceNumber", 0)),
        name=str(stub.get("raceName", "")),
        distance_m=stub.get("raceDistance"),
        race_class=stub.get("raceClassConditions"),
        status=str(stub.get("raceStatus", "")),
        start_utc=stub.get("raceStartTime"),
        start_local=local_iso(start, zone) if start else None,
        minutes_to_jump=minutes_to(start, now),
        results=stub.get("results") or None,
        scratched=[s["runnerNumber"] for s in stub.get("scratchings") or []
                   if isinstance(s.get("runnerNumber"), int)] or None,
    )


def race_stubs(meeting: dict[str, Any], now: datetime | None = None) -> list[RaceStub]:
    """The races of a meeting, without runners."""
    now = now or datetime.now(UTC)
    zone = zone_of(meeting.get("meetingName"), meeting.get("location")).zone
    return [race_stub(s, meeting, zone, now) for s in meeting.get("races") or []]


def meeting_summary(meeting: dict[str, Any], now: datetime | None = None) -> MeetingSummary:
    """One meeting: venue, code, location, conditions, race count and the next race to jump."""
    stubs = race_stubs(meeting, now)
    upcoming = [s for s in stubs if s.status == "Normal" and (s.minutes_to_jump or 0) >= -1]
    next_race = min(upcoming, key=lambda s: s.start_utc or "") if upcoming else None
    return MeetingSummary(
        venue=str(meeting.get("meetingName", "")),
        venue_code=meeting.get("venueMnemonic"),
        race_type=str(meeting.get("raceType", "")),
        location=meeting.get("location"),
        date=meeting.get("meetingDate"),
        track=meeting.get("trackCondition"),
        weather=meeting.get("weatherCondition"),
        races=len(stubs),
        next_race=next_race.race_number if next_race else None,
        next_race_start_local=next_race.start_local if next_race else None,
        fixed_odds_only=bool(meeting.get("fixedOddsOnly")) or not meeting.get("venueMnemonic"),
    )
