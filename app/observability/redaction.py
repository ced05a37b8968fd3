"""Secret redaction for log events: by key, by value pattern and by exact configured value.

The redactor runs inside the log formatter, after exceptions have been rendered to text, so it
sees every byte that is about to be written, whichever logger produced it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, MutableMapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

from app.primitives.credential_text import scrub_credentials
from app.primitives.substring_index import SubstringIndex

REDACTED = "[REDACTED]"

_SENSITIVE_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|"
    r"private[-_]?key|session[-_]?id|^config$|^username$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _sensitive_key(key: str) -> bool:
    # Log events reuse a small set of keys: each is tested once, not on every line.
    return _SENSITIVE_KEY.search(key) is not None


class Redactor:
    """Removes secrets from strings and nested structures.

    `secrets` are exact values (the configured credentials and API keys); each is also matched
    in its URL-encoded forms, which is how it would appear in a logged URL.

    Per-session values stay registered while they are in use: each request carrying them marks
    them used, and only values unused for `session_idle_seconds` are forgotten. Nothing evicts
    them by count, so other sessions cannot push a live secret out. Matching goes through one
    `SubstringIndex`, so its cost does not grow with the number of sessions seen.
    """

    def __init__(self, secrets: Iterable[str] = (), *,
                 session_idle_seconds: float = 3600.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._permanent: set[str] = set()
        self._permanent_sorted: list[str] = []
        self._session_last_used: dict[str, float] = {}
        self._session_index = SubstringIndex()
        self._idle = session_idle_seconds
        self._clock = clock
        self._next_sweep = clock() + session_idle_seconds
        self._lock = threading.Lock()
        self.add_secrets(secrets)

    @staticmethod
    def _variants(secrets: Iterable[str]) -> set[str]:
        return {form for secret in secrets if secret and len(secret) >= 4
                for form in (secret, quote(secret, safe=""), quote_plus(secret))}

    def add_secrets(self, secrets: Iterable[str]) -> None:
        """Register more exact values to redact for the life of the process."""
        with self._lock:
            self._permanent.update(self._variants(secrets))
            # Longest first so a secret containing another is replaced whole.
            self._permanent_sorted = sorted(self._permanent, key=len, reverse=True)

    def add_session_secrets(self, secrets: Iterable[str]) -> None:
        """Register a session's own credentials, or mark them used again.

        Called on every request that carries them.
        """
        now = self._clock()
        with self._lock:
            for variant in self._variants(secrets) - self._permanent:
                if variant not in self._session_last_used:
                    self._session_index.add(variant)
                self._session_last_used[variant] = now
            if now >= self._next_sweep:
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        idle = [variant for variant, used in self._session_last_used.items()
                if now - used >= self._idle]
        for variant in idle:
            del self._session_last_used[variant]
            self._session_index.discard(variant)
        self._next_sweep = now + self._idle / 4

    @property
    def session_secret_count(self) -> int:
        """How many per-session values (with their encoded forms) are registered."""
        return len(self._session_last_used)

    def text(self, value: str) -> str:
        """Redact one string."""
        for secret in self._permanent_sorted:
            if secret in value:
                value = value.replace(secret, REDACTED)
        for secret in self._session_index.found_in(value):
            value = value.replace(secret, REDACTED)
        return scrub_credentials(value, REDACTED)

    def value(self, value: Any, key: str | None = None) -> Any:
        """Redact any JSON-like value; a sensitive `key` hides the value whole."""
        if key is not None and _sensitive_key(key) and value not in (None, "", False):
            return REDACTED
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple | set):
            return [self.value(item) for item in value]
        if isinstance(value, int | float | bool) or value is None:
            return value
        return self.text(repr(value))

    def event(self, event: MutableMapping[str, Any]) -> dict[str, Any]:
        """Redact a structlog event dict (keys that structlog itself owns are kept as is)."""
        return {
            key: value if key in _STRUCTURAL_KEYS else self.value(value, key)
            for key, value in event.items()
        }


_STRUCTURAL_KEYS = frozenset({"timestamp", "level", "logger", "request_id", "_record",
                              "_from_structlog"})
