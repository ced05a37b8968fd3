"""Static runner particulars: connections, weights, silks, ratings, breeding and career."""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.sandbox.world import names
from app.sandbox.world.eligibility import Eligibility, age_and_sex, career_cap, eligibility
from app.sandbox.world.field import RaceField
from app.sandbox.world.venues import Venue

_POOL = 40  # trainers (and riders) per state and code


@dataclass(frozen=True)
class Person:
    """A trainer, jockey or driver (a trainer may be a partnership of two)."""

    people: tuple[tuple[str, str], ...]
    female: bool

    @property
    def full(self) -> str:
        """`CHRIS WALLER` / `GAI WATERHOUSE & ADRIAN BOTT`."""
        return " & ".join(names.full_upper(f, s) for f, s in self.people)

    @property
    def short(self) -> str:
        """`C Waller` / `G Waterhouse & A Bott`."""
        return " & ".join(names.short_name(f, s) for f, s in self.people)

    @property
    def title(self) -> str:
        """`Chris Waller`."""
        return " & ".join(names.title_name(f, s) for f, s in self.people)


def trainer(seed: int, location: str, race_type: str, index: int) -> Person:
    """Trainer `index` of a state's pool (every fifth is a partnership)."""
    first = names.connection(race_type, seed, location, race_type, "trainer", index)
    if index % 5 == 4:
        second = names.connection(race_type, seed, location, race_type, "trainer-partner",
                                  index)
        return Person((first, second), female=False)
    return Person((first,), female=False)


def rider(seed: int, location: str, race_type: str, index: int) -> Person:
    """Jockey or driver `index` of a state's pool (about one in four female)."""
    who = names.connection(race_type, seed, location, race_type, "rider", index)
    return Person((who,), female=index % 4 == 1)


@dataclass(frozen=True)
class RunnerInfo:
    """Everything about one runner that does not change during the day."""

    number: int
    silks: str
    trainer: Person
    trainer_town: str
    rider: Person | None
    weight: float
    claim: float
    history: str  # career form figures, oldest first (digits, 0 = 10th+, x = spell)
    tcdw: str | None
    blinkers: bool
    dfs_rating: int
    rating_points: int
    early_speed: int
    harness_handicap: str | None
    age: int
    sex: str
    colour: str
    sire: str
    dam: str

    @property
    def last5(self) -> str | None:
        """Upstream `last5Starts`."""
        return self.history[-5:] if self.history else None

    @property
    def last20(self) -> str:
        """Upstream `last20Starts` (`f` marks the first start of a career)."""
        return ("f" + self.history) if len(self.history) < 20 else self.history[-20:]

    @property
    def speed_band(self) -> str:
        """Upstream `earlySpeedRatingBand`."""
        if self.early_speed >= 70:
            return "LEADER"
        return "MIDFIELD" if self.early_speed >= 55 else "BACKMARKER"


def _history(r: random.Random, rules: Eligibility, age: int) -> str:
    """Career figures, oldest first: a maiden has never won, a young horse has few starts."""
    if rules.maiden and r.random() < 0.35:
        return ""
    finishes = "22334567890" if rules.maiden else "1122334567890"
    figures = []
    for _ in range(r.randint(1, career_cap(age))):
        figures.append("x" if r.random() < 0.12 else r.choice(finishes))
    return "".join(figures).lstrip("x")


def _tcdw(r: random.Random, history: str) -> str | None:
    if not history:
        return None
    slots = []
    for letter in "TCDW":
        roll = r.random()
        slots.append(letter if roll < 0.3 else letter.lower() if roll < 0.5 else " ")
    text = "".join(slots).strip()
    return text or None


def make_runners(seed: int, venue: Venue, day: str, number: int, race_class: str | None,
                 field: RaceField) -> dict[int, RunnerInfo]:
    """The static particulars of every entrant of one race."""
    r = random.Random(f"{seed}:{day}:{venue.key}:{number}:runners")
    code = venue.race_type
    location = venue.location
    riders = r.sample(range(_POOL), k=min(_POOL, len(field.entrants)))
    top_weight = r.choice((58.0, 59.0, 60.0, 61.0))
    infos = {}
    rules = eligibility(code, race_class)
    for i, e in enumerate(field.entrants):
        age, sex = age_and_sex(r, code, rules)
        history = _history(r, rules, age)
        if code == "R":
            weight = max(54.0, top_weight - 0.5 * r.randint(0, 12))
            claim = r.choice((1.5, 2.0, 3.0)) if r.random() < 0.15 else -1.0
        elif code == "H":
            weight, claim = 0.0, -1.0
        else:
            weight, claim = round(r.uniform(25.5, 36.5) * 2) / 2, -1.0
        infos[e.number] = RunnerInfo(
            number=e.number,
            silks=names.silks(r),
            trainer=trainer(seed, location, code, r.randrange(_POOL)),
            trainer_town=names.trainer_town(r, location),
            rider=None if code == "G" else rider(seed, location, code, riders[i % len(riders)]),
            weight=weight,
            claim=claim,
            history=history,
            tcdw=_tcdw(r, history),
            blinkers=code == "R" and r.random() < 0.3,
            dfs_rating=r.randint(70, 100),
            rating_points=r.randint(0, 8),
            early_speed=r.randint(40, 100),
            harness_handicap=(r.choice((None, None, "10m", "20m", "30m"))
                              if code == "H" else None),
            age=age,
            sex=sex,
            colour=r.choice(("B", "BR", "CH", "GR", "B/BR") if code != "G"
                            else ("BK", "BD", "F", "W&BK", "BE")),
            sire=names.breeding_name(r),
            dam=names.breeding_name(r),
        )
    return infos
