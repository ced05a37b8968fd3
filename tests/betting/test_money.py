"""Upstream amounts and times as the account tools give them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.betting.money import amount, australian_day, cents, masked, parse_time, times


@pytest.mark.parametrize(("text", "value"), [
    ("$0.00", 0.0), ("$1,234.50", 1234.5), ("-$3.00", -3.0), ("10.00", 10.0), (7, 7.0),
    (2.345, 2.35), ("", None), ("n/a", None), (None, None), (True, None)])
def test_amounts_read_as_dollars_or_not_at_all(text: object, value: float | None) -> None:
    assert amount(text) == value


def test_cents_do_not_drift_through_floats() -> None:
    assert cents(0.29) == 29 and cents(19.99) == 1999 and cents(1e-3) == 0


def test_times_are_utc_and_sydney_and_the_day_is_sydneys() -> None:
    moment = parse_time("2026-09-23T14:30:00.000Z")
    assert moment == datetime(2026, 9, 23, 14, 30, tzinfo=UTC)
    assert times(moment) == {"utc": "2026-09-23T14:30:00Z",
                             "local": "2026-09-24T00:30:00+10:00"}
    assert australian_day(moment) == "2026-09-24"
    assert parse_time("yesterday") is None and times(None) is None


def test_account_numbers_show_three_digits_at_most() -> None:
    assert masked(12345678) == "…678" and masked("") == "" and masked(None) == ""
