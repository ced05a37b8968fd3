"""From an upstream HTTP response to a result or one of the errors of `app.tab.errors`."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx2

from app.primitives import bounded_json
from app.tab.auth import TokenManager
from app.tab.errors import (
    BadRequest,
    BadResponse,
    NotFound,
    RateLimited,
    TabError,
    Unauthorised,
    Unavailable,
    retry_after_seconds,
    sanitize,
)
from app.tab.fetched import Fetched, Stored

RETRYABLE_STATUSES = frozenset({502, 503, 504})
_ERROR_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


class Retry(Exception):
    """An attempt failed in a way a later attempt may not."""

    def __init__(self, error: TabError | None, *, retry_after: float | None = None,
                 reauth: bool = False) -> None:
        super().__init__(error.message if error else "re-authenticate")
        self.error = error
        self.retry_after = retry_after
        self.reauth = reauth


def interpret(status: int, headers: httpx2.Headers, body: bytes, tokens: TokenManager,
              token: str | None) -> Stored:
    """The result of an upstream response, or the error it means (`Retry` when a later attempt
may do better)."""
    content_type = headers.get("content-type", "")
    if 200 <= status < 300:
        data = _parse_json(status, content_type, body)
        fetched = Fetched(data=data, fetched_at=datetime.now(UTC),
                          sandbox=headers.get("x-tab-sandbox") == "1", cached=False)
        return Stored(fetched, len(body), replace(fetched, cached=True))
    if status == 401 and token is not None:
        tokens.invalidate(token)
        raise Retry(None, reauth=True)
    if status == 429:
        retry_after = retry_after_seconds(headers.get("retry-after"))
        wait = f" (it asked to wait {retry_after:g} s)" if retry_after is not None else ""
        raise Retry(RateLimited(f"The TAB service is rate limiting this server{wait}; "
                                 "try again shortly.", retry_after=retry_after),
                     retry_after=retry_after)
    if status in RETRYABLE_STATUSES:
        raise Retry(Unavailable(f"The TAB service is temporarily unavailable (HTTP {status});"
                                 " try again shortly.", status=status))
    if status >= 500:
        raise Unavailable(f"The TAB service had an internal error (HTTP {status}); this is "
                          "usually temporary, try again shortly.", status=status)
    if 300 <= status < 400:
        raise BadResponse(f"The TAB service redirected the request (HTTP {status}) instead "
                          "of answering it; its address may have changed.",
                          content_type=content_type or None, excerpt="", status=status)
    if _looks_like_html(content_type, body):
        raise _html_error(status, content_type, body)
    code, message = _upstream_error(body)
    if status == 404:
        raise NotFound(message or "The TAB service has nothing at that address.",
                       status=status, code=code)
    if status in (401, 403):
        raise Unauthorised(
            f"The TAB service refused access (HTTP {status})"
            + (f": {message}" if message else "."), status=status, code=code)
    raise BadRequest(message or f"The TAB service rejected the request (HTTP {status}).",
                     status=status, code=code)


def _looks_like_html(content_type: str, body: bytes) -> bool:
    return "html" in content_type.lower() or body.lstrip()[:1] == b"<"


def _excerpt(body: bytes) -> str:
    return sanitize(body[:4096].decode("utf-8", errors="replace"), 120, strip_tags=True)


def _html_error(status: int, content_type: str, body: bytes) -> BadResponse:
    return BadResponse(
        f"The TAB service answered with a web page instead of data (HTTP {status}); its edge "
        "may be blocking this server's network address. Try again later.",
        content_type=content_type or None, excerpt=_excerpt(body), status=status)


def _parse_json(status: int, content_type: str, body: bytes) -> Any:
    if _looks_like_html(content_type, body):
        raise _html_error(status, content_type, body)
    try:
        return bounded_json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python parses
        raise BadResponse(
            f"The TAB service sent a response that is not valid JSON (HTTP {status}); this is "
            "usually temporary, try again shortly.",
            content_type=content_type or None, excerpt=_excerpt(body), status=status) from None


def _upstream_error(body: bytes) -> tuple[str | None, str | None]:
    """The code and message of the upstream's error envelope, sanitized."""
    try:
        document = bounded_json.loads(body)
    except ValueError:
        return None, None
    error = document.get("error") if isinstance(document, dict) else None
    if not isinstance(error, dict):
        return None, None
    code = error.get("code")
    code = code if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else None
    message = error.get("message")
    message = sanitize(message) if isinstance(message, str) and message.strip() else None
    return code, message
