"""A context variable set for the length of a `with` block, and restored after it."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")


@contextlib.contextmanager
def scoped(variable: ContextVar[T], value: T) -> Iterator[T]:
    """Within this block `variable` holds `value` (yielded); its earlier value after it."""
    token = variable.set(value)
    try:
        yield value
    finally:
        variable.reset(token)
