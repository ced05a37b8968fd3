"""Rejections sent by the inbound checks: a JSON-RPC error body, counted and logged.

The body is a JSON-RPC error with `id: null`, the shape the MCP SDK uses for its own transport
errors, so MCP clients surface `message` to their user. Messages say what to change and never
carry a submitted value.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import structlog
from starlette.types import Scope, Send

from app.observability.metrics import INBOUND_REJECTED

log = structlog.get_logger("app.security")

#: JSON-RPC error codes (server-defined range) for rejections before any MCP handling.
UNAUTHORIZED = -32001
FORBIDDEN = -32003
RATE_LIMITED = -32029
INVALID_REQUEST = -32600


async def reject(
    scope: Scope,
    send: Send,
    *,
    status: int,
    reason: str,
    message: str,
    code: int = INVALID_REQUEST,
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Answer the request with `status` and a JSON-RPC error; count it under `reason`."""
    INBOUND_REJECTED.labels(reason=reason).inc()
    # Path only: the query may carry per-session configuration.
    log_event = log.debug if reason == "rate_limited" else log.info
    log_event("inbound request rejected", reason=reason, status=status,
              method=scope.get("method"), path=scope.get("path"))
    error: dict[str, Any] = {"code": code, "message": message}
    if data:
        error["data"] = dict(data)
    body = json.dumps({"jsonrpc": "2.0", "id": None, "error": error},
                      separators=(",", ":")).encode()
    raw_headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode()),
                   (b"cache-control", b"no-store")]
    raw_headers += [(k.lower().encode("latin-1"), v.encode("latin-1"))
                    for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def header(scope: Scope, name: bytes) -> str | None:
    """The first value of request header `name` (lower-case bytes), decoded as latin-1."""
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None
