"""Venue lookup: "Randwick", "RAN" or "the Gold Coast dogs" → one meeting of the day, or an
error that says what to send instead.

A code resolves only to that code. A name resolves by exact name, then whole-word prefix, then
whole words inside the name, then close spelling; a substring inside another word never
resolves, and anything less than an exact name that fits two meetings is an error listing them.
"""

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
_CODE = re.compile(r"^[A-Za-z]{3}$")
#: How alike (difflib ratio) a misspelt name must be to resolve.
SIMILARITY = 0.8
_LISTED = 12


class VenueError(InvalidInput):
    """A venue (or race number) that names no meeting of the day; the message says what
    does, so a caller can correct the argument."""


class NotRacing(VenueError):
    """Nothing on the day matches the venue: it is not racing then (or does not exist)."""


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", text.lower()).strip()


def _words(text: str) -> list[str]:
    words = _normalise(text).split()
    kept = [w for w in words if w not in _FILLER]
    return kept or words


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


def label(meeting: dict[str, Any]) -> str:
    """`RANDWICK (thoroughbred, code RAN, race_type R)`, as errors list meetings."""
    kind = str(meeting.get("raceType", ""))
    code = meeting.get("venueMnemonic")
    where = f"code {code}" if code else "fixed-odds only"
    return f"{meeting.get('meetingName', '?')} ({RACE_TYPES.get(kind, '?')}, {where}, " \
           f"race_type {kind})"


def check_venue(venue: str) -> None:
    """Reject an empty or over-long venue before anything is fetched."""
    if not _normalise(venue) or len(venue) > _MAX_VENUE:
        raise VenueError(f"venue must be a venue name or 3-letter code of at most {_MAX_VENUE} "
                         "characters, e.g. 'Randwick' or 'RAN'")


def _names(meeting: dict[str, Any]) -> list[list[str]]:
    """The meeting's name as words, and its display name (without a country suffix)."""
    out = [_words(str(meeting.get("meetingName", "")))]
    display = meeting.get("displayMeetingName")
    if display:
        out.append(_words(str(display)))
    return out


def _starts_with(name: list[str], query: list[str]) -> bool:
    return name[:len(query)] == query


def _contains(name: list[str], query: list[str]) -> bool:
    return any(name[i:i + len(query)] == query for i in range(len(name) - len(query) + 1))


def _similar(name: list[str], query: list[str]) -> bool:
    """Spelt alike, and not merely a piece of the name (a piece never resolves)."""
    whole, text = " ".join(name), " ".join(query)
    return text not in whole and difflib.SequenceMatcher(None, whole, text).ratio() >= SIMILARITY


def candidates(meetings: list[dict[str, Any]], venue: str, race_type: str | None, *,
               any_type: bool = False) -> tuple[list[dict[str, Any]], bool]:
    """The meetings `venue` could name (restricted to `race_type` when given, or to the type
    its words name, unless `any_type`), and whether they match exactly (by code or name)."""
    name, kind = parse_venue(venue, race_type)
    kind = None if any_type else kind
    pool = [m for m in meetings if kind is None or m.get("raceType") == kind]
    if _CODE.match(venue.strip()):
        code = venue.strip().upper()
        by_code = [m for m in pool if str(m.get("venueMnemonic") or "").upper() == code]
        exact = [m for m in pool if any(n == [code.lower()] for n in _names(m))]
        return by_code or exact, True
    query = _words(name)
    if not query:
        return [], False
    exact = [m for m in pool if any(n == query for n in _names(m))]
    if exact:
        return exact, True
    for test in (_starts_with, _contains, _similar):
        found = [m for m in pool if any(test(n, query) for n in _names(m))]
        if found:
            return found, False
    return [], False


def resolve_meeting(meetings: list[dict[str, Any]], venue: str, race_type: str | None,
                    date: str) -> dict[str, Any]:
    """The one meeting of `meetings` that `venue` names.

    Raises `VenueError` listing candidates when ambiguous, naming the type a venue races as
    when `race_type` differs, refusing a fixed-odds-only meeting, and `NotRacing` when nothing
    on `date` matches. Callers `check_venue` first, before fetching `meetings`.
    """
    found, _ = candidates(meetings, venue, race_type)
    kind = parse_venue(venue, race_type)[1]
    if not found and kind is not None:
        other, _ = candidates(meetings, venue, None, any_type=True)
        if other:
            kinds = "; ".join(label(m) for m in other[:_LISTED])
            raise VenueError(f"{venue[:40]!r} does not race as race_type {kind} on "
                             f"{date}; it races as {kinds}. Send that race_type or omit it.")
    if not found:
        raise NotRacing(f"no meeting at {venue[:40]!r} on {date}.")
    # A fixed-odds-only meeting cannot be opened: one that can is what the venue names.
    found = [m for m in found if m.get("venueMnemonic")] or found
    if len(found) > 1:
        options = "; ".join(label(m) for m in found[:_LISTED])
        raise VenueError(f"venue {venue[:40]!r} matches several meetings on {date}: {options}. "
                         "Send the venue code and race_type.")
    meeting = found[0]
    if not meeting.get("venueMnemonic"):
        raise VenueError(f"{meeting.get('meetingName')} on {date} is a fixed-odds-only meeting "
                         "Tabcorp does not publish a race card for; racing_meetings lists it "
                         "with its races' times.")
    return meeting


def races_on(meetings: list[dict[str, Any]], venue: str, race_type: str | None) -> bool:
    """Whether `venue` names at least one of `meetings` (a quiet `resolve_meeting`)."""
    return bool(candidates(meetings, venue, race_type)[0])
