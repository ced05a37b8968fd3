"""Who may run in a race, and an age and sex that fit, by Australian conventions.

A colt (entire male) or filly is under four; from four an entire is a horse and a female a
mare; a gelding may be any age. Class conditions restrict the field: `3YO` three-year-olds
only, `3YO+` three and up, `FM` fillies and mares, a maiden (`MDN`, `Maiden`) horses that
have never won.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

#: Oldest runner of each code, and youngest.
_AGES = {"R": (2, 9), "H": (2, 11), "G": (2, 5)}
#: The most starts a runner of each age has had (a two-year-old has barely begun).
_CAREER_CAP = {2: 4, 3: 12}
_MAX_STARTS = 24


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The ages, sexes and form a race's conditions admit."""

    min_age: int
    max_age: int
    females_only: bool
    maiden: bool


def eligibility(race_type: str, race_class: str | None) -> Eligibility:
    """What `race_class` (e.g. `3YO+ BM72 FM`, `Maiden`) admits for `race_type`'s code."""
    low, high = _AGES.get(race_type, _AGES["R"])
    text = (race_class or "").upper()
    ages = re.search(r"\b(\d)YO(\+?)", text)
    if ages:
        low = int(ages.group(1))
        high = high if ages.group(2) else low
    elif race_type != "G":  # a two-year-old horse runs only in two-year-old races
        low = 3
    females = race_type != "G" and bool(re.search(r"\b(FM|F&M)\b", text))
    return Eligibility(low, high, females, maiden="MDN" in text or "MAIDEN" in text)


def age_and_sex(r: random.Random, race_type: str, rules: Eligibility) -> tuple[int, str]:
    """An age within the conditions and a sex that fits it."""
    age = r.randint(rules.min_age, rules.max_age)
    if race_type == "G":
        return age, r.choice(("Dog", "Bitch"))
    young = age < 4
    if rules.females_only:
        return age, "Filly" if young else "Mare"
    if young:
        return age, r.choice(("Gelding", "Colt", "Colt", "Filly", "Filly"))
    return age, r.choice(("Gelding", "Gelding", "Gelding", "Mare", "Mare", "Horse"))


def career_cap(age: int) -> int:
    """The most starts a runner of `age` is given."""
    return _CAREER_CAP.get(age, _MAX_STARTS)
