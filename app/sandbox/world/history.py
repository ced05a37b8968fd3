"""The results history service: past days' meetings and resulted races.

Every body here is projected from the race detail the info service renders for the same race
(same field, same tote, same clock), so the history and the info service agree on placings,
runners and dividends on the days both hold. The history reaches further back than the info
service. Its venue mnemonic is the meeting's sell-code letter for the first metropolitan
thoroughbred meeting of each state on a day (as the real service's single-letter codes are),
and the info service's mnemonic otherwise. Runner `margin` (lengths behind the runner placed
ahead) is an unverified field. Times take the history's `+00:00` form.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.sandbox.world import lifecycle
from app.sandbox.world.detail import race_detail
from app.sandbox.world.errors import NotFound
from app.sandbox.world.links import Links, join
from app.sandbox.world.meetings import MeetingPlan, RacePlan
from app.sandbox.world.util import unit

if TYPE_CHECKING:
    from app.sandbox.world.world import World

Body = dict[str, Any]
#: How far back the results history reaches.
HISTORY_DAYS = 3 * 365
_RESULTED = (lifecycle.PAYING, lifecycle.ABANDONED)
_RUNNER_KEYS = ("runnerName", "runnerNumber", "barrierNumber", "riderDriverName", "trainerName",
                "vacantBox", "finishingPosition")


class HistoryNotFound(NotFound):
    """A date (or race) the results history does not hold."""

    code = "NOT_FOUND_ERROR"


def _stamp(instant: datetime) -> str:
    """The history's own timestamp form: `2026-09-23T04:25:00+00:00`."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def _restamp(text: str) -> str:
    """An info-service timestamp (`…00.000Z`) in the history's form."""
    return _stamp(datetime.fromisoformat(text.replace("Z", "+00:00")))


def _day(world: World, text: str) -> date:
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    today = world.today()
    if day is None or not today - timedelta(days=HISTORY_DAYS) <= day <= today:
        raise HistoryNotFound(f"No results found for date {text}", "date", text)
    return day


def mnemonics(meetings: tuple[MeetingPlan, ...]) -> dict[str, MeetingPlan]:
    """The day's tote meetings by (history mnemonic, race type) key `"{mnemonic}/{type}"`."""
    found: dict[str, MeetingPlan] = {}
    lettered: set[str] = set()
    for meeting in meetings:
        venue = meeting.venue
        if venue.mnemonic is None:
            continue
        code = venue.mnemonic
        if venue.race_type == "R" and venue.tier == 1 and venue.location not in lettered:
            lettered.add(venue.location)
            code = venue.sell_code
        found[f"{code}/{venue.race_type}"] = meeting
    return found


def _resulted(race: RacePlan, now: datetime) -> str | None:
    status = lifecycle.race_status(race.start, now, race.abandoned)
    return status if status in _RESULTED else None


def _race_link(base: str, jurisdiction: str, day: date, code: str, race_type: str,
               number: int) -> str:
    return base + join(jurisdiction, "racing", day.isoformat(), code, race_type, "races", number)


def meetings(world: World, base: str, jurisdiction: str, day_text: str) -> Body:
    """`/{jurisdiction}/racing/{date}`: the day's meetings with their resulted races."""
    day = _day(world, day_text)
    now = world.clock.now()
    items = []
    for key, meeting in mnemonics(world.plan_of(day)).items():
        code, race_type = key.split("/")
        races = []
        for race in meeting.races:
            status = _resulted(race, now)
            if status is None:
                continue
            field = world.field(meeting, race.number)
            races.append({
                "raceNumber": race.number, "raceName": race.name,
                "raceClassConditions": race.race_class, "raceDistance": race.distance,
                "raceStartTime": _stamp(race.start), "raceStatus": status,
                "results": field.results() if status == lifecycle.PAYING else [],
                "_links": {"self": _race_link(base, jurisdiction, day, code, race_type,
                                              race.number)}})
        if races:
            venue = meeting.venue
            items.append({"meetingName": venue.name, "venueMnemonic": code,
                          "raceType": race_type, "location": venue.location,
                          "meetingDate": day.isoformat(), "weatherCondition": meeting.weather,
                          "trackCondition": meeting.track, "railPosition": meeting.rail,
                          "races": races})
    return {"meetings": items}


def _margin(world: World, meeting: MeetingPlan, race: RacePlan, position: int) -> str:
    spread = unit(world.seed, meeting.day.isoformat(), meeting.venue.key, race.number,
                  position, "margin")
    return f"{0.1 + 4.9 * spread ** 2:.1f}"


def _runner(world: World, meeting: MeetingPlan, race: RacePlan, runner: Body) -> Body:
    body = {key: runner[key] for key in _RUNNER_KEYS if key in runner}
    position = runner.get("finishingPosition", 0)
    if isinstance(position, int) and position > 1:
        body["margin"] = _margin(world, meeting, race, position)
    fixed, tote = runner["fixedOdds"], runner["parimutuel"]
    body["fixedOdds"] = {"returnWin": fixed["returnWin"], "returnPlace": fixed["returnPlace"],
                         "bettingStatus": fixed["bettingStatus"]}
    body["parimutuel"] = {"returnWin": tote["returnWin"], "returnPlace": tote["returnPlace"],
                          "bettingStatus": tote["bettingStatus"]}
    return body


def race(world: World, info: Links, base: str, day_text: str, venue: str, race_type: str,
         number_text: str) -> Body:
    """`/{jurisdiction}/racing/{date}/{venue}/{raceType}/races/{n}`: one resulted race.

    `info` builds the info service's links (and carries the jurisdiction, whose tote the
    dividends come from)."""
    day = _day(world, day_text)
    now = world.clock.now()
    meeting = mnemonics(world.plan_of(day)).get(f"{venue}/{race_type}")
    plan = (meeting.race(int(number_text)) if meeting is not None and number_text.isdigit()
            else None)
    if meeting is None or plan is None or _resulted(plan, now) is None:
        raise HistoryNotFound(f"No result for race {number_text} at {venue}/{race_type} on "
                              f"{day_text}", "race", number_text)
    detail = race_detail(world.detail_of(meeting, plan, info, now))
    close = _stamp(plan.start)
    body: Body = {key: detail[key] for key in (
        "raceNumber", "raceName", "raceDistance", "raceClassConditions", "raceStatus",
        "results") if key in detail}
    body["raceStartTime"] = _stamp(plan.start)
    body["meeting"] = dict(detail["meeting"], venueMnemonic=venue)
    body["runners"] = [_runner(world, meeting, plan, r) for r in detail["runners"]]
    body["dividends"] = [dict(d, poolCloseTime=close, mergePool=None, mergePoolTotal=0)
                         for d in detail.get("dividends", [])]
    if "resultedTime" in detail:
        body["resultedTime"] = _restamp(detail["resultedTime"])
    body["_links"] = {"self": _race_link(base, info.jurisdiction, day, venue, race_type,
                                         plan.number)}
    return body
