"""The one set of patterns that finds credentials inside free text (logs, upstream messages)."""

from __future__ import annotations

import re

_MASK = "\x00"  # stands for the caller's mask in the replacement templates below

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization-style credentials: "Bearer abc", "Basic Zm9vOmJhcg=="
    (re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=\-]+", re.IGNORECASE), rf"\1 {_MASK}"),
    # JWT-shaped strings
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), _MASK),
    # user:pass@ in URLs
    (re.compile(r"(?<=://)[^/\s:@]+:[^/\s@]+@"), f"{_MASK}@"),
    # secrets in query strings or form bodies: token=..., client_secret=..., config=...
    (re.compile(
        r"(?i)\b((?:access_|refresh_|id_)?token|client_secret|secret|password|passwd|api_?key|"
        r"apikey|key|config|code|username|client_id|authorization)=([^&\s\"',;]+)"),
     rf"\1={_MASK}"),
    # secrets in JSON-ish text: "password": "...", 'token': '...'
    (re.compile(
        r"(?i)([\"']?(?:access_token|refresh_token|token|client_secret|secret|password|api_key|"
        r"authorization)[\"']?\s*[:=]\s*)([\"'])(?:(?!\2).)*\2"),
     rf"\1\2{_MASK}\2"),
    # unquoted "password: hunter2" or "token = abc" in prose
    (re.compile(r"(?i)\b(access_token|refresh_token|client_secret|password|token|secret)"
                r"(\s*[:=]\s*)(?![\"'\x00])\S+"),
     rf"\1\2{_MASK}"),
)


# Every pattern above needs one of these in the text (lower-cased), so a text holding none of
# them, nor "=", "eyJ" or "://...@", cannot match any: most log lines are such texts. (A text
# holding the placeholder `_MASK` is scrubbed too, as the replacement turns it into the mask.)
_KEYWORDS = ("bearer", "basic", "token", "secret", "password", "api_key", "authorization")


def may_hold_credentials(text: str) -> bool:
    """False only when no pattern can match `text` (a cheap test that runs no pattern)."""
    if not text.isascii():
        # Case-insensitive matching also folds some non-ASCII letters ("ſ" as "s").
        return True
    if "=" in text or "eyJ" in text or ("://" in text and "@" in text) or _MASK in text:
        return True
    lowered = text.lower()
    return any(keyword in lowered for keyword in _KEYWORDS)


def scrub_credentials(text: str, mask: str) -> str:
    """`text` with every credential-shaped part replaced by `mask` (names kept, values gone)."""
    if not may_hold_credentials(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text.replace(_MASK, mask)
