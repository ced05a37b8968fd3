"""Runner form (R5/R6): career summaries, previous starts, trainer and rider statistics."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.sandbox.world import names
from app.sandbox.world.career import CONDITION, Start, career, summaries
from app.sandbox.world.field import RaceField
from app.sandbox.world.links import Links
from app.sandbox.world.meetings import MeetingPlan, RacePlan
from app.sandbox.world.racing import race_path
from app.sandbox.world.runners import RunnerInfo
from app.sandbox.world.util import money, num
from app.sandbox.world.venues import VENUES

Body = dict[str, Any]
_TRAINER_SUMMARIES = ("track", "region", "last30Days", "last12Months", "jockey")
_RIDER_SUMMARIES = ("track", "region", "last30Days", "last12Months", "runner")
_GOING = ("Good", "Good", "Good", "Soft", "Soft", "Heavy", "Firm")
_STEWARDS = ("Slow to begin.", "Began awkwardly and became unbalanced.", "Blundered on jumping.",
             "Laid in under pressure in the home straight.", "Raced wide without cover.",
             "Held up for clear running in the straight.")


def _summary(starts: int, wins: int, placings: int) -> dict[str, int]:
    return {"numberOfStarts": starts, "numberOfWins": wins, "numberOfPlacings": placings}


def _sky(venue_code: str, day: date, race_number: int, trial: bool) -> dict[str, str]:
    stem = f"{day:%Y/%m}/{day:%Y%m%d}{venue_code}R{race_number:02d}"
    return {"audio": f"https://mediatabs.skyracing.com.au/Audio_Replay/{stem}.mp3",
            "video": f"https://mediatabs.skyracing.com.au/Race_Replay/{stem}"
                     f"{'T' if trial else ''}_V.mp4"}


def _race_time(r: random.Random, distance: int, race_type: str) -> str:
    speed = {"R": 16.6, "H": 14.2, "G": 17.0}[race_type]
    seconds = distance / speed * r.uniform(0.97, 1.05)
    return f"{int(seconds // 60)}:{seconds % 60:05.2f}"


def _previous_starts(r: random.Random, career_starts: list[Start], meeting: MeetingPlan,
                     distance: int, weight: float) -> list[Body]:
    venue = meeting.venue
    same_code = [v for v in VENUES if v.race_type == venue.race_type and v.australian]
    starts = []
    when = meeting.day
    for i, start in enumerate(reversed(career_starts[-6:])):
        figure = start.figure
        when -= timedelta(days=r.randint(9, 40))
        trial = venue.race_type == "R" and r.random() < 0.25
        place = 10 if figure == "0" else int(figure)
        starters = max(place, r.randint(6, 14))
        track = r.choice(same_code)
        body: Body = {
            "startType": "Trial" if trial else "LastStarts",
            "startDate": when.isoformat(),
            "raceNumber": r.randint(1, 10),
            "finishingPosition": str(place),
            "numberOfStarters": starters,
            "draw": 0,
            "margin": "0.0" if place == 1 else f"{r.uniform(0.1, 8.0):.2f}".rstrip("0"),
            "venueAbbreviation": track.abbreviation,
            "skyRacing": _sky(track.sky_code[:3], when, i + 1, trial),
            "distance": max(300, distance + r.choice((-200, -100, 0, 0, 100, 200))),
            "class": "OPEN" if trial else (meeting.races[0].race_class or "OPEN"),
        }
        if not trial:
            body["handicap"] = f"{weight or 0.0:.1f}"
        jockey = names.connection(venue.race_type, r.random(), "prev-rider")
        going = CONDITION.get(start.going or "", "Synthetic") if venue.race_type == "R" else None
        body.update({
            "rider": None if venue.race_type == "G" else names.full_upper(*jockey),
            "startingPosition": 0 if trial else r.randint(1, starters),
            "odds": None if trial else f"{r.choice((1.8, 3.0, 4.4, 6.0, 8.5, 12.0, 21.0)):.2f}",
            "winnerOrSecond": names.runner_name(r, venue.race_type),
            "positionInRun": None if trial else "-".join(
                str(r.randint(1, starters)) for _ in range(r.choice((2, 3)))),
            "trackCondition": going or r.choice(_GOING),
            "time": _race_time(r, distance, venue.race_type),
            "stewardsComment": r.choice(_STEWARDS) if r.random() < 0.15 else None,
        })
        starts.append(body)
    return starts


def _last_wins(r: random.Random, meeting: MeetingPlan, kind: str) -> list[Body]:
    same_code = [v for v in VENUES if v.race_type == meeting.venue.race_type and v.australian]
    wins = []
    when = meeting.day
    for _ in range(5):
        when -= timedelta(days=r.randint(1, 6))
        body: Body = {
            "startType": "LastWins", "startDate": when.isoformat(), "raceNumber": 0,
            "finishingPosition": "0", "numberOfStarters": 0, "draw": 0, "margin": None,
            "venueAbbreviation": r.choice(same_code).abbreviation,
            "distance": r.choice((1000, 1100, 1200, 1400, 1600, 1800, 2000)),
            "class": None,
        }
        person = names.connection(meeting.venue.race_type, r.random(), kind)
        if kind == "trainer":
            body["rider"] = names.full_upper(*person)
        body.update({"startingPosition": 0, "odds": f"{r.uniform(1.5, 15.0):.2f}",
                     "winnerOrSecond": None, "positionInRun": None, "time": None,
                     "runner": names.runner_name(r, meeting.venue.race_type)})
        if kind == "rider":
            body["trainer"] = names.full_upper(*person)
        body["stewardsComment"] = None
        wins.append(body)
    return wins


def _stats(r: random.Random, keys: tuple[str, ...], scale: int) -> dict[str, dict[str, int]]:
    out = {}
    for k in keys:
        starts = r.randint(0, 4) if k in ("runner", "jockey") else r.randint(scale // 20, scale)
        wins = int(starts * r.uniform(0.05, 0.22))
        out[k] = _summary(starts, wins, int(starts * r.uniform(0.1, 0.3)))
    return out


def form_entry(seed: int, meeting: MeetingPlan, race: RacePlan, field: RaceField,
               info: RunnerInfo, links: Links) -> Body:
    """One runner's form (R6 body and each element of R5's `form`)."""
    venue = meeting.venue
    entrant = field.entrant(info.number)
    assert entrant is not None
    r = random.Random(f"{seed}:{meeting.day}:{venue.key}:{race.number}:{info.number}:form")
    career_starts = career(r, info.history, venue.race_type)
    records = summaries(career_starts, venue.race_type)
    starts, wins, placings = (records["overall"][k] for k in (
        "numberOfStarts", "numberOfWins", "numberOfPlacings"))
    distance = race.distance or 1200
    since = r.randint(7, 60) if starts else 0
    if info.history.endswith("x"):
        since = r.randint(80, 300)
    comment = (f"{'Resuming' if since > 60 else 'Racing on'} after {since} days. "
               f"{'Placed' if placings else 'Unplaced'} at {placings} of {starts} starts. "
               f"{'Drawn to get a soft run.' if entrant.barrier <= 4 else 'Wide draw a query.'}")
    strength = r.choice((-9, -5.5, -3, 3, 4, 5, 5.5, 6, 8))
    rider_name = info.rider.title if info.rider else None
    return {
        "runnerNumber": info.number,
        "runnerName": entrant.name,
        "prizeMoney": money(wins * r.uniform(8000, 40000) + placings * r.uniform(1500, 6000)),
        "last20Starts": info.last20,
        "sire": info.sire,
        "dam": info.dam,
        "age": info.age,
        "sex": info.sex,
        "colour": info.colour,
        "formComment": comment,
        "formComments": [{"source": "TAB", "title": "TAB", "comment": (
            f"In {'Stronger' if strength > 0 else 'Weaker'} Class FS({num(strength, 1)}). "
            + comment)}],
        "classLevel": "up" if strength > 0 else "dn",
        "fieldStrength": num(strength, 1),
        "daysSinceLastRun": since,
        "handicapWeight": num(info.weight),
        "blinkers": info.blinkers,
        "runsSinceSpell": (len(info.history) - info.history.rfind("x") - 1
                           if "x" in info.history else 0),
        "riderOrDriver": rider_name,
        "riderOrDriverSex": (None if info.rider is None else
                             "Female" if info.rider.female else "Male"),
        "trainerName": info.trainer.full,
        "trainerLocation": info.trainer_town,
        "runnerStarts": {"startSummaries": records,
                         "previousStarts": _previous_starts(r, career_starts, meeting, distance,
                                                            info.weight)},
        "trainerStarts": {"startSummaries": _stats(r, _TRAINER_SUMMARIES, 3000),
                          "previousStarts": _last_wins(r, meeting, "trainer")},
        "riderDriverStarts": {"startSummaries": _stats(r, _RIDER_SUMMARIES, 2500),
                              "previousStarts": _last_wins(r, meeting, "rider")},
        "winningDistances": [{"winningDistance": d, "numberOfWinsAtDistance": c} for d, c in
                             sorted(_winning_distances(r, wins, distance).items())],
        "_links": {"self": links(f"{race_path(meeting, race.number)}/form/{info.number}")},
    }


def _winning_distances(r: random.Random, wins: int, distance: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _ in range(wins):
        d = max(300, distance + r.choice((-200, -100, 0, 100)))
        counts[d] = counts.get(d, 0) + 1
    return counts
