"""A race detail's editorial parts: the race comment, the tips and the ratings."""

from __future__ import annotations

import json

from app.sandbox.world.race_view import Body, RaceView
from app.sandbox.world.runners import rider
from app.sandbox.world.util import unit

_RATING_TYPES = ("Rating", "Last12Months", "Recent", "Distance", "Class", "Time", "Overall")


def top(view: RaceView, salt: str, count: int = 4) -> list[int]:
    """The `count` starters a pundit named by `salt` rates highest (chance plus opinion)."""
    live = [e.number for e in view.starters]
    key = (view.ref.seed, view.ref.day, view.meeting.venue.key, view.race.number, salt)
    chances = view.chances_now()
    ranked = sorted(live, key=lambda n: -(chances.get(n, 0.0) * (0.5 + unit(*key, n))))
    return ranked[:count]


def comments(view: RaceView) -> str:
    """`raceComments`: a JSON string naming the comment's picks."""
    picks = top(view, "comment")
    lines = []
    for n in picks:
        entrant = view.field.entrant(n)
        assert entrant is not None
        last = view.infos[n].last5 or "debut"
        draw = "draws well" if entrant.barrier <= 5 else "has to overcome a wide draw"
        verdict = "a leading chance" if n == picks[0] else "can figure in the finish"
        lines.append(f"{n}. {entrant.name} comes here with form of {last} and {draw}; "
                     f"{verdict}.")
    return json.dumps({"comment": " ".join(lines), "runners": picks, "exclusive": True},
                      separators=(",", ":"))


def tips(view: RaceView) -> Body:
    """`tips`: one tipster's special."""
    tipster = rider(view.ref.seed, "TIPSTER", "X", view.race.number % 6)
    return {"tipType": "Special", "tipster": tipster.title, "tipRunnerNumbers": top(view, "tips")}


def ratings(view: RaceView) -> list[Body]:
    """`ratings`: the top runners by each rating type."""
    return [{"ratingType": t, "ratingRunnerNumbers": top(view, t)} for t in _RATING_TYPES]
