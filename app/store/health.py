"""Whether the shared store is usable now: its mode, the reason, the fallback metric and log.

One warning when an outage starts and one line when it ends, however many operations fall back
in between (each is counted in `tab_mcp_store_fallbacks_total{operation}`).
"""

from __future__ import annotations

import asyncio

import structlog

from app.observability.metrics import STORE_FALLBACKS, STORE_SHARED

log = structlog.get_logger("app.store")

OFF, SHARED, FALLBACK = "off", "shared", "fallback"


def describe(error: BaseException, timeout: float) -> str:
    """Why an operation failed, in words with no URL, host or password in them."""
    name = type(error).__name__
    if isinstance(error, TimeoutError | asyncio.TimeoutError) or "Timeout" in name:
        return f"the shared store did not answer within {timeout:g} s"
    if "Authentication" in name:
        return "the shared store refused this server's credentials"
    if isinstance(error, OSError) or "Connection" in name:
        return f"the shared store is unreachable ({name})"
    return f"the shared store failed ({name})"


class Health:
    """The store's mode ("off", "shared" or "fallback") and the reason for it."""

    __slots__ = ("mode", "reason")

    def __init__(self, enabled: bool) -> None:
        self.mode = SHARED if enabled else OFF
        self.reason = "in use" if enabled else "not configured (TAB_MCP_REDIS_URL unset)"
        if enabled:
            STORE_SHARED.set(1)

    def fell_back(self, operation: str) -> None:
        """Count one operation served by the in-process path instead."""
        STORE_FALLBACKS.labels(operation=operation).inc()

    def failed(self, operation: str, reason: str) -> bool:
        """An operation failed: enter the fallback mode. True when this starts an outage."""
        self.fell_back(operation)
        if self.mode == FALLBACK:
            return False
        self.mode, self.reason = FALLBACK, reason + "; serving from in-process state"
        STORE_SHARED.set(0)
        log.warning("shared store unavailable, falling back to in-process state",
                    operation=operation, reason=reason)
        return True

    def recovered(self) -> None:
        """The store answers again: back to the shared mode."""
        self.mode, self.reason = SHARED, "in use"
        STORE_SHARED.set(1)
        log.info("shared store available again, back to shared state")
