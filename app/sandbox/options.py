"""Configuration of the sandbox: credentials, token lifetime, fault rules and edge protection."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, model_validator

from app.sandbox.clock import Clock
from app.sandbox.validation import parse

DEFAULT_CLIENT_ID = "sandbox-client"
# Sandbox-only credentials: published on purpose, they open nothing but this offline imitation.
DEFAULT_CLIENT_SECRET = "sandbox-secret"  # noqa: S105
DEFAULT_USERNAME = "12345678"
DEFAULT_PASSWORD = "sandbox-password"  # noqa: S105

GarbageKind = Literal["truncated", "not_json", "html_block", "mixed"]
#: A share of matching requests: a number (not a boolean) from 0 to 1.
Share = Annotated[float, Strict(), Field(ge=0, le=1)]
#: A duration or delay: a number (not a boolean), never negative.
NonNegative = Annotated[float, Strict(), Field(ge=0)]


def _absolute(prefix: str) -> str:
    if not prefix.startswith("/"):
        raise ValueError("must start with '/'")
    return prefix


class FaultConfig(BaseModel):
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

    model_config = ConfigDict(extra="forbid")

    latency_ms: NonNegative = 0
    jitter_ms: NonNegative = 0
    error_rate: Share = 0
    error_status: Annotated[int, Strict(), Field(ge=500, le=599)] | None = None
    rate_limit_rate: Share = 0
    retry_after: NonNegative = 1
    garbage_rate: Share = 0
    garbage_kind: GarbageKind = "mixed"
    drop_rate: Share = 0
    count: Annotated[int, Strict(), Field(ge=0)] | None = None
    path_prefix: Annotated[str, Strict(), AfterValidator(_absolute)] | None = None
    after_handler: Annotated[bool, Strict()] = False

    @model_validator(mode="after")
    def _one_draw(self) -> FaultConfig:
        rates = (self.error_rate, self.rate_limit_rate, self.garbage_rate, self.drop_rate)
        if sum(rates) > 1 + 1e-9:
            raise ValueError("the rates of one rule must not add up to more than 1")
        return self

    @classmethod
    def from_dict(cls, data: Any) -> FaultConfig:
        """Build a rule from a JSON object; unknown keys and bad values raise `ValueError`."""
        return parse(cls, data)

    def to_dict(self) -> dict[str, Any]:
        """The rule as a JSON object (the inverse of `from_dict`)."""
        return self.model_dump()


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
