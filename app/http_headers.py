"""The one way the inbound middlewares read request headers."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Scope


def request_headers(scope: Scope) -> Headers:
    """The request's headers as Starlette `Headers`, over the scope's own list (not a copy).

    For reading: every request meets several middlewares, and `Headers(scope=...)` copies the
    list each time. Change headers with `MutableHeaders(scope=scope)`, which copies it first.
    """
    return Headers(raw=scope["headers"])


def optional_header(headers: Headers, name: str) -> str | None:
    """The first value of header `name`, or None; cheaper than `headers.get` for a header
    that is usually absent (`Mapping.get` raises and catches a `KeyError` on a miss)."""
    return headers[name] if name in headers else None
