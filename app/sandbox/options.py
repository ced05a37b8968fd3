"""Configuration of the sandbox: credentials, token lifetime, fault rules and edge protection."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from app.sandbox.clock import Clock

GARBAGE_KINDS = ("truncated", "not_json", "html_block", "mixed")

DEFAULT_CLIENT_ID = "sandbox-client"
# Sandbox-only credentials: published on purpose, they open nothing but this offline imitation.
DEFAULT_CLIENT_SECRET = "sandbox-secret"  # noqa: S105
DEFAULT_USERNAME = "12345678"
DEFAULT_PASSWORD = "sandbox-password"  # noqa: S105

_RATE_FIELDS = ("error_rate", "rate_limit_rate", "garbage_rate", "drop_rate")


@dataclass
class FaultConfig:
    """One fault rule. Everything is off by default; rules are tried in order, first match wins.

    Rates are shares of matching requests in [0, 1]; for one request a single draw picks at most
    one of drop, 429, 5xx or garbage (in that order), so the shares of a rule should sum to <= 1.
    Latency applies to every matching request. With `count` set the rule matches only the next
    `count` requests in its scope. Without `path_prefix` the scope is every info-service path
    (never the token endpoint or the admin routes); with it, requests whose path starts with the
    prefix, either as a full path (`/oauth/token`) or after the service root (`/racing`).
    With `after_handler` the route runs first (a bet is taken) and only then is its answer
    delayed, dropped or replaced by the 5xx, 429 or a truncated body.
    """

    latency_ms: float = 0
    jitter_ms: float = 0
    error_rate: float = 0
    error_status: int | None = None
    rate_limit_rate: float = 0
    retry_after: float = 1
    garbage_rate: float = 0
    garbage_kind: str = "mixed"
    drop_rate: float = 0
    count: int | None = None
    path_prefix: str | None = None
    after_handler: bool = False

    def __post_init__(self) -> None:
        for name in (*_RATE_FIELDS, "latency_ms", "jitter_ms", "retry_after"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name} must be a number")
            if value < 0:
                raise ValueError(f"{name} must not be negative")
        for name in _RATE_FIELDS:
            if getattr(self, name) > 1:
                raise ValueError(f"{name} is a share and must be between 0 and 1")
        if sum(getattr(self, name) for name in _RATE_FIELDS) > 1 + 1e-9:
            raise ValueError("the rates of one rule must not add up to more than 1")
        if self.error_status is not None and (
            isinstance(self.error_status, bool)
            or not isinstance(self.error_status, int)
            or not 500 <= self.error_status <= 599
        ):
            raise ValueError("error_status must be a 5xx status code")
        if self.garbage_kind not in GARBAGE_KINDS:
            raise ValueError(f"garbage_kind must be one of {', '.join(GARBAGE_KINDS)}")
        if self.count is not None and (
            isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0
        ):
            raise ValueError("count must be a non-negative integer")
        if not isinstance(self.after_handler, bool):
            raise ValueError("after_handler must be true or false")
        if self.path_prefix is not None and (
            not isinstance(self.path_prefix, str) or not self.path_prefix.startswith("/")
        ):
            raise ValueError("path_prefix must start with '/'")

    @classmethod
    def from_dict(cls, data: Any) -> FaultConfig:
        """Build a rule from a JSON object; unknown keys and bad values raise `ValueError`."""
        if not isinstance(data, dict):
            raise ValueError("a fault rule must be a JSON object")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault setting(s): {', '.join(unknown)}")
        try:
            return cls(**data)
        except TypeError as exc:  # a comparison of a string with a number, say
            raise ValueError(str(exc)) from exc

    def to_dict(self) -> dict[str, Any]:
        """The rule as a JSON object (the inverse of `from_dict`)."""
        return dataclasses.asdict(self)


def _default_clients() -> dict[str, str]:
    return {DEFAULT_CLIENT_ID: DEFAULT_CLIENT_SECRET}


def _default_accounts() -> dict[str, str]:
    return {DEFAULT_USERNAME: DEFAULT_PASSWORD}


@dataclass
class SandboxOptions:
    """How a sandbox instance behaves. The defaults give a well-behaved service."""

    seed: int = 2026
    clock: Clock = field(default_factory=Clock)
    clients: dict[str, str] = field(default_factory=_default_clients)
    accounts: dict[str, str] = field(default_factory=_default_accounts)
    expires_in: int = 10800
    faults: list[FaultConfig] = field(default_factory=list)
    edge_protection: bool = False
    edge_rate: float = 3.0
    edge_burst: int = 3
