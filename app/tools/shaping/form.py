"""Form guide shaping: start summaries as compact records, the last few starts."""

from __future__ import annotations

from typing import Any

from app.tools.models.racing import PastStart, RunnerForm

#: Upstream start-summary keys worth an agent's context, renamed for reading.
_STATS = {"overall": "career", "track": "track", "distance": "distance",
          "trackDistance": "track_distance", "good": "good", "soft": "soft", "heavy": "heavy",
          "firm": "firm", "firstUp": "first_up", "secondUp": "second_up"}


def _stats(summaries: dict[str, Any]) -> dict[str, str]:
    """Records as "starts-wins-places" strings, e.g. {"career": "12-3-4"}."""
    out = {}
    for key, label in _STATS.items():
        item = summaries.get(key)
        if isinstance(item, dict) and item.get("numberOfStarts"):
            out[label] = (f"{int(item.get('numberOfStarts') or 0)}-"
                          f"{int(item.get('numberOfWins') or 0)}-"
                          f"{int(item.get('numberOfPlacings') or 0)}")
    return out


def _past(start: dict[str, Any]) -> PastStart:
    position = start.get("finishingPosition")
    starters = start.get("numberOfStarters")
    return PastStart(
        date=start.get("startDate"), venue=start.get("venueAbbreviation"),
        position=f"{position}/{starters}" if position and starters else position,
        distance_m=start.get("distance"), race_class=start.get("class"),
        margin=start.get("margin"), odds=start.get("odds"), track=start.get("trackCondition"),
        rider=start.get("rider"), kind=start.get("startType"))


def runner_form(entry: dict[str, Any], *, recent: int, comment_chars: int) -> RunnerForm:
    """One form entry: records, the last `recent` starts, the comment cut to `comment_chars`."""
    starts = entry.get("runnerStarts") or {}
    previous = [s for s in starts.get("previousStarts") or [] if isinstance(s, dict)]
    comment = entry.get("formComment")
    return RunnerForm(
        number=int(entry.get("runnerNumber", 0)), name=str(entry.get("runnerName", "")),
        age=entry.get("age"), sex=entry.get("sex"), sire=entry.get("sire"), dam=entry.get("dam"),
        trainer=entry.get("trainerName"), rider=entry.get("riderOrDriver"),
        last20=entry.get("last20Starts"), days_since_run=entry.get("daysSinceLastRun"),
        prize_money=entry.get("prizeMoney"),
        stats=_stats(starts.get("startSummaries") or {}),
        comment=comment[:comment_chars] if isinstance(comment, str) and comment else None,
        recent=[_past(s) for s in previous[:recent]],
    )
