"""Secret redaction for log events: by key, by value pattern and by exact configured value.

The redactor runs inside the log formatter, after exceptions have been rendered to text, so it
sees every byte that is about to be written, whichever logger produced it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, MutableMapping
from typing import Any
from urllib.parse import quote, quote_plus

from app.primitives.credential_text import scrub_credentials
from app.primitives.lru import LRU

REDACTED = "[REDACTED]"

_SENSITIVE_KEY = re.compile(
    r"pass(word|wd)?|secret|token|authori[sz]ation|cookie|api[-_]?key|credential|"
    r"private[-_]?key|session[-_]?id|^config$|^username$",
    re.IGNORECASE,
)

class Redactor:
    """Removes secrets from strings and nested structures.

    `secrets` are exact values (the configured credentials and API keys); each is also matched
    in its URL-encoded forms, which is how it would appear in a logged URL.
    """

    def __init__(self, secrets: Iterable[str] = (), *, max_session_secrets: int = 2048) -> None:
        self._permanent: set[str] = set()
        # Per-session values, most recently used last; bounded so sessions cannot grow it.
        self._session: LRU[str, None] = LRU(max_session_secrets)
        self._secrets: list[str] = []
        self.add_secrets(secrets)

    @staticmethod
    def _variants(secrets: Iterable[str]) -> set[str]:
        return {form for secret in secrets if secret and len(secret) >= 4
                for form in (secret, quote(secret, safe=""), quote_plus(secret))}

    def _rebuild(self) -> None:
        # Longest first so a secret containing another is replaced whole.
        self._secrets = sorted(self._permanent | set(self._session), key=len, reverse=True)

    def add_secrets(self, secrets: Iterable[str]) -> None:
        """Register more exact values to redact for the life of the process."""
        self._permanent.update(self._variants(secrets))
        self._rebuild()

    def add_session_secrets(self, secrets: Iterable[str]) -> None:
        """Register a session's own credentials; the most recently used values are kept.

        Called on every request that carries them: known values are only marked as used.
        """
        changed = False
        for variant in self._variants(secrets):
            if variant in self._session:
                self._session.get(variant)
            elif variant not in self._permanent:
                self._session.put(variant, None)
                changed = True
        if changed:
            self._rebuild()

    def text(self, value: str) -> str:
        """Redact one string."""
        for secret in self._secrets:
            if secret in value:
                value = value.replace(secret, REDACTED)
        return scrub_credentials(value, REDACTED)

    def value(self, value: Any, key: str | None = None) -> Any:
        """Redact any JSON-like value; a sensitive `key` hides the value whole."""
        if key is not None and _SENSITIVE_KEY.search(key) and value not in (None, "", False):
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
