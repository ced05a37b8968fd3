"""Cutting long upstream prose to a budget without leaving a sentence silently half-said."""

from __future__ import annotations

import re

#: Appended wherever text was cut, so a reader knows more was said.
MARKER = "…"

#: A full stop, not the one after a runner's number ("7. REACHIN' OUT ...").
_SENTENCE_END = re.compile(r"(?<!\b\d)(?<!\b\d\d)[.!?](?=\s)")


def clip(text: str, limit: int) -> str:
    """`text` whole if it fits in `limit` characters; otherwise cut at the last sentence end
    (or, failing one, the last word) that fits, followed by the marker."""
    text = text.strip()
    if len(text) <= limit:
        return text
    room = max(1, limit - len(MARKER) - 1)
    head = text[:room + 1]
    ends = [match.end() for match in _SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= room // 3:
        return f"{head[:ends[-1]]} {MARKER}"
    words = head[:room].rsplit(" ", 1)[0] if " " in head[:room] else head[:room]
    return f"{words.rstrip(' ,;:')}{MARKER}"
