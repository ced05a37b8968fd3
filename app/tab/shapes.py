"""The boundary where upstream bodies are checked: every read of a body's containers goes
through here, so a body of an unexpected shape (a list where an object belongs, a string where
a list belongs) becomes one `UnexpectedShape` error naming where, never a crash deeper down.

A WARNING log line names the endpoint and the place in the body; the body itself is never
logged (it may be large, and it is the upstream's data).
"""

from __future__ import annotations

import traceback
from typing import Any

import structlog

from app.tab.errors import TabError

log = structlog.get_logger(__name__)


class UnexpectedShape(TabError):
    """The upstream answered with JSON of a shape this server does not expect."""


def _unexpected(endpoint: str, where: str, expected: str, found: Any) -> UnexpectedShape:
    kind = type(found).__name__ if found is not None else "null"
    log.warning("unexpected upstream shape", endpoint=endpoint, where=where,
                expected=expected, found=kind)
    return UnexpectedShape(
        f"Tabcorp answered something unexpected ({where} is a {kind}, not {expected}); "
        "this is usually temporary, so the call can be retried in a minute.")


def body_object(data: Any, endpoint: str) -> dict[str, Any]:
    """The body `data` of `endpoint` as a JSON object."""
    if not isinstance(data, dict):
        raise _unexpected(endpoint, "the body", "an object", data)
    return data


def records(data: Any, key: str, endpoint: str) -> list[dict[str, Any]]:
    """The list of objects under `key` of the body `data` (absent or null: an empty list)."""
    return record_list(body_object(data, endpoint).get(key), key, endpoint)


def record_list(value: Any, where: str, endpoint: str) -> list[dict[str, Any]]:
    """`value` (found at `where`) as a list of objects (None: an empty list)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _unexpected(endpoint, where, "a list", value)
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise _unexpected(endpoint, f"{where}[{index}]", "an object", item)
    return value


def value_list(value: Any, where: str, endpoint: str) -> list[Any]:
    """`value` (found at `where`) as a list of any items (None: an empty list)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise _unexpected(endpoint, where, "a list", value)
    return value


def nested_object(record: dict[str, Any], key: str, endpoint: str) -> dict[str, Any]:
    """The object under `key` of `record` (absent or null: an empty object)."""
    value = record.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _unexpected(endpoint, key, "an object", value)
    return value


#: What reading a nested part of a body of the wrong shape raises (`.get` on a string,
#: iterating a number, a missing key, a string where a number belongs).
SHAPE_FAULTS = (AttributeError, TypeError, KeyError, IndexError, ValueError)


def unreadable(operation: str, error: BaseException) -> UnexpectedShape:
    """The error for a body whose nested parts did not read as expected while `operation` (a
    tool's name) shaped it. The log names the exception type and the code location only: the
    exception's text may quote the body."""
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    log.warning("unexpected upstream shape", operation=operation, error=type(error).__name__,
                at=f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else None)
    return UnexpectedShape(
        "Tabcorp answered something unexpected (a part of its answer has an unexpected shape); "
        "this is usually temporary, so the call can be retried in a minute.")
