"""Request paths of the info service, built only from validated, percent-encoded segments.

Each builder returns a `Route`: the path sent on the wire (under `SERVICE_ROOT`) and the route
template, which is the bounded label used for metrics and logs. Each value goes through
`app.tab.segments`, so a bad one is rejected with `InvalidInput` before any request is made.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date as Date
from typing import NamedTuple
from urllib.parse import unquote

from app.tab.errors import InvalidInput
from app.tab.segments import (
    DATE_WORDS,
    MAX_RACE_NUMBER,
    MAX_RUNNER_NUMBER,
    date_segment,
    jurisdiction,
    number_segment,
    product_segment,
    race_type_segment,
    segment,
)

SERVICE_ROOT = "/v1/tab-info-service"
#: The results history: a sibling service on the same host, jurisdiction in the path.
HISTORY_ROOT = "/v1/historical-results-service"
RAW_TEMPLATE = "/raw"

MAX_RAW_SEGMENTS = 16
MAX_PARAMS = 16

_PARAM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")


class Route(NamedTuple):
    """A request path and its route template (the metrics label)."""

    path: str
    template: str


def _route(template: str, *parts: str, root: str = SERVICE_ROOT) -> Route:
    """Fill the `{...}` slots of `template` with already-encoded `parts`, in order."""
    pieces = re.split(r"\{[a-z_]+\}", template)
    if len(pieces) != len(parts) + 1:
        raise ValueError(f"template {template} needs {len(pieces) - 1} parts")
    path = pieces[0] + "".join(part + piece for part, piece in zip(parts, pieces[1:], strict=True))
    return Route(root + path, template if root == SERVICE_ROOT else root + template)


# Racing -------------------------------------------------------------------------------------

_MEETING = "/racing/dates/{date}/meetings/{race_type}/{venue}"
_RACE = _MEETING + "/races/{race_number}"


def _meeting_parts(day: str | Date, race_type: str, venue: str) -> tuple[str, str, str]:
    return date_segment(day), race_type_segment(race_type), segment(venue, what="venue")


def _race_number(day: str, race_number: int | str) -> str:
    # Futures address races by name in the race-number slot.
    if day == "futures" and isinstance(race_number, str) and not race_number.strip().isdigit():
        return segment(race_number, what="race_number")
    return number_segment(race_number, what="race_number", maximum=MAX_RACE_NUMBER)


def dates() -> Route:
    """R1: the racing dates."""
    return _route("/racing/dates")


def meetings(day: str | Date) -> Route:
    """R2: every meeting of a date."""
    return _route("/racing/dates/{date}/meetings", date_segment(day))


def meeting_races(day: str | Date, race_type: str, venue: str) -> Route:
    """R3: the races of one meeting."""
    return _route(_MEETING + "/races", *_meeting_parts(day, race_type, venue))


def race(day: str | Date, race_type: str, venue: str, race_number: int | str) -> Route:
    """R4: one race with runners and prices."""
    parts = _meeting_parts(day, race_type, venue)
    return _route(_RACE, *parts, _race_number(parts[0], race_number))


def race_form(day: str | Date, race_type: str, venue: str, race_number: int | str) -> Route:
    """R5: the form of every runner of a race."""
    parts = _meeting_parts(day, race_type, venue)
    return _route(_RACE + "/form", *parts, _race_number(parts[0], race_number))


def runner_form(day: str | Date, race_type: str, venue: str, race_number: int | str,
                runner_number: int | str) -> Route:
    """R6: the form of one runner."""
    parts = _meeting_parts(day, race_type, venue)
    runner = number_segment(runner_number, what="runner_number", maximum=MAX_RUNNER_NUMBER)
    return _route(_RACE + "/form/{runner_number}", *parts, _race_number(parts[0], race_number),
                  runner)


def approximates(day: str | Date, race_type: str, venue: str, race_number: int | str,
                 product: str) -> Route:
    """R8: approximate dividends of one pool."""
    parts = _meeting_parts(day, race_type, venue)
    return _route(_RACE + "/pools/{product}/approximates", *parts,
                  _race_number(parts[0], race_number), product_segment(product))


def next_to_go() -> Route:
    """R9: the next races to jump."""
    return _route("/racing/next-to-go/races")


def jackpots() -> Route:
    """R10: current jackpots (shape unverified upstream)."""
    return _route("/racing/jackpots")


def jackpot_pools(day: str | Date) -> Route:
    """R11: jackpot pools of a date (shape unverified upstream)."""
    return _route("/racing/dates/{date}/jackpot-pools", date_segment(day))


# Results history (a sibling service) ----------------------------------------------------------

def _past_date(value: str | Date) -> str:
    day = date_segment(value)
    if day in DATE_WORDS:
        raise InvalidInput("the results history takes a date as YYYY-MM-DD")
    return day


def history_meetings(jurisdiction_code: str, day: str | Date) -> Route:
    """The meetings of a past date, with their races' results."""
    return _route("/{jurisdiction}/racing/{date}", jurisdiction(jurisdiction_code),
                  _past_date(day), root=HISTORY_ROOT)


def history_race(jurisdiction_code: str, day: str | Date, venue: str, race_type: str,
                 race_number: int | str) -> Route:
    """One past race: placings and dividends. The venue comes before the race type here, and
    the venue mnemonic may be a single letter."""
    return _route("/{jurisdiction}/racing/{date}/{venue}/{race_type}/races/{race_number}",
                  jurisdiction(jurisdiction_code), _past_date(day),
                  segment(venue, what="venue", max_len=20), race_type_segment(race_type),
                  number_segment(race_number, what="race_number", maximum=MAX_RACE_NUMBER),
                  root=HISTORY_ROOT)


# Sports -------------------------------------------------------------------------------------

def _name(value: str, what: str) -> str:
    return segment(value, what=what)


def sports() -> Route:
    """P1: every sport with its competitions."""
    return _route("/sports")


def sport(sport_name: str) -> Route:
    """P2: one sport."""
    return _route("/sports/{sport}", _name(sport_name, "sport"))


def competitions(sport_name: str) -> Route:
    """P3: the competitions of a sport."""
    return _route("/sports/{sport}/competitions", _name(sport_name, "sport"))


def competition(sport_name: str, competition_name: str) -> Route:
    """P4: one competition with its matches and top markets."""
    return _route("/sports/{sport}/competitions/{competition}", _name(sport_name, "sport"),
                  _name(competition_name, "competition"))


def match(sport_name: str, competition_name: str, match_name: str) -> Route:
    """P6: one match with its markets."""
    return _route("/sports/{sport}/competitions/{competition}/matches/{match}",
                  _name(sport_name, "sport"), _name(competition_name, "competition"),
                  _name(match_name, "match"))


def tournament(sport_name: str, competition_name: str, tournament_name: str) -> Route:
    """P8: one tournament (tennis, golf) with its matches."""
    return _route("/sports/{sport}/competitions/{competition}/tournaments/{tournament}",
                  _name(sport_name, "sport"), _name(competition_name, "competition"),
                  _name(tournament_name, "tournament"))


def tournament_match(sport_name: str, competition_name: str, tournament_name: str,
                     match_name: str) -> Route:
    """P8: one match of a tournament."""
    return _route(
        "/sports/{sport}/competitions/{competition}/tournaments/{tournament}/matches/{match}",
        _name(sport_name, "sport"), _name(competition_name, "competition"),
        _name(tournament_name, "tournament"), _name(match_name, "match"))


def sports_next_to_go() -> Route:
    """P9: the next sports matches to start."""
    return _route("/sports/nextToGo")


def sports_results(sport_name: str | None = None, competition_name: str | None = None,
                   match_name: str | None = None) -> Route:
    """P10: sports results, narrowed by sport, then competition, then match."""
    if competition_name is not None and sport_name is None:
        raise InvalidInput("sports results by competition also need the sport")
    if match_name is not None and competition_name is None:
        raise InvalidInput("sports results by match also need the sport and competition")
    if sport_name is None:
        return _route("/sports/results")
    if competition_name is None:
        return _route("/sports/results/{sport}", _name(sport_name, "sport"))
    if match_name is None:
        return _route("/sports/results/{sport}/competitions/{competition}",
                      _name(sport_name, "sport"), _name(competition_name, "competition"))
    return _route("/sports/results/{sport}/competitions/{competition}/matches/{match}",
                  _name(sport_name, "sport"), _name(competition_name, "competition"),
                  _name(match_name, "match"))


def footy_rounds(sport_name: str) -> Route:
    """P11: the tipping rounds of a football code (shape unverified upstream)."""
    return _route("/sports/{sport}/footy/rounds", _name(sport_name, "sport"))


def footy_round(sport_name: str, round_id: int | str) -> Route:
    """P11: one tipping round."""
    round_segment = (str(round_id) if isinstance(round_id, int) and not isinstance(round_id, bool)
                     and round_id >= 0 else None)
    if round_segment is None:
        if not isinstance(round_id, str):
            raise InvalidInput("round must be a round number or name")
        round_segment = segment(round_id, what="round", max_len=40)
    return _route("/sports/{sport}/footy/rounds/{round}", _name(sport_name, "sport"),
                  round_segment)


# Generic reads --------------------------------------------------------------------------------

def raw_path(path: str) -> Route:
    """A generic read under `SERVICE_ROOT`, e.g. a path taken from a response's `_links`.

    Each segment is percent-decoded once (so `AFL%20Football` and `AFL Football` mean the same),
    validated like any other segment and re-encoded. Query strings and fragments are refused:
    pass query parameters separately. The template is the fixed label `/raw`.
    """
    if not isinstance(path, str) or not path.strip():
        raise InvalidInput(f"path must be a path under {SERVICE_ROOT}/")
    if len(path) > 1000:
        raise InvalidInput("path is too long (at most 1000 characters)")
    if "?" in path or "#" in path:
        raise InvalidInput("path must not contain '?' or '#'; pass query parameters separately")
    if not path.startswith(SERVICE_ROOT + "/"):
        raise InvalidInput(f"path must start with {SERVICE_ROOT}/")
    rest = path[len(SERVICE_ROOT) + 1:]
    raw_segments = rest.split("/")
    if raw_segments and raw_segments[-1] == "":
        raw_segments.pop()  # a trailing slash
    if not raw_segments:
        raise InvalidInput(f"path must name a resource under {SERVICE_ROOT}/")
    if len(raw_segments) > MAX_RAW_SEGMENTS:
        raise InvalidInput(f"path has too many segments (at most {MAX_RAW_SEGMENTS})")
    encoded = []
    for index, raw in enumerate(raw_segments, start=1):
        if "\\" in raw:
            raise InvalidInput(f"path segment {index} must not contain '\\'")
        encoded.append(segment(unquote(raw), what=f"path segment {index}"))
    return Route(SERVICE_ROOT + "/" + "/".join(encoded), RAW_TEMPLATE)


def query_params(params: dict[str, str | int | float | bool] | None) -> dict[str, str]:
    """Validate extra query parameters of a generic read.

    Names are short identifiers; `jurisdiction` is given separately and `fixedOdds` is never
    sent (it turns race detail into a 404 upstream).
    """
    if not params:
        return {}
    if not isinstance(params, dict) or len(params) > MAX_PARAMS:
        raise InvalidInput(f"params must be a mapping of at most {MAX_PARAMS} names to values")
    result: dict[str, str] = {}
    for name, value in params.items():
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise InvalidInput("param names must be identifiers (letters, digits, _ . -)")
        if name.lower() == "jurisdiction":
            raise InvalidInput("pass the jurisdiction as its own argument, not in params")
        if name.lower() == "fixedodds":
            raise InvalidInput("the fixedOdds parameter is not supported (fixed odds are "
                               "always included)")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | float):
            text = str(value)
        elif isinstance(value, str):
            text = value
        else:
            raise InvalidInput(f"param {name} must be text, a number or a boolean")
        if len(text) > 200 or any(unicodedata.category(c) == "Cc" for c in text):
            raise InvalidInput(f"param {name} must be at most 200 printable characters")
        result[name] = text
    return result
