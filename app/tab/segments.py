"""One path segment of an upstream request, validated and percent-encoded.

A value that could leave its segment (`/`, `..`, `?`, `#`, backslashes, control characters,
percent sequences that decode to any of those) or that is out of range is rejected with
`InvalidInput` naming the argument, before any request is made.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date as Date
from datetime import datetime
from urllib.parse import quote, unquote

from app.domain.jurisdictions import JURISDICTIONS
from app.domain.race_types import RACE_TYPES
from app.tab.errors import InvalidInput

WAGERING_PRODUCTS = (
    "Win", "Place", "Quinella", "Exacta", "Duet", "Trifecta", "FirstFour", "RunningDouble",
    "DailyDouble", "Treble", "Quaddie", "EarlyQuaddie", "Big6", "OddsAndEvens",
)
DATE_WORDS = ("today", "tomorrow", "futures")
MAX_RACE_NUMBER = 99
MAX_RUNNER_NUMBER = 99
DEFAULT_MAX_LEN = 100

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORBIDDEN = frozenset("/\\?#")
_PRODUCTS_BY_LOWER = {name.lower(): name for name in WAGERING_PRODUCTS}


def _problem(value: str) -> str | None:
    """Why `value` cannot be one path segment, or None when it can."""
    if not value.strip():
        return "must not be empty"
    if value in (".", ".."):
        return "must not be '.' or '..'"
    for char in value:
        if char in _FORBIDDEN:
            return f"must not contain {char!r}"
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            return "must not contain control characters"
    return None


def segment(value: str, *, what: str, max_len: int = DEFAULT_MAX_LEN) -> str:
    """Percent-encode `value` as one path segment, or raise `InvalidInput` naming `what`."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text")
    if len(value) > max_len:
        raise InvalidInput(f"{what} is too long ({len(value)} characters; at most {max_len})")
    problem = _problem(value)
    if problem is None and "%" in value:
        # Reject encodings of forbidden characters too, in case anything downstream decodes twice.
        decoded = value
        for _ in range(3):
            decoded = unquote(decoded)
            problem = _problem(decoded)
            if problem is not None:
                problem = f"{problem} (percent-encoded)"
                break
    if problem is not None:
        raise InvalidInput(f"{what} {problem}")
    return quote(value, safe="")


def jurisdiction(value: str) -> str:
    """A betting jurisdiction code (upper case), or `InvalidInput` listing the allowed codes."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if code in JURISDICTIONS:
        return code
    hint = " (WA has no TAB info-service jurisdiction)" if code == "WA" else ""
    raise InvalidInput(f"jurisdiction must be one of {', '.join(JURISDICTIONS)}{hint}")


def date_segment(value: str | Date) -> str:
    """`YYYY-MM-DD` (a real calendar date), `today`, `tomorrow` or `futures`."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, Date):
        return value.isoformat()
    if not isinstance(value, str):
        raise InvalidInput("date must be YYYY-MM-DD, 'today', 'tomorrow' or 'futures'")
    text = value.strip()
    if text.lower() in DATE_WORDS:
        return text.lower()
    if _ISO_DATE.fullmatch(text):
        try:
            return Date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidInput(f"date {text[:10]} is not a calendar date") from None
    raise InvalidInput("date must be YYYY-MM-DD, 'today', 'tomorrow' or 'futures'")


def race_type_segment(value: str) -> str:
    """`R` (thoroughbred), `H` (harness) or `G` (greyhound); case-insensitive."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if code in RACE_TYPES:
        return code
    raise InvalidInput("race_type must be R (thoroughbred), H (harness) or G (greyhound)")


def number_segment(value: int | str, *, what: str, maximum: int) -> str:
    """A positive integer 1..maximum (ints or digit strings)."""
    if isinstance(value, bool):
        raise InvalidInput(f"{what} must be a whole number from 1 to {maximum}")
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or not 1 <= value <= maximum:
        raise InvalidInput(f"{what} must be a whole number from 1 to {maximum}")
    return str(value)


def product_segment(value: str) -> str:
    """A wagering product from `WAGERING_PRODUCTS` (case-insensitive), canonical casing."""
    name = _PRODUCTS_BY_LOWER.get(value.strip().lower()) if isinstance(value, str) else None
    if name is None:
        raise InvalidInput(f"product must be one of {', '.join(WAGERING_PRODUCTS)}")
    return name
