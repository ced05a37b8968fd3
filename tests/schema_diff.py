"""Compare the *shape* of two JSON documents: keys, JSON types and enum vocabularies.

`schema_diff(sample, candidate)` walks both documents, merging every element of a list into one
element schema (the union of their keys, types and values), and returns human-readable lines for
every difference; an empty list means the candidate has the sample's shape.

Numbers: a path whose sample values include a float (or that is listed in `numbers`, the fields
the API documents as `num`) accepts int and float alike; a path the sample only ever shows as int
must stay int. Nulls: a path the sample only shows as null accepts any type; a candidate null
where the sample never has one is reported unless the path is in `nullable`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Fields the API documents as JSON numbers that may be int or float (`num`).
NUMBER_KEYS = frozenset({
    "returnWin", "returnPlace", "returnWinOpen", "returnWinOpenDaily", "returnExact2",
    "poolTotal", "jackpot", "amount", "return", "handicapWeight", "claimAmount",
    "jackpotCarriedOver", "mergePoolTotal", "fieldStrength", "line",
})

_LOCATIONS = frozenset({
    "NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT", "NZL", "HKG", "JPN", "GBR", "IRL", "FRA",
    "FR", "USA", "CAN", "SAF", "TUR", "BRA", "SAM", "SGP", "KOR", "UAE",
})

#: Vocabularies of the named enum fields (tabcorp-api.md §7 plus values seen in real payloads).
DEFAULT_ENUMS: Mapping[str, frozenset[str]] = {
    "raceStatus": frozenset({"Normal", "Closed", "Interim", "Paying", "Abandoned"}),
    "bettingStatus": frozenset({"Open", "LateScratched", "Scratched", "Reserve", "Winner",
                                "Placing", "Loser", "Suspended", "Closed", "Normal"}),
    "wageringProduct": frozenset({"Win", "Place", "Quinella", "Exacta", "Duet", "Trifecta",
                                  "FirstFour", "RunningDouble", "DailyDouble", "Treble",
                                  "Quaddie", "EarlyQuaddie", "Big6", "OddsAndEvens"}),
    "poolStatusCode": frozenset({"Open", "Closed", "Paying", "Interim"}),
    "earlySpeedRatingBand": frozenset({"LEADER", "MIDFIELD", "BACKMARKER"}),
    "raceType": frozenset({"R", "H", "G"}),
    "scheduledType": frozenset({"R", "H", "G"}),
    "cashOutEligibility": frozenset({"Enabled", "Disabled"}),
    "parimutuelPlaceStatus": frozenset({"Open", "Closed"}),
    "startType": frozenset({"Trial", "LastStarts", "LastWins"}),
    "ratingType": frozenset({"Rating", "Last12Months", "Recent", "Distance", "Class", "Time",
                             "Overall"}),
    "trackDirection": frozenset({"clockwise", "anticlockwise"}),
    "classLevel": frozenset({"up", "dn"}),
    "riderOrDriverSex": frozenset({"Male", "Female"}),
    "sex": frozenset({"Colt", "Filly", "Gelding", "Mare", "Horse", "Unknown", "Dog", "Bitch"}),
    "substitute": frozenset({"NR", "NYD"}),
    "location": _LOCATIONS,
}


@dataclass
class _Node:
    types: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    values: set[str] = field(default_factory=set)
    has_elements: bool = False


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _walk(value: Any, path: str, nodes: dict[str, _Node]) -> None:
    node = nodes.setdefault(path, _Node())
    node.types.add(_type(value))
    if isinstance(value, dict):
        for k, v in value.items():
            node.keys.add(k)
            _walk(v, f"{path}.{k}", nodes)
    elif isinstance(value, list):
        if value:
            node.has_elements = True
        for item in value:
            _walk(item, f"{path}[]", nodes)
    elif isinstance(value, str):
        node.values.add(value)


def schema_of(document: Any) -> dict[str, _Node]:
    """Path (`$`, `$.a`, `$.a[]`, ...) → merged node of every value found there."""
    nodes: dict[str, _Node] = {}
    _walk(document, "$", nodes)
    return nodes


def _matches(path: str, patterns: Iterable[str]) -> bool:
    key = path.rsplit(".", 1)[-1]
    for pattern in patterns:
        if pattern in (key, path) or path.endswith("." + pattern) or path == "$." + pattern:
            return True
    return False


def _last_key(path: str) -> str:
    return path.rsplit(".", 1)[-1].removesuffix("[]")


def schema_diff(sample: Any, candidate: Any, optional_keys: Iterable[str] = (), *,
                nullable: Iterable[str] = (), may_be_empty: Iterable[str] = (),
                numbers: Iterable[str] = NUMBER_KEYS,
                enums: Mapping[str, frozenset[str]] = DEFAULT_ENUMS) -> list[str]:
    """Every shape difference between `sample` (the reference) and `candidate`.

    `optional_keys` names keys that may be missing from or extra in the candidate: a bare key
    name (`fastForm`) or a path suffix (`runners[].finishingPosition`, `$.dividends`).
    `may_be_empty` names lists the candidate may leave empty where the sample has elements.
    """
    empty_ok = tuple(may_be_empty)
    optional = tuple(optional_keys)
    nullable_paths = tuple(nullable)
    number_keys = frozenset(numbers)
    want, have = schema_of(sample), schema_of(candidate)
    lines: list[str] = []
    for path in sorted(set(want) | set(have)):
        w, h = want.get(path), have.get(path)
        if w is None or h is None:
            continue  # reported as a missing or extra key of the parent object
        if "object" in w.types and "object" in h.types:
            for k in sorted(w.keys - h.keys):
                if not _matches(f"{path}.{k}", optional):
                    lines.append(f"{path}: missing key '{k}'")
            for k in sorted(h.keys - w.keys):
                if not _matches(f"{path}.{k}", optional):
                    lines.append(f"{path}: unexpected key '{k}'")
        if ("array" in w.types and w.has_elements and "array" in h.types and not h.has_elements
                and not _matches(path, empty_ok)):
            lines.append(f"{path}: always an empty list, the sample has elements")
        lines += _type_lines(path, w, h, number_keys, nullable_paths)
        vocabulary = enums.get(_last_key(path))
        if vocabulary is not None:
            unknown = h.values - vocabulary - w.values
            if unknown:
                lines.append(f"{path}: values outside the enum {sorted(unknown)}")
    return lines


def _type_lines(path: str, w: _Node, h: _Node, number_keys: frozenset[str],
                nullable: tuple[str, ...]) -> list[str]:
    sample_types = set(w.types)
    if sample_types == {"null"}:
        return []
    candidate_types = set(h.types)
    lines = []
    if "null" in candidate_types and "null" not in sample_types:
        if not _matches(path, nullable):
            lines.append(f"{path}: null where the sample never is")
    candidate_types.discard("null")
    sample_types.discard("null")
    if "float" in sample_types or _last_key(path) in number_keys:
        if sample_types & {"int", "float"}:
            sample_types |= {"int", "float"}
    extra = candidate_types - sample_types
    if extra:
        lines.append(f"{path}: type {sorted(candidate_types)} where the sample has "
                     f"{sorted(sample_types)}")
    return lines
