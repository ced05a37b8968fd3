"""Form guide shaping: every record the feed gives, race starts apart from barrier trials."""

from __future__ import annotations

import re
from typing import Any

from app.tools.models.racing import PastStart, RunnerForm
from app.tools.shaping.text import clip

#: Upstream start-summary keys renamed for reading; keys not listed keep a snake_case name.
_RECORDS = {"overall": "career", "trackDistance": "track_distance", "firstUp": "first_up",
            "secondUp": "second_up", "classSame": "class_same",
            "classStronger": "class_stronger"}

_TRIAL = "Trial"


def _label(key: str) -> str:
    return _RECORDS.get(key) or re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def _count(item: dict[str, Any], key: str) -> int:
    value = item.get(key)
    return int(value) if isinstance(value, int | float) else 0


def records(summaries: dict[str, Any]) -> dict[str, str]:
    """Every record the feed gives as "starts-wins-places" (e.g. {"career": "12-3-4"}); a record
    of no starts reads "0-0-0" rather than being left out."""
    return {_label(key): (f"{_count(item, 'numberOfStarts')}-{_count(item, 'numberOfWins')}-"
                          f"{_count(item, 'numberOfPlacings')}")
            for key, item in summaries.items() if isinstance(item, dict)}


def _past(start: dict[str, Any]) -> PastStart:
    position = start.get("finishingPosition")
    starters = start.get("numberOfStarters")
    return PastStart(
        date=start.get("startDate"), venue=start.get("venueAbbreviation"),
        position=f"{position}/{starters}" if position and starters else position,
        distance_m=start.get("distance"), race_class=start.get("class"),
        margin=start.get("margin"), odds=start.get("odds"), track=start.get("trackCondition"),
        rider=start.get("rider"))


def _split(previous: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Race starts and barrier trials, each newest first; a start listed twice (as a last
    start and a last win) counts once."""
    newest = sorted(previous, key=lambda s: str(s.get("startDate") or ""), reverse=True)
    starts, trials, seen = [], [], set()
    for item in newest:
        if item.get("startType") == _TRIAL:
            trials.append(item)
            continue
        key = (item.get("startDate"), item.get("venueAbbreviation"), item.get("raceNumber"))
        if key not in seen:
            seen.add(key)
            starts.append(item)
    return starts, trials


def runner_form(entry: dict[str, Any], *, recent: int, comment_chars: int) -> RunnerForm:
    """One form entry: records, the last `recent` race starts and trials, the comment cut to
    `comment_chars` (with a marker when cut)."""
    runner_starts = entry.get("runnerStarts") or {}
    previous = [s for s in runner_starts.get("previousStarts") or [] if isinstance(s, dict)]
    starts, trials = _split(previous)
    comment = entry.get("formComment")
    return RunnerForm(
        number=int(entry.get("runnerNumber", 0)), name=str(entry.get("runnerName", "")),
        age=entry.get("age"), sex=entry.get("sex"), sire=entry.get("sire"), dam=entry.get("dam"),
        trainer=entry.get("trainerName"), rider=entry.get("riderOrDriver"),
        last20=entry.get("last20Starts"), days_since_run=entry.get("daysSinceLastRun"),
        prize_money=entry.get("prizeMoney"),
        stats=records(runner_starts.get("startSummaries") or {}),
        comment=clip(comment, comment_chars) if isinstance(comment, str) and comment else None,
        recent=[_past(s) for s in starts[:recent]],
        trials=[_past(s) for s in trials[:recent]] or None,
    )
