"""One deadline per tool call, carried to every upstream fetch the call makes.

A tool call opens `call_deadline(seconds)`; each fetch inside it (however many, sequential or
concurrent) gets at most the time left, and the pacer never waits past it. Nested scopes keep
the earlier deadline.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextvars import ContextVar

from app.primitives.scoped import scoped

_DEADLINE: ContextVar[float | None] = ContextVar("tab_call_deadline", default=None)


@contextlib.contextmanager
def call_deadline(seconds: float) -> Iterator[float]:
    """Within this block, upstream work ends `seconds` from now (a monotonic instant)."""
    deadline = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None:
        deadline = min(deadline, outer)
    with scoped(_DEADLINE, deadline):
        yield deadline


def current_deadline() -> float | None:
    """The deadline of the tool call in progress (a `time.monotonic()` instant), if any."""
    return _DEADLINE.get()
