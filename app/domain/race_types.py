"""The racing codes: thoroughbreds (R), harness (H) and greyhounds (G)."""

from __future__ import annotations

from typing import Literal

#: A race type code, for validated arguments.
RaceType = Literal["R", "H", "G"]
#: Each race type code (a `RaceType`) and the name of its code of racing.
RACE_TYPES: dict[str, str] = {"R": "thoroughbred", "H": "harness", "G": "greyhound"}
