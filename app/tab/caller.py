"""Who an upstream request is for: the key the pacer shares its budget by.

A tool call names its caller (an API key id, else a credential fingerprint, else the client's
address) with `caller_scope` or `use_caller`; requests made outside any scope share one
anonymous caller.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from app.primitives.scoped import scoped

ANONYMOUS = "anonymous"
_CALLER: ContextVar[str] = ContextVar("tab_upstream_caller", default=ANONYMOUS)


@contextlib.contextmanager
def caller_scope(caller: str) -> Iterator[None]:
    """Within this block, upstream requests are on behalf of `caller`."""
    with scoped(_CALLER, caller):
        yield


def use_caller(caller: str) -> None:
    """From here on in the current context (one tool call's task), requests are `caller`'s."""
    _CALLER.set(caller)


def current_caller() -> str:
    """The caller of the upstream work in progress."""
    return _CALLER.get()
