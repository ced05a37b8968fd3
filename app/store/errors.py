"""The two ways the shared store says "not this time"."""

from __future__ import annotations


class StoreUnavailable(Exception):
    """The shared store is not configured, or is down or slow right now: use the in-process
    path. The message is safe to show an operator (never a URL, password or key)."""


class SealError(ValueError):
    """A sealed value did not open: tampered with, sealed under another key, or under another
    context. Callers treat it as a miss."""
