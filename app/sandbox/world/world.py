"""`World`: one method per info-service endpoint, each returning the upstream's JSON body."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.sandbox.clock import Clock
from app.sandbox.world import futures, lifecycle, racing, unverified
from app.sandbox.world.cache import Lru
from app.sandbox.world.detail import race_detail
from app.sandbox.world.errors import NotFound
from app.sandbox.world.field import RaceField, make_field
from app.sandbox.world.form import form_entry
from app.sandbox.world.links import Links
from app.sandbox.world.market import Book, make_book
from app.sandbox.world.meetings import MeetingPlan, RacePlan, plan_day
from app.sandbox.world.pools import APPROXIMATE_PRODUCTS, approximates_body
from app.sandbox.world.race_view import RaceView
from app.sandbox.world.runners import RunnerInfo, make_runners
from app.sandbox.world.sports_world import DEFAULT_NEXT_TO_GO, Body, SportsWorld
from app.sandbox.world.util import parse_day, sydney_date

#: Fields are published this many days ahead; later dates have no meetings yet.
DAYS_AHEAD = 3
#: Dates further back than this have no meetings (results history is another service).
DAYS_BACK = 400


class World(SportsWorld):
    """The sandbox's data: deterministic for a seed, moving with the clock.

    Static generation (meetings, fields, price paths, runner particulars) is a pure function of
    the seed and the object's identity and is memoised in small LRUs; everything that changes
    with time (status, visible scratchings, current prices, pools, results) is computed from the
    clock on every call, so one (seed, instant) always gives byte-identical bodies.
    """

    def __init__(self, seed: int = 2026, clock: Clock | None = None) -> None:
        self.seed = seed
        self.clock = clock if clock is not None else Clock()
        self._days: Lru[tuple[MeetingPlan, ...]] = Lru(8)
        self._fields: Lru[RaceField] = Lru(4096)
        self._books: Lru[Book] = Lru(512)
        self._infos: Lru[dict[int, RunnerInfo]] = Lru(256)

    # -- lookups --------------------------------------------------------------------------
    def today(self) -> date:
        """The Australian (Sydney) date at the clock's instant."""
        return sydney_date(self.clock.now())

    def day_plan(self, day: date) -> tuple[MeetingPlan, ...]:
        """Every meeting on `day` (empty outside the published window)."""
        today = self.today()
        if not today - timedelta(days=DAYS_BACK) <= day <= today + timedelta(days=DAYS_AHEAD):
            return ()
        return self.plan_of(day)

    def plan_of(self, day: date) -> tuple[MeetingPlan, ...]:
        """Every meeting on `day`, published or not (the results history reaches further)."""
        return self._days.get(day, lambda: plan_day(self.seed, day))

    def _meeting(self, date_text: str, race_type: str, venue: str) -> MeetingPlan:
        if date_text == "futures":
            raise NotFound(f"No meeting found for {race_type}/{venue} in futures", "venue", venue)
        day = parse_day(date_text, self.today())
        for meeting in self.day_plan(day):
            v = meeting.venue
            if v.mnemonic is not None and v.race_type == race_type and v.mnemonic == venue.upper():
                return meeting
        raise NotFound(f"No meeting found for {race_type}/{venue} on {date_text}", "venue", venue)

    @staticmethod
    def _race(meeting: MeetingPlan, race_text: str) -> RacePlan:
        race = meeting.race(int(race_text)) if race_text.isdigit() else None
        if race is None:
            raise NotFound(f"Race {race_text} not found at {meeting.venue.name}", "race",
                           race_text)
        return race

    def field(self, meeting: MeetingPlan, number: int) -> RaceField:
        """The (memoised) field of one race."""
        race = meeting.race(number)
        assert race is not None
        return self._fields.get((meeting.day, meeting.venue.key, number),
                                lambda: make_field(self.seed, meeting, race))

    def _field_of(self, meeting: MeetingPlan) -> racing.FieldOf:
        return lambda number: self.field(meeting, number)

    def book(self, meeting: MeetingPlan, number: int) -> Book:
        """The (memoised) fixed-odds price path of one race."""
        race = meeting.race(number)
        assert race is not None
        return self._books.get(
            (meeting.day, meeting.venue.key, number),
            lambda: make_book(self.seed, meeting.day.isoformat(), meeting.venue.key, number,
                              self.field(meeting, number), race.start))

    def _runner_infos(self, meeting: MeetingPlan, race: RacePlan) -> dict[int, RunnerInfo]:
        return self._infos.get(
            (meeting.day, meeting.venue.key, race.number),
            lambda: make_runners(self.seed, meeting.venue, meeting.day.isoformat(), race.number,
                                 race.race_class, self.field(meeting, race.number)))

    def _detail(self, date_text: str, race_type: str, venue: str, race_text: str,
                links: Links, now: datetime) -> RaceView:
        meeting = self._meeting(date_text, race_type, venue)
        return self.detail_of(meeting, self._race(meeting, race_text), links, now)

    def detail_of(self, meeting: MeetingPlan, race: RacePlan, links: Links,
                  now: datetime) -> RaceView:
        """The race view of one race at `now`."""
        return RaceView(racing.RaceRef(self.seed, meeting, race, now),
                        self.field(meeting, race.number), self.book(meeting, race.number),
                        self._runner_infos(meeting, race), links,
                        lambda n: (self.field(meeting, n), self.book(meeting, n)))

    # -- racing ---------------------------------------------------------------------------
    def dates(self, links: Links) -> Body:
        """R1 `/racing/dates`: today, tomorrow and the futures entry."""
        today = self.today()
        items = []
        for name, day in (("today", today), ("tomorrow", today + timedelta(days=1))):
            items.append({"meetingDate": day.isoformat(), "dateName": name,
                          "_links": {"meetings": links(f"/racing/dates/{day}/meetings")}})
        # unverified shape: the futures entry's meetingDate is the path token itself.
        items.append({"meetingDate": "futures", "dateName": "futures",
                      "_links": {"meetings": links("/racing/dates/futures/meetings")}})
        return {"dates": items}

    def meetings(self, date: str, links: Links) -> Body:
        """R2 `/racing/dates/{date}/meetings` (and R12 for `futures`)."""
        if date == "futures":
            return futures.meetings(self.today(), links)
        now = self.clock.now()
        day = parse_day(date, self.today())
        return {"meetings": [racing.meeting_body(self.seed, m, self._field_of(m), now, links)
                             for m in self.day_plan(day)]}

    def meeting_races(self, date: str, race_type: str, venue: str, links: Links) -> Body:
        """R3 `…/meetings/{raceType}/{venue}/races`: the meeting's race stubs with links."""
        now = self.clock.now()
        meeting = self._meeting(date, race_type, venue)
        statuses = racing.statuses_of(meeting, now)
        races = []
        for race in meeting.races:
            stub = racing.race_stub(self.seed, meeting, race, self.field(meeting, race.number),
                                    statuses, now)
            path = racing.race_path(meeting, race.number)
            stub["_links"] = {"self": links(path), "form": links(path + "/form")}
            races.append(stub)
        return {"races": races}

    def race(self, date: str, race_type: str, venue: str, race: str, links: Links) -> Body:
        """R4 race detail (futures races by name when `date` is `futures`)."""
        if date == "futures":
            body = futures.race(self.seed, self.today(), race, links)
            if body is None or venue != futures.MEETING_NAME:
                raise NotFound(f"Race {race} not found", "race", race)
            return body
        return race_detail(self._detail(date, race_type, venue, race, links, self.clock.now()))

    def race_form(self, date: str, race_type: str, venue: str, race: str, links: Links) -> Body:
        """R5 `…/races/{n}/form`: every runner's form (vacant boxes have none)."""
        meeting = self._meeting(date, race_type, venue)
        plan = self._race(meeting, race)
        field = self.field(meeting, plan.number)
        infos = self._runner_infos(meeting, plan)
        return {"form": [form_entry(self.seed, meeting, plan, field, infos[e.number], links)
                         for e in field.entrants if not e.vacant]}

    def runner_form(self, date: str, race_type: str, venue: str, race: str, runner: str,
                    links: Links) -> Body:
        """R6 `…/races/{n}/form/{runner}`."""
        meeting = self._meeting(date, race_type, venue)
        plan = self._race(meeting, race)
        field = self.field(meeting, plan.number)
        entrant = field.entrant(int(runner)) if runner.isdigit() else None
        if entrant is None or entrant.vacant:
            raise NotFound(f"Runner {runner} not found in race {plan.number}", "runner", runner)
        infos = self._runner_infos(meeting, plan)
        return form_entry(self.seed, meeting, plan, field, infos[entrant.number], links)

    def approximates(self, date: str, race_type: str, venue: str, race: str, product: str,
                     links: Links) -> Body:
        """R8 `…/races/{n}/pools/{product}/approximates` (Quinella, Exacta, Duet)."""
        detail = self._detail(date, race_type, venue, race, links, self.clock.now())
        if product not in APPROXIMATE_PRODUCTS or (product == "Duet" and len(
                detail.field.entrants) < 8):
            raise NotFound(f"No approximates for pool {product}", "wageringProduct", product)
        return approximates_body(detail, product)

    def next_to_go(self, links: Links, max_races: int | None = None,
                   include_recently_closed: bool = False) -> Body:
        """R9 `/racing/next-to-go/races`: unjumped races by start time (tote meetings only)."""
        now = self.clock.now()
        today = self.today()
        wanted = {lifecycle.NORMAL}
        if include_recently_closed:
            wanted |= {lifecycle.CLOSED, lifecycle.INTERIM}
        candidates = []
        for offset in (-1, 0, 1):
            for meeting in self.day_plan(today + timedelta(days=offset)):
                if meeting.venue.fixed_odds_only:
                    continue
                for race in meeting.races:
                    if lifecycle.race_status(race.start, now, race.abandoned) in wanted:
                        candidates.append((race.start, meeting.venue.name, race.number,
                                           meeting, race))
        candidates.sort(key=lambda c: (c[0], c[1], c[2]))
        limit = DEFAULT_NEXT_TO_GO if max_races is None else max_races
        return {"races": [racing.next_to_go_item(m, r, links)
                          for _s, _n, _k, m, r in candidates[:limit]]}

    def jackpots(self, links: Links) -> Body:
        """R10 `/racing/jackpots`: jackpot-carrying pools today and tomorrow (unverified shape)."""
        now, today = self.clock.now(), self.today()
        meetings = self.day_plan(today) + self.day_plan(today + timedelta(days=1))
        return {"jackpots": unverified.jackpot_items(meetings, now, links)}

    def jackpot_pools(self, date: str, links: Links) -> Body:
        """R11 `/racing/dates/{date}/jackpot-pools` (unverified shape)."""
        if date == "futures":
            return {"jackpotPools": []}
        day = parse_day(date, self.today())
        return {"jackpotPools": unverified.jackpot_items(self.day_plan(day), self.clock.now(),
                                                         links)}
