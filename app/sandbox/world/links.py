"""Absolute HATEOAS links, built from the request's base URL and echoing the jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

#: Characters left as they are in a path segment (the real service leaves brackets unencoded).
_SEGMENT_SAFE = "()"


def segment(value: object) -> str:
    """Percent-encode one path segment (spaces as %20, `/` as %2F)."""
    return quote(str(value), safe=_SEGMENT_SAFE)


def join(*parts: object) -> str:
    """A path made of encoded segments, with a leading slash."""
    return "".join("/" + segment(p) for p in parts)


@dataclass(frozen=True)
class Links:
    """Link builder for one request.

    `base` is the absolute URL of the info service root (no trailing slash), e.g.
    `http://127.0.0.1:8000/v1/tab-info-service`; `jurisdiction` is echoed in every link.
    """

    base: str
    jurisdiction: str

    def __call__(self, path: str, extra: str = "") -> str:
        """`{base}{path}?jurisdiction=J` plus `&extra` when given."""
        url = f"{self.base}{path}?jurisdiction={self.jurisdiction}"
        return f"{url}&{extra}" if extra else url

    def raw(self, path: str) -> str:
        """`{base}{path}` with no query (e.g. silk images)."""
        return f"{self.base}{path}"
