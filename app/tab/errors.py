"""Errors of the upstream client.

Every error carries a `.message` that is safe to show an end user: it never contains a
credential, a token, or a URL with its query string. Messages taken from the upstream pass
through `sanitize()` first.
"""

from __future__ import annotations

import math
import re

from app.primitives.credential_text import scrub_credentials

_URL_QUERY = re.compile(r"(https?://[^\s?#\"'<>]*)[?#][^\s\"'<>]*", re.IGNORECASE)
_USERINFO = re.compile(r"(https?://)[^\s/@]+@", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_SPACES = re.compile(r"\s+")


#: The longest `Retry-After` honoured; a larger one is treated as this.
MAX_RETRY_AFTER = 3600.0


def retry_after_seconds(value: str | None) -> float | None:
    """A `Retry-After` header in seconds (HTTP dates are not used upstream), capped; None when
    absent or unreadable."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(seconds, MAX_RETRY_AFTER) if math.isfinite(seconds) and seconds >= 0 else None


def sanitize(text: str, limit: int = 300, *, strip_tags: bool = False) -> str:
    """Make upstream-provided text safe to show: no query strings, credentials or control
    characters, whitespace collapsed, at most `limit` characters."""
    if strip_tags:
        text = _TAGS.sub(" ", text)
    text = _CONTROL.sub(" ", text)
    text = _USERINFO.sub(r"\1", text)
    text = _URL_QUERY.sub(r"\1", text)
    text = scrub_credentials(text, "[redacted]")
    text = _SPACES.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + "…"
    return text


class TabError(Exception):
    """Base of every upstream client error.

    `status` is the upstream HTTP status when there was one; `code` the upstream error code
    (e.g. `RESOURCE_NOT_FOUND_ERROR`) when it sent one.
    """

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class InvalidInput(TabError):
    """An argument was rejected locally; no request was sent. The message names the argument."""


class NotFound(TabError):
    """The upstream has no such resource (404). The message is the upstream's, sanitized."""


class BadRequest(TabError):
    """The upstream rejected the request (400 and other 4xx). The message is the upstream's."""


class Unauthorised(TabError):
    """The upstream rejected the configured credentials or token. Never echoes them."""


class RateLimited(TabError):
    """The upstream kept answering 429 until the call's deadline. `retry_after` in seconds."""

    def __init__(self, message: str, *, retry_after: float | None = None,
                 status: int | None = 429, code: str | None = None):
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class Unavailable(TabError):
    """The upstream is temporarily unreachable or failing (5xx, timeouts, connection errors
    after retries). The message says it is temporary."""


class UpstreamBusy(TabError):
    """This server's own upstream budget had no room for the request before its deadline."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class CircuitOpen(Unavailable):
    """Calls fail fast because the upstream failed repeatedly; it is retried after a pause."""


class BadResponse(TabError):
    """The upstream answered with something that is not JSON data, such as an HTML block page.

    `content_type` is the response's content type; `excerpt` a short sanitized piece of the body
    (at most 120 characters) to help diagnose it.
    """

    def __init__(self, message: str, *, content_type: str | None, excerpt: str,
                 status: int | None = None, code: str | None = None):
        super().__init__(message, status=status, code=code)
        self.content_type = content_type
        self.excerpt = excerpt[:120]
