"""A runner's career records, derived start by start from its form figures.

Every record counts a subset of the career's starts, so none can exceed it: each start is
given a going (gallops only: turf ratings mean nothing at the trots or the dogs), whether it
was at this track, at this distance, and in the same or a stronger class. First-up and
second-up starts are the first and second of each preparation (a debut is first-up), as in
the real feed; `slow` mirrors `soft` and `dead` is a retired rating the feed still sends as 0.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: Upstream record keys, in the upstream's order.
RECORD_KEYS = ("overall", "track", "firm", "good", "dead", "slow", "soft", "heavy", "distance",
               "classSame", "classStronger", "firstUp", "secondUp", "trackDistance")
GOING_KEYS = frozenset({"firm", "good", "dead", "slow", "soft", "heavy"})
#: Goings of a gallops start, weighted; None is a synthetic or unrated track.
_GOINGS = ("good", "good", "good", "good", "soft", "soft", "heavy", "firm", None)
#: The going each record key names, as the start's `trackCondition` spells it.
CONDITION = {"good": "Good", "soft": "Soft", "heavy": "Heavy", "firm": "Firm"}


@dataclass(frozen=True, slots=True)
class Start:
    """One career start: where it finished and what it counts towards."""

    figure: str  # '1'…'9', '0' = 10th or worse
    going: str | None
    keys: frozenset[str]


def _record(starts: list[Start]) -> dict[str, int]:
    return {"numberOfStarts": len(starts),
            "numberOfWins": sum(s.figure == "1" for s in starts),
            "numberOfPlacings": sum(s.figure in "23" for s in starts)}


def career(r: random.Random, history: str, race_type: str) -> list[Start]:
    """The starts of `history` (figures oldest first, `x` a spell), each with its records."""
    starts = []
    run = 0  # starts so far in this preparation
    for figure in history:
        if figure == "x":
            run = 0
            continue
        run += 1
        keys = set()
        going = r.choice(_GOINGS) if race_type == "R" else None
        if going:
            keys.add("slow" if going == "soft" else going)
            keys.add(going)
        at_track, at_distance = r.random() < 0.3, r.random() < 0.4
        keys.update(k for k, hit in (("track", at_track), ("distance", at_distance),
                                     ("trackDistance", at_track and at_distance),
                                     ("firstUp", run == 1), ("secondUp", run == 2)) if hit)
        grade = r.random()
        if grade < 0.45:
            keys.add("classSame" if grade < 0.2 else "classStronger")
        starts.append(Start(figure, going, frozenset(keys)))
    return starts


def summaries(starts: list[Start], race_type: str) -> dict[str, dict[str, int]]:
    """Upstream `startSummaries`: every record, zero ones included; no goings off the turf."""
    keys = [k for k in RECORD_KEYS if race_type == "R" or k not in GOING_KEYS]
    return {k: _record(starts if k == "overall" else [s for s in starts if k in s.keys])
            for k in keys}
