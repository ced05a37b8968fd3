"""Per-session configuration that a gateway (e.g. Smithery) passes with each request.

This model is the single source of the schema `smithery.yaml` publishes as `configSchema`.
The upstream base URL is deliberately absent: a caller must never be able to send
credentials to another host.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from app.domain.credentials import Credentials
from app.domain.jurisdictions import Jurisdiction
from app.domain.toolsets import ToolsetName as Toolset
from app.jsonschema import compact_properties

#: Where the request-configuration middleware leaves a validated `SessionConfig` in
#: `scope["state"]`.
STATE_KEY = "session_config"


class SessionConfig(BaseModel):
    """Optional settings for one session; anything unset falls back to the server's config."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True,
                              title="tab-mcp session configuration")

    jurisdiction: Jurisdiction | None = Field(
        None, description="Betting jurisdiction for prices and products (default: the server's).")
    tab_client_id: str | None = Field(
        None, alias="tabClientId", max_length=200,
        description="Your Tabcorp API client id (optional; public data needs none).")
    tab_client_secret: SecretStr | None = Field(
        None, alias="tabClientSecret", max_length=500,
        description="Your Tabcorp API client secret.")
    tab_username: SecretStr | None = Field(
        None, alias="tabUsername", max_length=200, description="Your TAB account number.")
    tab_password: SecretStr | None = Field(
        None, alias="tabPassword", max_length=500, description="Your TAB account password.")
    toolsets: list[Toolset] | None = Field(
        None, description="Toolsets to expose (default: the server's).")
    bet_max_stake: float | None = Field(
        None, alias="betMaxStake", gt=0,
        description="Lower the server's maximum $ per bet for this session (never raises it).")
    bet_max_daily: float | None = Field(
        None, alias="betMaxDaily", gt=0,
        description="Lower the server's maximum $ staked per day for this session.")

    @field_validator("jurisdiction", mode="before")
    @classmethod
    def _upper_jurisdiction(cls, value: Any) -> Any:
        # Gateways and hand-written URLs send "vic" as often as "VIC".
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _complete_credentials(self) -> SessionConfig:
        self.credentials.check_complete(
            ("tabClientId", "tabClientSecret", "tabUsername", "tabPassword"))
        return self

    @property
    def credentials(self) -> Credentials:
        """The session's own Tabcorp credentials (all parts unset when it brings none)."""
        return Credentials.of(self)

    @property
    def has_credentials(self) -> bool:
        """True when the session brings its own Tabcorp credentials."""
        return bool(self.tab_client_id)


def session_config_of(request: Any) -> SessionConfig | None:
    """The validated configuration of an HTTP request (a Starlette `Request`), or None.

    Inside a tool: `session_config_of(ctx.request_context.request)`.
    """
    scope = getattr(request, "scope", None)
    if not isinstance(scope, dict):
        return None
    config = scope.get("state", {}).get(STATE_KEY)
    return config if isinstance(config, SessionConfig) else None


def config_json_schema() -> dict[str, Any]:
    """The JSON schema of `SessionConfig`, by alias, as `smithery.yaml` publishes it.

    Optional fields are published as their plain type (no `anyOf` with null, no null default),
    which is how gateway config forms expect optional fields.
    """
    schema = SessionConfig.model_json_schema(by_alias=True)
    properties: dict[str, Any] = schema["properties"]
    compact_properties(properties, optional="plain")
    return {"type": "object", "title": schema["title"], "description": schema["description"],
            "properties": properties, "additionalProperties": False}
