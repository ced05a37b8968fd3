"""Meeting lists, race stubs, meeting-level pools and next-to-go entries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.sandbox.world import lifecycle
from app.sandbox.world.field import RaceField
from app.sandbox.world.links import Links, join
from app.sandbox.world.market import pool_progress
from app.sandbox.world.meetings import ExoticPlan, MeetingPlan, RacePlan
from app.sandbox.world.util import iso, money, num, unit

Body = dict[str, Any]
FieldOf = Callable[[int], RaceField]

#: Share of a race's Win pool each single-race product attracts.
POOL_SHARES = {"Win": 1.0, "Place": 0.4, "Quinella": 0.23, "Exacta": 0.08, "Duet": 0.03,
               "Trifecta": 0.38, "FirstFour": 0.12, "RunningDouble": 0.07}
_WIN_POOL = {("R", 1): 120000.0, ("R", 2): 30000.0, ("R", 3): 12000.0, ("R", 4): 25000.0,
             ("H", 1): 25000.0, ("H", 2): 12000.0, ("H", 3): 6000.0, ("H", 4): 9000.0,
             ("G", 1): 14000.0, ("G", 2): 7000.0, ("G", 3): 4000.0}


@dataclass(frozen=True)
class RaceRef:
    """A race of a meeting seen at one instant."""

    seed: int
    meeting: MeetingPlan
    race: RacePlan
    now: datetime

    @property
    def day(self) -> str:
        """The meeting date, `YYYY-MM-DD`."""
        return self.meeting.day.isoformat()

    @property
    def status(self) -> str:
        """The race's status at `now`."""
        return lifecycle.race_status(self.race.start, self.now, self.race.abandoned)


def meeting_path(meeting: MeetingPlan) -> str:
    """`/racing/dates/{date}/meetings/{raceType}/{venue}` (the venue's name when no mnemonic)."""
    venue = meeting.venue
    slot = venue.mnemonic or fo_meeting_name(meeting)
    return join("racing", "dates", meeting.day.isoformat(), "meetings", venue.race_type, slot)


def race_path(meeting: MeetingPlan, number: int) -> str:
    """The race detail path."""
    return meeting_path(meeting) + join("races", number)


def fo_meeting_name(meeting: MeetingPlan) -> str:
    """`Romford (GBR)`: the meeting name of a fixed-odds-only international meeting."""
    return f"{meeting.venue.display_name} ({meeting.venue.location})"


def match_name(meeting: MeetingPlan, race: RacePlan) -> str:
    """`ROMFORD R03 23/09`: the fixed-odds market name of such a race."""
    local = race.start.astimezone(meeting.venue.zone)
    return f"{meeting.venue.name[:18]} R{race.number:02d} {local:%d/%m}"


def sky_racing(meeting: MeetingPlan, race: RacePlan) -> dict[str, str]:
    """Replay media links (audio/video)."""
    day = meeting.day
    stem = f"{day:%Y/%m}/{day:%Y%m%d}{meeting.venue.sky_code}{race.number:02d}"
    return {"audio": f"https://mediatabs.skyracing.com.au/Audio_Replay/{stem}.mp3",
            "video": f"https://mediatabs.skyracing.com.au/Race_Replay/{stem}_V.mp4"}


def sell_code(meeting: MeetingPlan) -> dict[str, str]:
    """`{meetingCode, scheduledType}`."""
    return {"meetingCode": meeting.venue.sell_code, "scheduledType": meeting.venue.race_type}


def scratchings(field: RaceField, now: datetime) -> list[Body]:
    """Scratched entrants visible at `now` (vacant boxes are named "....")."""
    items = []
    for e in field.entrants:
        status = e.scratched_at(now)
        if status is not None:
            items.append({"runnerNumber": e.number, "runnerName": e.name, "bettingStatus": status})
    return items


def pool_final(seed: int, meeting: MeetingPlan, number: int, product: str) -> float:
    """The final size of one race's pool."""
    venue = meeting.venue
    base = _WIN_POOL.get((venue.race_type, venue.tier), 8000.0) * POOL_SHARES[product]
    spread = 0.6 + 0.9 * unit(seed, meeting.day.isoformat(), venue.key, number, product, "pool")
    return base * spread


def pool_total(seed: int, meeting: MeetingPlan, race: RacePlan, product: str,
               now: datetime) -> int | float:
    """A race pool's total at `now` (grows towards the jump, then stays)."""
    total = pool_final(seed, meeting, race.number, product) * pool_progress(now, race.start)
    return num(total)


def multi_status(statuses: Sequence[str]) -> str:
    """Pool status of a multi-race pool from its legs' statuses."""
    if all(s == lifecycle.NORMAL for s in statuses):
        return "Open"
    if statuses[-1] == lifecycle.PAYING:
        return "Paying"
    return "Closed"


def single_status(status: str) -> str:
    """Pool status of a single-race pool."""
    if status == lifecycle.NORMAL:
        return "Open"
    return "Paying" if status == lifecycle.PAYING else "Closed"


def leg(meeting: MeetingPlan, leg_number: int, race_number: int) -> Body:
    """A pool leg object."""
    race = meeting.race(race_number)
    assert race is not None
    return {"legNumber": leg_number, "raceNumber": race_number,
            "venueMnemonic": meeting.venue.mnemonic, "raceType": meeting.venue.race_type,
            "startTime": iso(race.start)}


def exotic_pool(meeting: MeetingPlan, pool: ExoticPlan, statuses: dict[int, str],
                now: datetime) -> Body:
    """One entry of a meeting's `exoticPools`."""
    legs = [leg(meeting, i, n) for i, n in enumerate(pool.legs, start=1)]
    leg_statuses = [statuses[n] for n in pool.legs]
    status = multi_status(leg_statuses)
    first = meeting.race(pool.legs[0])
    assert first is not None
    body: Body = {"wageringProduct": pool.product}
    if pool.name:
        body["name"] = pool.name
    body["poolStatusCode"] = status
    body["cashOutEligibility"] = pool.cash_out
    if status == "Closed" and any(s == lifecycle.PAYING for s in leg_statuses):
        body["multiLegApproximatesAvailable"] = True
    body["startTime"] = iso(first.start)
    # The real service reports the first leg here whatever has already run.
    body["nextRaceToJump"] = legs[0]
    body["legs"] = legs
    body["jackpot"] = num(pool.jackpot)
    body["poolTotal"] = num(pool.final_total * pool_progress(now, first.start))
    return body


def race_stub(seed: int, meeting: MeetingPlan, race: RacePlan, field: RaceField,
              statuses: dict[int, str], now: datetime) -> Body:
    """A race inside a tote meeting of the meetings list (no prices)."""
    status = statuses[race.number]
    body: Body = {
        "raceNumber": race.number,
        "raceClassConditions": race.race_class,
        "raceName": race.name,
        "raceStartTime": iso(race.start),
        "raceStatus": status,
        "raceDistance": race.distance,
        "hasParimutuel": True,
        "hasFixedOdds": status == lifecycle.NORMAL,
        "broadcastChannel": race.broadcast,
        "broadcastChannels": [race.broadcast] if race.broadcast else [],
    }
    if race.sky:
        body["skyRacing"] = sky_racing(meeting, race)
    body["willHaveFixedOdds"] = True
    body["allIn"] = False
    if race.cash_out is not None:
        body["cashOutEligibility"] = race.cash_out
    body["allowBundle"] = False
    body["results"] = field.results() if lifecycle.has_result(status) else []
    body["scratchings"] = scratchings(field, now)
    body["isJackpotRace"] = race.jackpot
    previous = statuses.get(race.number - 1)
    if previous is not None and lifecycle.has_result(previous) and status == lifecycle.NORMAL:
        rd_total = pool_final(seed, meeting, race.number - 1, "RunningDouble")
        body["multiLegApproximates"] = [
            {"wageringProduct": "RunningDouble", "jackpot": 0, "poolTotal": num(rd_total)}]
    return body


def fo_race_stub(meeting: MeetingPlan, race: RacePlan, field: RaceField, status: str,
                 now: datetime, links: Links) -> Body:
    """A race of a fixed-odds-only international meeting."""
    market = match_name(meeting, race)
    body: Body = {
        "raceNumber": race.number, "raceStatus": status, "hasParimutuel": False,
        "hasFixedOdds": False, "broadcastChannel": None, "broadcastChannels": [],
        "willHaveFixedOdds": True, "allIn": False, "cashOutEligibility": "Disabled",
        "allowBundle": False, "raceStartTime": iso(race.start),
        "meetingDate": meeting.day.isoformat(),
        "raceName": market if race.race_class is None else f"Race {race.number}",
        "matchName": market,
    }
    if race.race_class is not None:
        body["raceClassConditions"] = race.race_class
        body["raceDistance"] = race.distance
    body["fixedOddsOnlineBetting"] = True
    if lifecycle.has_result(status):
        body["results"] = field.results()
    body["scratchings"] = scratchings(field, now)
    body["isJackpotRace"] = False
    path = meeting_path(meeting) + join("races", market)
    body["_links"] = {
        "self": links(path, "fixedOdds=true"),
        "selfTemplate": (f"{links.base}{path}?fixedOdds=true&jurisdiction={{jurisdiction}}"
                         "{&channelType,cashSales,homeState,returnPromo,returnOffers}"),
        "self:all-channels": links(path + "/all-channels", "fixedOdds=true"),
    }
    return body


def statuses_of(meeting: MeetingPlan, now: datetime) -> dict[int, str]:
    """Every race's status at `now`."""
    return {r.number: lifecycle.race_status(r.start, now, r.abandoned) for r in meeting.races}


def meeting_body(seed: int, meeting: MeetingPlan, field_of: FieldOf, now: datetime,
                 links: Links) -> Body:
    """One entry of the meetings list, with its race stubs."""
    venue = meeting.venue
    statuses = statuses_of(meeting, now)
    if venue.fixed_odds_only:
        name = fo_meeting_name(meeting)
        body: Body = {"meetingName": name, "meetingDate": meeting.day.isoformat()}
        # Going and weather appear once the meeting is about to race.
        if meeting.weather is not None and now >= meeting.races[0].start - lifecycle.ABANDON_NOTICE:
            body["weatherCondition"] = meeting.weather
            body["trackCondition"] = meeting.track
        body.update({"displayMeetingName": venue.display_name, "location": venue.location,
                     "raceType": venue.race_type, "fixedOddsOnly": True})
        body["races"] = [fo_race_stub(meeting, r, field_of(r.number), statuses[r.number], now,
                                      links) for r in meeting.races]
        return body
    body = {
        "meetingName": venue.name, "location": venue.location, "raceType": venue.race_type,
        "meetingDate": meeting.day.isoformat(),
        "prizeMoney": money(sum(r.prize for r in meeting.races)),
        "weatherCondition": meeting.weather, "trackCondition": meeting.track,
        "railPosition": meeting.rail, "sellCode": sell_code(meeting),
        "venueMnemonic": venue.mnemonic,
    }
    if meeting.exotics:
        body["exoticPools"] = [exotic_pool(meeting, p, statuses, now) for p in meeting.exotics]
    body["_links"] = {"races": links(meeting_path(meeting) + "/races")}
    body["races"] = [race_stub(seed, meeting, r, field_of(r.number), statuses, now)
                     for r in meeting.races]
    return body


def next_to_go_item(meeting: MeetingPlan, race: RacePlan, links: Links) -> Body:
    """One entry of `/racing/next-to-go/races`."""
    venue = meeting.venue
    path = race_path(meeting, race.number)
    return {
        "raceStartTime": iso(race.start), "raceNumber": race.number, "raceName": race.name,
        "raceDistance": race.distance, "broadcastChannel": race.broadcast,
        "broadcastChannels": [race.broadcast] if race.broadcast else [],
        "meeting": {"sellCode": sell_code(meeting), "raceType": venue.race_type,
                    "meetingName": venue.name, "location": venue.location,
                    "weatherCondition": meeting.weather, "trackCondition": meeting.track,
                    "railPosition": meeting.rail, "venueMnemonic": venue.mnemonic,
                    "meetingDate": meeting.day.isoformat()},
        "_links": {"self": links(path), "form": links(path + "/form"),
                   "bigBets": links(path + "/big-bets")},
    }
