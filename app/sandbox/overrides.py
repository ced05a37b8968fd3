"""Per-path overrides: replay a recorded response (say, a real race card) for one exact path."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass(frozen=True)
class Override:
    """A canned response for one path (the query string is ignored)."""

    path: str
    status: int
    body: bytes
    content_type: str

    @classmethod
    def from_dict(cls, data: Any) -> Override:
        """Build from `{"path", "status"?, "body", "content_type"?}`; `ValueError` if malformed.

        A string body is sent as it is; anything else is sent as JSON. The path may be given
        percent-encoded (as on the wire) or decoded.
        """
        if not isinstance(data, dict) or not isinstance(data.get("path"), str):
            raise ValueError("an override needs a JSON object with a string 'path'")
        path = unquote(data["path"].split("?", 1)[0])
        if not path.startswith("/"):
            raise ValueError("the override path must start with '/'")
        if path.startswith("/_sandbox"):
            raise ValueError("the admin routes cannot be overridden")
        status = data.get("status", 200)
        if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
            raise ValueError("status must be an HTTP status code from 200 to 599")
        if "body" not in data:
            raise ValueError("an override needs a 'body'")
        raw = data["body"]
        body = raw.encode("utf-8") if isinstance(raw, str) else json.dumps(raw).encode("utf-8")
        content_type = data.get("content_type", "application/json")
        if not isinstance(content_type, str) or not content_type or not content_type.isascii():
            raise ValueError("content_type must be a non-empty ASCII string")
        return cls(path, status, body, content_type)


class Overrides:
    """The installed overrides, by exact decoded path."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_path: dict[str, Override] = {}

    def put(self, override: Override) -> None:
        """Install or replace the override for its path."""
        with self._lock:
            self._by_path[override.path] = override

    def get(self, path: str) -> Override | None:
        """The override for `path`, if any."""
        with self._lock:
            return self._by_path.get(path)

    def paths(self) -> list[str]:
        """The overridden paths."""
        with self._lock:
            return sorted(self._by_path)

    def clear(self) -> None:
        """Remove every override."""
        with self._lock:
            self._by_path.clear()


class OverrideMiddleware:
    """Answers overridden paths with their recorded response."""

    def __init__(self, app: ASGIApp, overrides: Overrides) -> None:
        self.app = app
        self.overrides = overrides

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        override = self.overrides.get(scope["path"]) if scope["type"] == "http" else None
        if override is None:
            await self.app(scope, receive, send)
            return
        headers = [
            (b"content-type", override.content_type.encode("ascii")),
            (b"content-length", str(len(override.body)).encode()),
        ]
        await send({"type": "http.response.start", "status": override.status, "headers": headers})
        await send({"type": "http.response.body", "body": override.body, "more_body": False})
