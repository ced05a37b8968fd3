"""Edges of the card and form shaping that real and sandbox bodies rarely show: comments cut
at the budget, closed or malformed side markets, records the feed gives at zero."""

from __future__ import annotations

import pytest

from app.tools.shaping.card_markets import multi_leg, odds_updated, side_markets
from app.tools.shaping.form import records, runner_form
from app.tools.shaping.text import MARKER, clip

SENTENCES = "First sentence here. Second one follows it. Third goes on and on and on."


def test_text_that_fits_is_left_whole() -> None:
    assert clip(SENTENCES, len(SENTENCES)) == SENTENCES
    assert clip("  padded.  ", 7) == "padded."


@pytest.mark.parametrize("limit", [30, 44, 60, 71])
def test_long_text_is_cut_at_a_sentence_and_marked(limit: int) -> None:
    cut = clip(SENTENCES, limit)
    assert len(cut) <= limit and cut.endswith(f". {MARKER}")
    assert SENTENCES.startswith(cut.removesuffix(f" {MARKER}"))


def test_a_runner_number_is_not_a_sentence_end() -> None:
    text = "6. PEYTON won well. 12. MIA'S ACE can figure. 3. BLESSED EAGLE is the query."
    assert clip(text, 50) == f"6. PEYTON won well. 12. MIA'S ACE can figure. {MARKER}"
    assert clip(text, 40) == f"6. PEYTON won well. {MARKER}"


def test_text_without_a_sentence_end_is_cut_at_a_word() -> None:
    cut = clip("one two three four five six seven", 16)
    assert cut == f"one two three{MARKER}" and len(cut) <= 16
    assert clip("x" * 50, 10) == "x" * 8 + MARKER


def market(option: str, status: str = "Open", **prices: float) -> dict[str, object]:
    return {"betOption": option, "bettingStatus": status, "propositions": [
        {"runnerNumber": int(n[1:]), "returnWin": p, "bettingStatus": "Open"}
        for n, p in prices.items()]}


def test_side_markets_keep_open_top_markets_shortest_first() -> None:
    race = {"sameRaceMultiMarkets": [market("Top 1", r1=3.0), market("Top 2", r1=1.8, r2=1.4),
                                     market("Top 3", "Closed", r1=1.2)],
            "extraMarkets": [market("Favourite Out", r2=4.0, r3=0.0)]}
    assert side_markets(race) == {"Top 2": "2=1.4 1=1.8", "Favourite Out": "2=4"}
    assert side_markets({}) is None
    assert side_markets({"sameRaceMultiMarkets": [None, {"betOption": "Top 2"}]}) is None


def test_multi_leg_lines_skip_empty_pools_and_name_the_decided_legs() -> None:
    race = {"multiLegApproximates": [
        {"wageringProduct": "RunningDouble", "approximateSets": [{
            "results": [{"legNumber": 1, "result": 4, "runnerName": "ALPHA"}],
            "approximates": [{"selection": 2, "return": 9.5}, {"selection": 1, "return": 0},
                             {"selection": 3, "return": 4}]}]},
        {"wageringProduct": "DailyDouble", "approximateSets": [{"approximates": []}]}]}
    assert multi_leg(race) == {"RunningDouble": "leg 1 won by 4 ALPHA: 3=4 2=9.5"}
    assert multi_leg({"multiLegApproximates": "not a list"}) is None


def test_odds_updated_says_what_the_feed_gives() -> None:
    assert odds_updated({"fixedOddsUpdateTime": "T1"}) == {"fixed": "T1"}
    assert odds_updated({}) is None


def test_every_record_is_kept_and_zero_is_explicit() -> None:
    summaries = {"overall": {"numberOfStarts": 4, "numberOfWins": 1, "numberOfPlacings": 2},
                 "slow": {"numberOfStarts": 0, "numberOfWins": 0, "numberOfPlacings": 0},
                 "classStronger": {"numberOfStarts": 2}, "weirdNewKind": {}}
    assert records(summaries) == {"career": "4-1-2", "slow": "0-0-0", "class_stronger": "2-0-0",
                                  "weird_new_kind": "0-0-0"}


def test_a_start_listed_as_last_start_and_last_win_counts_once() -> None:
    start = {"startDate": "2026-01-02", "venueAbbreviation": "RAND", "raceNumber": 3,
             "finishingPosition": "1", "numberOfStarters": 9}
    entry = {"runnerNumber": 1, "runnerName": "A", "runnerStarts": {"previousStarts": [
        {**start, "startType": "LastWins"}, {**start, "startType": "LastStarts"},
        {**start, "startType": "Trial", "startDate": "2026-02-01"}]}}
    form = runner_form(entry, recent=3, comment_chars=100)
    assert [s.position for s in form.recent] == ["1/9"]
    assert [s.date for s in form.trials or []] == ["2026-02-01"]
    assert form.stats == {} and form.comment is None
