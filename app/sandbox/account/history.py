"""A new sandbox account's past: a deposit, a bonus credit, settled bets on the sandbox's own
past races (prices from their price history, returns from their results) and one bet running
on a race still to jump. Everything is a function of the seed, the account number and the day.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from app.sandbox.account import bodies
from app.sandbox.account.catalogue import RaceKey, race_body
from app.sandbox.account.ledger import Account, Bet, Leg, history_transaction_id
from app.sandbox.account.settlement import settle, settled_time
from app.sandbox.world import World
from app.sandbox.world.util import SYDNEY, unit

Body = dict[str, Any]
HISTORY_DAYS = 3
BETS_PER_DAY = 2
OPENING_DEPOSIT_CENTS = 200_00
BONUS_CENTS = 10_00
PLACED_BEFORE_START = timedelta(minutes=40)
_RESULTED = ("Winner", "Placing", "Loser")


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _price_at(runner: Body, moment: datetime) -> float:
    price = float(runner["fixedOdds"]["returnWin"])
    for point in runner["fixedOdds"].get("returnHistory", []):
        if _when(point["returnWinTime"]) <= moment:
            price = float(point["returnWin"])
    return price


def _races(world: World, offset: int, r: random.Random) -> list[RaceKey]:
    day = world.today() + timedelta(days=offset)
    keys = [RaceKey(day, m.venue.race_type, m.venue.mnemonic, race.number)
            for m in world.day_plan(day) if m.venue.mnemonic and not m.venue.fixed_odds_only
            for race in m.races if not race.abandoned]
    return r.sample(keys, min(BETS_PER_DAY, len(keys)))


def _history_bet(account: Account, card: Body, race: RaceKey, r: random.Random,
                 index: int) -> Bet | None:
    runners = sorted((x for x in card["runners"]
                      if x["fixedOdds"]["bettingStatus"] in _RESULTED),
                     key=lambda x: float(x["fixedOdds"]["returnWin"]))
    if not runners:
        return None
    runner = runners[r.randrange(min(3, len(runners)))]
    placed_at = _when(card["raceStartTime"]) - PLACED_BEFORE_START
    bet_type = r.choice(("WIN", "WIN", "PLACE", "EACH_WAY"))
    if card["numberOfFixedOddsPlaces"] == 0:
        bet_type = "WIN"
    fixed = runner["fixedOdds"]
    win = _price_at(runner, placed_at)
    place = float(fixed["returnPlace"]) or 1.0
    odds = place if bet_type == "PLACE" else win
    leg = Leg("PLACE" if bet_type == "PLACE" else "WIN", race, fixed["propositionNumber"],
              ((runner["runnerNumber"],),), runner["runnerName"],
              card["meeting"]["meetingName"], card["raceStartTime"], odds,
              place if bet_type == "EACH_WAY" else None)
    stake = r.choice((5_00, 10_00, 20_00))
    cost = stake * (2 if bet_type == "EACH_WAY" else 1)
    return Bet(0, history_transaction_id(account.account_number, index),
               placed_at, "FIXED_ODDS", bet_type, stake, cost, [leg], odds)


def _running_bet(world: World, account: Account) -> tuple[Bet, Body] | None:
    now = world.clock.now()
    today = world.today()
    for meeting in world.day_plan(today):
        if not meeting.venue.mnemonic or meeting.venue.fixed_odds_only:
            continue
        for race in meeting.races:
            if race.abandoned or race.start < now + timedelta(minutes=20):
                continue
            key = RaceKey(today, meeting.venue.race_type, meeting.venue.mnemonic, race.number)
            card = race_body(world, key)
            open_runners = [x for x in card["runners"]
                            if x["fixedOdds"]["bettingStatus"] == "Open"]
            if card["raceStatus"] != "Normal" or not open_runners:
                continue
            runner = min(open_runners, key=lambda x: float(x["fixedOdds"]["returnWin"]))
            odds = _price_at(runner, now - timedelta(minutes=10))
            leg = Leg("WIN", key, runner["fixedOdds"]["propositionNumber"],
                      ((runner["runnerNumber"],),), runner["runnerName"],
                      card["meeting"]["meetingName"], card["raceStartTime"], odds)
            bet = Bet(0, history_transaction_id(account.account_number, 0),
                      now - timedelta(minutes=10), "FIXED_ODDS", "WIN", 5_00, 5_00, [leg], odds)
            return bet, card
    return None


def open_account(world: World, number: str, max_bet_cents: int) -> Account:
    """A new account `number` with its seeded history, as of the world's clock."""
    seed = world.seed
    account = Account(number, 10_000_000 + int(unit(seed, number, "customer") * 89_999_999),
                      "NSW", max_bet_cents,
                      next_bet_id=400_000_000 + int(unit(seed, number, "tickets") * 9_000_000))
    r = random.Random(f"{seed}:{number}:history")
    first_day = world.today() - timedelta(days=HISTORY_DAYS)
    opened = datetime(first_day.year, first_day.month, first_day.day, 9, tzinfo=SYDNEY)
    events: list[tuple[datetime, int, Any]] = [
        (opened, 0, ("Deposit", OPENING_DEPOSIT_CENTS, "Deposit by card")),
        (opened + timedelta(days=1), 0, ("BonusCredit", BONUS_CENTS, "Bonus bet credit"))]
    index = 0
    for offset in range(-HISTORY_DAYS, 0):
        for race in _races(world, offset, r):
            card = race_body(world, race)
            index += 1
            bet = _history_bet(account, card, race, r, index)
            if bet is not None:
                events.append((bet.placed_at, 1, bet))
                events.append((settled_time(card, world.clock.now()), 2, (bet, card)))
    running = _running_bet(world, account)
    if running is not None:
        events.append((running[0].placed_at, 1, running[0]))
    for when, kind, item in sorted(events, key=lambda e: (e[0], e[1])):
        _apply(account, when, kind, item)
    return account


def _apply(account: Account, when: datetime, kind: int, item: Any) -> None:
    if kind == 0:
        account.move(when, *item)
    elif kind == 1:
        item.bet_id = account.new_bet_id()  # tickets are numbered in the order they were taken
        account.take(item, bodies.describe(item))
    else:
        bet, card = item
        outcome = settle(bet, card)
        if outcome is None:
            return
        account.record_result(bet, outcome, when, bodies.describe(bet))
