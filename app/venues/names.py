"""Venue lookup: "Randwick" or "the Gold Coast dogs" → one meeting of the day."""

from __future__ import annotations

import difflib
import re
from typing import Any

from app.domain.race_types import RACE_TYPES
from app.tab.errors import InvalidInput

_TYPE_WORDS = {
    "G": ("dogs", "dog", "greyhounds", "greyhound", "greys"),
    "H": ("trots", "trot", "harness", "pacers", "pacing", "trotting"),
    "R": ("gallops", "horses", "thoroughbreds", "thoroughbred", "races", "racing"),
}
_FILLER = ("the", "at", "in", "meeting", "track")
_MAX_VENUE = 80


class VenueError(InvalidInput):
    """A venue (or race number) that names no meeting of the day; the message says what
    does, so a caller can correct the argument."""


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", text.lower()).strip()


def parse_venue(query: str, race_type: str | None) -> tuple[str, str | None]:
    """Split "gold coast dogs" into ("gold coast", "G"); an explicit `race_type` wins."""
    words = _normalise(query).split()
    found = race_type
    kept = []
    for word in words:
        kind = next((code for code, names in _TYPE_WORDS.items() if word in names), None)
        if kind and len(words) > 1:
            found = found or kind
        elif word not in _FILLER or len(words) == 1:
            kept.append(word)
    return " ".join(kept), found


def _label(meeting: dict[str, Any]) -> str:
    name = meeting.get("meetingName", "?")
    code = meeting.get("venueMnemonic") or "no code"
    return f"{name} ({RACE_TYPES.get(meeting.get('raceType', ''), '?')}, {code})"


def check_venue(venue: str) -> None:
    """Reject an empty or over-long venue before anything is fetched."""
    if not _normalise(venue) or len(venue) > _MAX_VENUE:
        raise VenueError(f"venue must be a venue name or 3-letter code of at most {_MAX_VENUE} "
                         "characters, e.g. 'Randwick' or 'RAN'")


def resolve_meeting(meetings: list[dict[str, Any]], venue: str, race_type: str | None,
                    date: str) -> dict[str, Any]:
    """The one meeting of `meetings` that `venue` names (mnemonic, name, or part of a name).

    Raises `VenueError` listing candidates when ambiguous, or the day's venues (closest first)
    when nothing matches. Callers `check_venue` first, before fetching `meetings`.
    """
    name, kind = parse_venue(venue, race_type)
    pool = [m for m in meetings if m.get("venueMnemonic")
            and (kind is None or m.get("raceType") == kind)]
    code = venue.strip().upper()
    exact_code = [m for m in pool if m.get("venueMnemonic", "").upper() == code]
    names = {id(m): _normalise(str(m.get("meetingName", ""))) for m in pool}
    candidates = (exact_code
                  or [m for m in pool if names[id(m)] == name]
                  or [m for m in pool if name and name in names[id(m)]]
                  or [m for m in pool if name and all(w in names[id(m)] for w in name.split())])
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        options = "; ".join(_label(m) for m in candidates[:12])
        raise VenueError(f"venue {venue[:40]!r} matches several meetings on {date}: {options}. "
                         "Send the 3-letter code or add race_type (R, H or G).")
    all_names = sorted({str(m.get("meetingName")) for m in pool})
    close = difflib.get_close_matches(name.upper(), all_names, n=5, cutoff=0.5)
    listed = close or all_names[:40]
    which = "closest matches" if close else "venues racing"
    type_note = f" ({RACE_TYPES[kind]})" if kind else ""
    raise VenueError(f"no{type_note} meeting at {venue[:40]!r} on {date}; {which}: "
                     f"{', '.join(listed) or 'none'}.")
