"""The cheap test that skips the credential patterns never skips a text they would change."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.primitives import credential_text
from app.primitives.credential_text import may_hold_credentials, scrub_credentials

MASK = "[M]"

# Pieces the patterns look for, in several cases, mixed with ordinary log text.
PIECES = ["Bearer ", "BASIC ", "basic\t", "eyJhbGciOi.eyJzdWIiOi.sig", "https://", "u:p@",
          "token", "Access_Token", "client_secret", "SECRET", "Password", "passwd", "api_key",
          "ApiKey", "key", "code", "config", "username", "client_id", "Authorization",
          "=", ":", " = ", ": ", "\"", "'", "&", " ", "/mcp", "127.0.0.1:5041", "POST",
          "HTTP/1.1", "200", "abc123", "hunter2", "ſecret", "paſſword", "\u212aey", "é", "\x00"]


def scrub_every_pattern(text: str) -> str:
    for pattern, replacement in credential_text._PATTERNS:
        text = pattern.sub(replacement, text)
    return text.replace(credential_text._MASK, MASK)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=12).map("".join))
def test_skipping_the_patterns_changes_nothing(text: str) -> None:
    assert scrub_credentials(text, MASK) == scrub_every_pattern(text)


def test_plain_lines_skip_and_credential_lines_do_not() -> None:
    assert not may_hold_credentials('127.0.0.1:50412 - "POST /mcp HTTP/1.1" 200')
    assert not may_hold_credentials("tool call")
    for text in ("Authorization: Bearer abc", "eyJabcde.eyJabcde.x", "https://u:p@host/",
                 "client_secret=x", "password: hunter2", "paſſword: hunter2"):
        assert may_hold_credentials(text), text
        assert scrub_credentials(text, MASK) != text, text
