"""Path building: every user-supplied argument stays inside its own segment."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.tab import paths
from app.tab.errors import InvalidInput
from app.tab.segments import WAGERING_PRODUCTS, jurisdiction
from app.tab.segments import segment as encode_segment

TRICKY = [
    "", " ", ".", "..", "...", "a/b", "/", "\\", "..\\..", "?jurisdiction=VIC", "x#frag", "%2e%2e",
    "%2E%2e", "%2F", "a%2fb", "%252F", "%25252e%25252e", "%3F", "%23", "%5C", "%00", "\x00",
    "a\nb", "\u202e", "\u2028", "AFL Football", "Adelaide v Geelong",
    "Queen Anne Stakes (All In)", "Racing Futures", "WFM", "50%", "100% Pure", "Ünïcödé",
    "&amp;", "a;b=c", "a+b", "x" * 101, "x" * 100,
]
free_text = st.one_of(st.sampled_from(TRICKY), st.text(max_size=120),
                      st.text(alphabet="./\\?#% abc2F5Ce", max_size=12))
dates = st.one_of(st.sampled_from(["today", "TOMORROW", "futures", "2026-09-23", "2026-02-30",
                                   "2026-9-23", "yesterday", "../x"]), free_text)
race_types = st.one_of(st.sampled_from(["R", "h", "G", "X", "RR"]), free_text)
numbers = st.one_of(st.integers(-5, 120), st.sampled_from(["1", "12", "0", "007", "1/2"]),
                    free_text)
products = st.one_of(st.sampled_from(["Quinella", "exacta", "FirstFour", "Pick6"]), free_text)

DATE_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}|today|tomorrow|futures")


def _slots(template: str) -> list[str]:
    return template.strip("/").split("/")


def check_route(route: paths.Route, expected: dict[str, Any]) -> None:
    """The path has exactly the template's segments; each slot decodes to what it should."""
    assert route.path.startswith(paths.SERVICE_ROOT + "/")
    assert "?" not in route.path and "#" not in route.path and "\\" not in route.path
    segments = route.path[len(paths.SERVICE_ROOT) + 1:].split("/")
    template = _slots(route.template)
    assert len(segments) == len(template)
    for slot, encoded in zip(template, segments, strict=True):
        assert encoded not in ("", ".", "..")
        decoded = unquote(encoded)
        if not slot.startswith("{"):
            assert encoded == slot
            continue
        name = slot[1:-1]
        want = expected[name]
        if callable(want):
            assert want(decoded), (name, decoded)
        else:
            assert decoded == want, (name, decoded, want)


def build(builder: Callable[..., paths.Route], *args: Any) -> paths.Route | None:
    try:
        return builder(*args)
    except InvalidInput as exc:
        assert exc.message  # names what was wrong
        return None


def is_date(text: str) -> bool:
    return bool(DATE_VALUE.fullmatch(text))


def is_race_type(text: str) -> bool:
    return text in ("R", "H", "G")


def is_number(text: str) -> bool:
    return text.isdigit() and 1 <= int(text) <= 99


def is_product(text: str) -> bool:
    return text in WAGERING_PRODUCTS


def race_number_slot(race_number: Any) -> Callable[[str], bool]:
    def ok(text: str) -> bool:
        return is_number(text) or text == race_number
    return ok


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(day=dates, race_type=race_types, venue=free_text, race_number=numbers,
       runner=numbers, product=products)
def test_racing_paths_never_escape_their_template(day: Any, race_type: Any, venue: str,
                                                  race_number: Any, runner: Any,
                                                  product: Any) -> None:
    base = {"date": is_date, "race_type": is_race_type, "venue": venue}
    race = {**base, "race_number": race_number_slot(race_number)}
    cases: list[tuple[paths.Route | None, dict[str, Any]]] = [
        (build(paths.meetings, day), {"date": is_date}),
        (build(paths.jackpot_pools, day), {"date": is_date}),
        (build(paths.meeting_races, day, race_type, venue), base),
        (build(paths.race, day, race_type, venue, race_number), race),
        (build(paths.race_form, day, race_type, venue, race_number), race),
        (build(paths.runner_form, day, race_type, venue, race_number, runner),
         {**race, "runner_number": is_number}),
        (build(paths.approximates, day, race_type, venue, race_number, product),
         {**race, "product": is_product}),
    ]
    for route, expected in cases:
        if route is not None:
            check_route(route, expected)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(sport=free_text, competition=free_text, match=free_text, tournament=free_text,
       round_id=st.one_of(st.integers(-3, 60), free_text))
def test_sports_paths_never_escape_their_template(sport: str, competition: str, match: str,
                                                  tournament: str, round_id: Any) -> None:
    names = {"sport": sport, "competition": competition, "match": match,
             "tournament": tournament, "round": str(round_id)}
    for route in (
        build(paths.sport, sport), build(paths.competitions, sport),
        build(paths.competition, sport, competition),
        build(paths.match, sport, competition, match),
        build(paths.tournament, sport, competition, tournament),
        build(paths.tournament_match, sport, competition, tournament, match),
        build(paths.sports_results, sport), build(paths.sports_results, sport, competition),
        build(paths.sports_results, sport, competition, match),
        build(paths.footy_rounds, sport), build(paths.footy_round, sport, round_id),
    ):
        if route is not None:
            check_route(route, names)


@settings(max_examples=300)
@given(st.lists(free_text, min_size=1, max_size=5))
def test_raw_paths_stay_under_the_service_root(parts: list[str]) -> None:
    raw = paths.SERVICE_ROOT + "/" + "/".join(parts)
    route = build(paths.raw_path, raw)
    if route is None:
        return
    assert route.template == paths.RAW_TEMPLATE
    segments = route.path[len(paths.SERVICE_ROOT) + 1:].split("/")
    expected = [unquote(part) for part in "/".join(parts).split("/")]
    if expected and expected[-1] == "":
        expected.pop()
    assert [unquote(segment) for segment in segments] == expected
    assert "?" not in route.path and "#" not in route.path
    assert all(segment not in ("", ".", "..") for segment in segments)


def test_segments_are_percent_encoded_and_round_trip() -> None:
    route = paths.match("AFL Football", "AFL", "Adelaide v Geelong")
    assert route.path == (paths.SERVICE_ROOT + "/sports/AFL%20Football/competitions/AFL/"
                          "matches/Adelaide%20v%20Geelong")
    assert route.template == "/sports/{sport}/competitions/{competition}/matches/{match}"
    assert encode_segment("50%", what="x") == "50%25"


@pytest.mark.parametrize("value, fragment", [
    ("..", "'.' or '..'"), ("a/b", "'/'"), ("a\\b", "'\\\\'"), ("?x", "'?'"), ("#", "'#'"),
    ("%2e%2e", "percent-encoded"), ("%252f", "percent-encoded"), ("a\x07", "control"),
    ("", "empty"), ("x" * 101, "too long"),
])
def test_rejections_name_the_argument_and_the_problem(value: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        paths.race("today", "R", value, 1)
    assert caught.value.message.startswith("venue ")
    assert fragment in caught.value.message


def test_canonical_forms() -> None:
    assert paths.race("TODAY", "r", "WFM", "2").path.endswith(
        "/racing/dates/today/meetings/R/WFM/races/2")
    assert paths.meetings(date(2026, 9, 23)).path.endswith("/racing/dates/2026-09-23/meetings")
    assert paths.approximates("2026-09-23", "R", "WFM", 2, "quinella").path.endswith(
        "/races/2/pools/Quinella/approximates")
    futures = paths.race("futures", "R", "Racing Futures", "Queen Anne Stakes (All In)")
    assert futures.path.endswith(
        "/dates/futures/meetings/R/Racing%20Futures/races/Queen%20Anne%20Stakes%20%28All%20In%29")
    with pytest.raises(InvalidInput, match="race_number"):
        paths.race("today", "R", "WFM", "Queen Anne Stakes")
    with pytest.raises(InvalidInput, match="calendar date"):
        paths.meetings("2026-02-30")
    with pytest.raises(InvalidInput, match="race_number"):
        paths.race("today", "R", "WFM", 0)
    with pytest.raises(InvalidInput, match="product"):
        paths.approximates("today", "R", "WFM", 1, "Pick6")


def test_jurisdiction_and_query_params() -> None:
    assert jurisdiction(" vic ") == "VIC"
    with pytest.raises(InvalidInput, match="WA has no"):
        jurisdiction("WA")
    assert paths.query_params({"maxRaces": 5, "openOnly": True, "next": "12h"}) == {
        "maxRaces": "5", "openOnly": "true", "next": "12h"}
    for bad in ({"jurisdiction": "VIC"}, {"fixedOdds": True}, {"a b": "x"}, {"x": "a\nb"},
                {"x": ["list"]}):
        with pytest.raises(InvalidInput):
            paths.query_params(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [
    "/v1/tab-info-service", "/v1/tab-info-service/", "/oauth/token",
    "/v1/tab-info-service/../../oauth/token", "/v1/tab-info-service/racing/%2e%2e/x",
    "/v1/tab-info-service/racing?x=1", "https://evil.example/v1/tab-info-service/racing",
    "/v1/tab-info-service/racing/dates#x", "/v1/historical-results-service/NSW/racing",
])
def test_raw_paths_outside_the_service_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        paths.raw_path(raw)


def test_raw_paths_accept_link_style_encoding() -> None:
    route = paths.raw_path("/v1/tab-info-service/sports/AFL%20Football/competitions/AFL")
    assert route == paths.raw_path("/v1/tab-info-service/sports/AFL Football/competitions/AFL")
    assert route.path.endswith("/sports/AFL%20Football/competitions/AFL")
