"""Rejections sent by the inbound checks: a JSON-RPC error body, counted and logged.

The body is a JSON-RPC error with `id: null`, the shape the MCP SDK uses for its own transport
errors, so MCP clients surface `message` to their user. Messages say what to change and never
carry a submitted value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from starlette.responses import JSONResponse, Response
from starlette.types import Message, Scope, Send

from app.observability.metrics import INBOUND_REJECTED

log = structlog.get_logger("app.security")

#: JSON-RPC error codes (server-defined range) for rejections before any MCP handling.
UNAUTHORIZED = -32001
FORBIDDEN = -32003
RATE_LIMITED = -32029
INVALID_REQUEST = -32600


def rejection(
    *,
    status: int,
    reason: str,
    message: str,
    code: int = INVALID_REQUEST,
    data: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    method: str | None = None,
    path: str | None = None,
) -> Response:
    """A `status` response carrying a JSON-RPC error, counted and logged under `reason`."""
    INBOUND_REJECTED.labels(reason=reason).inc()
    # Path only: the query may carry per-session configuration.
    log_event = log.debug if reason == "rate_limited" else log.info
    log_event("inbound request rejected", reason=reason, status=status, method=method, path=path)
    error: dict[str, Any] = {"code": code, "message": message}
    if data:
        error["data"] = dict(data)
    return JSONResponse({"jsonrpc": "2.0", "id": None, "error": error}, status_code=status,
                        headers={"Cache-Control": "no-store", **(headers or {})})


async def reject(scope: Scope, send: Send, **details: Any) -> None:
    """Answer the request with `rejection(**details)` (keyword arguments as there)."""
    response = rejection(method=scope.get("method"), path=scope.get("path"), **details)
    await response(scope, _no_request_body, send)


async def _no_request_body() -> Message:
    # A rejection answers without reading the request; a response never calls this.
    raise RuntimeError("a rejection does not read the request body")
