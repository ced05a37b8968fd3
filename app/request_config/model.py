"""Per-session configuration that a gateway (e.g. Smithery) passes with each request.

This model, with `FIELD_HEADERS`, is the single source of `smithery-config-schema.json` (the
session config schema published to Smithery's gateway, see `smithery_config_schema`) and of the
headers the server reads. The upstream base URL is deliberately absent: a caller must never be
able to send credentials to another host.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from app.domain.credentials import Credentials
from app.domain.jurisdictions import Jurisdiction
from app.domain.toolsets import TOOLSETS
from app.domain.toolsets import ToolsetName as Toolset
from app.jsonschema import compact_properties

#: Where the request-configuration middleware leaves a validated `SessionConfig` in
#: `scope["state"]`.
STATE_KEY = "session_config"

#: Each setting (by alias) -> the request header that carries it. The published schema maps
#: every field to its header (`x-from`), so a gateway never puts a credential in a URL.
FIELD_HEADERS: dict[str, str] = {
    "jurisdiction": "x-tab-jurisdiction",
    "toolsets": "x-tab-toolsets",
    "tabClientId": "x-tab-client-id",
    "tabClientSecret": "x-tab-client-secret",
    "tabUsername": "x-tab-username",
    "tabPassword": "x-tab-password",
    "betMaxStake": "x-tab-bet-max-stake",
    "betMaxDaily": "x-tab-bet-max-daily",
}
#: Settings read from their headers but left out of the published schema: Smithery's 1 KB is
#: spent on the ones every session may need, and bet limits only matter where betting is on.
UNPUBLISHED = frozenset({"betMaxStake", "betMaxDaily"})


class SessionConfig(BaseModel):
    """Optional settings for one session; anything unset falls back to the server's config."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

    # Descriptions are short: the published schema must fit Smithery's 1 KB.
    jurisdiction: Jurisdiction | None = Field(
        None, description="Betting jurisdiction (default: the server's)")
    toolsets: list[Toolset] | None = Field(
        None, description=f"Comma-separated: {','.join(TOOLSETS)} (default: the server's)")
    tab_client_id: str | None = Field(
        None, alias="tabClientId", max_length=200,
        description="Your Tabcorp API client id (optional)")
    tab_client_secret: SecretStr | None = Field(
        None, alias="tabClientSecret", max_length=500,
        description="Your Tabcorp API client secret")
    tab_username: SecretStr | None = Field(
        None, alias="tabUsername", max_length=200, description="Your TAB account number")
    tab_password: SecretStr | None = Field(
        None, alias="tabPassword", max_length=500, description="Your TAB account password")
    bet_max_stake: float | None = Field(
        None, alias="betMaxStake", gt=0,
        description="Lower the server's maximum $ per bet for this session (never raises it).")
    bet_max_daily: float | None = Field(
        None, alias="betMaxDaily", gt=0,
        description="Lower the server's maximum $ staked per day for this session.")

    @field_validator("toolsets", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        # Gateway config forms carry scalars only: a list arrives as "racing,results".
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

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


def smithery_config_schema() -> dict[str, Any]:
    """The session config schema published to Smithery (`smithery-config-schema.json`).

    Within Smithery's limits (at most 20 scalar fields, 1 KB): optional fields as their plain
    type, the list of toolsets as a comma-separated string, credentials as `format: password`,
    and every field read from its header (`x-from`, see `FIELD_HEADERS`).
    """
    schema = SessionConfig.model_json_schema(by_alias=True)
    properties: dict[str, Any] = {name: prop for name, prop in schema["properties"].items()
                                  if name not in UNPUBLISHED}
    compact_properties(properties, optional="plain")
    for name, prop in properties.items():
        prop.pop("writeOnly", None)
        if prop.get("type") == "array":
            del prop["items"]
            prop["type"] = "string"
        prop["x-from"] = {"header": FIELD_HEADERS[name]}
    return {"type": "object", "properties": properties, "additionalProperties": False}


if __name__ == "__main__":  # python -m app.request_config.model > smithery-config-schema.json
    import json

    print(json.dumps(smithery_config_schema(), indent=2))
