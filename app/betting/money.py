"""Amounts and times as the account tools give them: dollars.cents numbers, UTC and Sydney."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from app.domain.zones import SYDNEY


def amount(value: object) -> float | None:
    """`"$1,234.50"`, `"-$3.00"`, `"10.00"` or a number → 1234.5, -3.0, 10.0; None if unreadable."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return round(float(value), 2)
    text = str(value).strip().replace(",", "").replace("$", "")
    try:
        return float(round(Decimal(text), 2))
    except InvalidOperation:
        return None


def cents(value: float) -> int:
    """Dollars → whole cents."""
    return int((Decimal(str(value)) * 100).to_integral_value())


def parse_time(value: object) -> datetime | None:
    """An upstream ISO time (with Z or an offset) as an aware UTC datetime."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def times(moment: datetime | None) -> dict[str, str] | None:
    """`{"utc": "...Z", "local": "...+10:00"}` (Australia/Sydney), or None."""
    if moment is None:
        return None
    return {"utc": moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            "local": moment.astimezone(SYDNEY).isoformat(timespec="seconds")}


def australian_day(moment: datetime) -> str:
    """The Sydney calendar date of `moment` (the day the daily cap counts)."""
    return moment.astimezone(SYDNEY).date().isoformat()


def masked(number: object) -> str:
    """An account number or customer id with all but its last three digits hidden."""
    text = str(number or "")
    return "…" + text[-3:] if text else ""
