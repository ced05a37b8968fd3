"""Typed settings read from the environment (and an optional `.env` file).

Every secret is a `SecretStr`, so its value never appears in a repr, a log line or a validation
error; each also accepts a `<NAME>_FILE` variable naming a file that holds it, set in the
environment or in `.env` alike. `load_settings()` turns a validation failure into
`SettingsError`, whose message names the variable and what is allowed, and never echoes the
rejected value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from app import setting_rules as rules
from app.domain.credentials import Credentials
from app.domain.jurisdictions import DEFAULT_JURISDICTION, Jurisdiction
from app.domain.toolsets import DEFAULT_TOOLSETS, TOOLSETS
from app.setting_rules import is_loopback_host

#: Settings whose values are secrets; each also accepts a `<NAME>_FILE` variant.
SECRET_SETTINGS = ("tab_client_secret", "tab_username", "tab_password", "tab_mcp_api_keys",
                   "tab_mcp_metrics_key", "tab_mcp_quote_secret", "tab_mcp_redis_url",
                   "tab_mcp_store_key")
class SettingsError(Exception):
    """A setting is invalid. The message is one line, safe to print (no secret values)."""


CsvList = Annotated[list[str], NoDecode]
SecretCsvList = Annotated[list[SecretStr], NoDecode]


class Settings(BaseSettings):
    """All configuration of the server. Environment names are the field names in upper case."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False,
        hide_input_in_errors=True,
    )

    # Upstream
    tab_base_url: str = "https://api.beta.tab.com.au"
    tab_token_url: str | None = None
    tab_client_id: str | None = None
    tab_client_secret: SecretStr | None = None
    tab_username: SecretStr | None = None
    tab_password: SecretStr | None = None
    tab_jurisdiction: Jurisdiction = DEFAULT_JURISDICTION
    tab_connect_timeout: float = Field(5.0, gt=0, le=60)
    tab_read_timeout: float = Field(10.0, gt=0, le=120)
    tab_call_deadline: float = Field(20.0, gt=0, le=300)
    tab_max_connections: int = Field(20, ge=1, le=1000)
    tab_rate_limit: float | None = Field(None, ge=0)
    tab_rate_burst: int = Field(3, ge=1, le=100)
    tab_user_agent: str = (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/131.0 Safari/537.36 tab-mcp"
    )
    tab_accept_language: str = "en-AU,en;q=0.9"
    tab_cache_enabled: bool = True
    # Cache warming: the next races' cards kept fresh from spare upstream budget
    tab_mcp_warmer: Literal["auto", "on", "off"] = "auto"
    tab_mcp_warmer_share: float = Field(0.5, gt=0, le=1)
    tab_mcp_warmer_races: int = Field(10, ge=1, le=40)

    # Upstream fairness and backoff under hostile load
    tab_login_backoff: float = Field(30.0, gt=0, le=3600)
    tab_login_backoff_max: float = Field(900.0, gt=0, le=86400)

    # Inbound
    tab_mcp_api_keys: SecretCsvList = Field(default_factory=list)
    tab_mcp_allowed_hosts: CsvList = Field(default_factory=list)
    tab_mcp_allowed_origins: CsvList = Field(default_factory=list)
    #: None: public unless API keys are set (then `/metrics` needs one too).
    tab_mcp_metrics_public: bool | None = None
    tab_mcp_metrics_key: SecretStr | None = None
    tab_mcp_toolsets: CsvList = Field(default_factory=lambda: list[str](DEFAULT_TOOLSETS))
    tab_mcp_allow_insecure_bind: bool = False
    tab_mcp_rate_limit: float = Field(100.0, ge=0)
    tab_mcp_rate_burst: int = Field(1000, ge=1)
    tab_mcp_max_body_bytes: int = Field(1_048_576, ge=1024, le=4 * 1_048_576)

    # Process
    host: str = "127.0.0.1"
    port: int = Field(8081, ge=1, le=65535)
    tab_mcp_log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    tab_mcp_log_format: Literal["auto", "json", "console"] = "auto"
    forwarded_allow_ips: str | None = None
    tab_mcp_graceful_timeout: int = Field(10, ge=1, le=300)
    #: Worker processes sharing the port (the common `WEB_CONCURRENCY` convention).
    web_concurrency: int = Field(1, ge=1, le=256)
    tab_sandbox: bool = False

    # Connections (inbound): limits and timeouts against slow or flooding clients
    tab_mcp_trusted_proxies: CsvList = Field(default_factory=list)
    tab_mcp_max_connections: int = Field(500, ge=1, le=100_000)
    tab_mcp_max_connections_per_client: int = Field(50, ge=1, le=100_000)
    tab_mcp_max_streams: int = Field(1000, ge=1, le=100_000)
    tab_mcp_max_streams_per_client: int = Field(100, ge=1, le=10_000)
    tab_mcp_header_timeout: float = Field(10.0, gt=0, le=300)
    tab_mcp_body_timeout: float = Field(30.0, gt=0, le=600)
    tab_mcp_keepalive_timeout: float = Field(5.0, gt=0, le=300)
    tab_mcp_stream_idle_timeout: float = Field(300.0, gt=0, le=86_400)

    # Account and betting (betting is off unless switched on, with API keys and an account)
    tab_account_base_url: str | None = None
    tab_mcp_betting: bool = False
    tab_mcp_quote_secret: SecretStr | None = None
    tab_mcp_quote_ttl: int = Field(90, ge=10, le=600)
    tab_mcp_bet_max_stake: float = Field(20.0, gt=0, le=10_000)
    tab_mcp_bet_max_daily: float = Field(100.0, gt=0, le=100_000)
    tab_mcp_bet_race_types: CsvList = Field(default_factory=list)
    tab_mcp_bet_sports: CsvList = Field(default_factory=list)
    tab_mcp_data_dir: Path = Path(".tab-mcp")
    tab_mcp_bet_journal: Path | None = None

    # Shared store (Redis or Valkey): unset, every process keeps its own state
    tab_mcp_redis_url: SecretStr | None = None
    tab_mcp_store_key: SecretStr | None = None
    tab_mcp_redis_timeout: float = Field(0.25, gt=0, le=10)
    tab_mcp_store_namespace: str = Field("tab-mcp", pattern=r"^[A-Za-z0-9_.-]{1,64}$")

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Explicit values, then `<NAME>_FILE` secrets, the environment, `.env`, defaults."""
        assert isinstance(env_settings, EnvSettingsSource)
        assert isinstance(dotenv_settings, DotEnvSettingsSource)
        secret_files = SecretFilesSource(settings_cls, env_settings, dotenv_settings)
        return init_settings, secret_files, env_settings, dotenv_settings, file_secret_settings

    @field_validator("tab_mcp_api_keys", "tab_mcp_allowed_hosts", "tab_mcp_allowed_origins",
                     "tab_mcp_toolsets", "tab_mcp_trusted_proxies", "tab_mcp_bet_race_types",
                     "tab_mcp_bet_sports", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        return rules.split_csv(value)

    @field_validator("tab_mcp_allowed_hosts")
    @classmethod
    def _host_patterns(cls, value: list[str]) -> list[str]:
        return rules.host_patterns(value)

    @field_validator("tab_mcp_quote_secret", mode="before")
    @classmethod
    def _quote_secret(cls, value: Any) -> Any:
        return rules.quote_secret(value)

    @field_validator("tab_mcp_log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("tab_jurisdiction", mode="before")
    @classmethod
    def _upper_jurisdiction(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("tab_mcp_toolsets")
    @classmethod
    def _known_toolsets(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in TOOLSETS]
        if unknown:
            raise ValueError(f"unknown toolset(s) {unknown}; allowed: {', '.join(TOOLSETS)}")
        return value

    @field_validator("tab_base_url", "tab_token_url", "tab_account_base_url")
    @classmethod
    def _safe_upstream_url(cls, value: str | None) -> str | None:
        return rules.upstream_url(value)

    @field_validator("tab_mcp_redis_url")
    @classmethod
    def _redis_url(cls, value: SecretStr | None) -> SecretStr | None:
        return rules.redis_url(value)

    @field_validator("tab_mcp_store_key")
    @classmethod
    def _store_key(cls, value: SecretStr | None) -> SecretStr | None:
        return rules.store_key(value)

    @model_validator(mode="after")
    def _store_key_with_credentials(self) -> Settings:
        if self.tab_mcp_redis_url is not None and self.tab_mcp_store_key is None and (
                self.tab_client_id or self.tab_username):
            raise ValueError(
                "TAB_MCP_REDIS_URL with upstream credentials needs TAB_MCP_STORE_KEY (it seals "
                "what the fleet shares about them): set it to the same value on every replica, "
                "e.g. the output of `openssl rand -hex 32`")
        return self

    @model_validator(mode="after")
    def _consistent_credentials(self) -> Settings:
        self.credentials.check_complete(
            ("TAB_CLIENT_ID", "TAB_CLIENT_SECRET", "TAB_USERNAME", "TAB_PASSWORD"))
        return self

    @property
    def credentials(self) -> Credentials:
        """The server's own upstream credentials (`TAB_CLIENT_ID`, `TAB_CLIENT_SECRET`, ...)."""
        return Credentials.of(self)

    @property
    def token_url(self) -> str:
        """The OAuth token endpoint: `TAB_TOKEN_URL`, else `<TAB_BASE_URL>/oauth/token`."""
        return self.tab_token_url or f"{self.tab_base_url}/oauth/token"

    @property
    def upstream_is_loopback(self) -> bool:
        """True when the upstream is on this machine (the sandbox)."""
        return is_loopback_host(urlsplit(self.tab_base_url).hostname)

    @property
    def effective_rate_limit(self) -> float | None:
        """Upstream requests per second; `None` means unlimited.

        Unset, it is 2.5/s for a remote upstream (the real edge resets bursts) and unlimited
        for a loopback sandbox. `0` also means unlimited.
        """
        if self.tab_rate_limit is None:
            return None if self.upstream_is_loopback else 2.5
        return self.tab_rate_limit or None

    @property
    def warmer_enabled(self) -> bool:
        """Whether the cache warmer runs: `TAB_MCP_WARMER`, where `auto` means on for the real
        service and off for the sandbox (embedded or on loopback)."""
        if self.tab_mcp_warmer == "auto":
            return not (self.tab_sandbox or self.upstream_is_loopback)
        return self.tab_mcp_warmer == "on"

    @property
    def trusted_proxies(self) -> str:
        """The proxies whose `X-Forwarded-*` headers are believed, as uvicorn takes them:
        `TAB_MCP_TRUSTED_PROXIES`, else `FORWARDED_ALLOW_IPS`, else none at all."""
        if self.tab_mcp_trusted_proxies:
            return ",".join(self.tab_mcp_trusted_proxies)
        return self.forwarded_allow_ips or ""

    def secret_values(self) -> list[str]:
        """Every configured secret value, for exact-value log redaction."""
        values: list[str] = []
        for name in SECRET_SETTINGS:
            value = getattr(self, name)
            items = value if isinstance(value, list) else [value]
            values.extend(item.get_secret_value() for item in items if item is not None)
        if self.tab_mcp_redis_url is not None:  # its password alone, as a driver might show it
            password = urlsplit(self.tab_mcp_redis_url.get_secret_value()).password
            values.extend(filter(None, (password, password and unquote(password))))
        return [value for value in values if len(value) >= 4]


def secret_file_variables(environ: Mapping[str, str | None],
                          dotenv: Mapping[str, str | None]) -> dict[str, str]:
    """The `<NAME>_FILE` variables of the secret settings, by upper-case name, from `dotenv`
    (the `.env` file's variables) and `environ`; the environment wins over the file."""
    found: dict[str, str] = {}
    for source in (dotenv, environ):
        for key, value in source.items():
            name = key.upper()
            if value and name.endswith("_FILE") and name[:-5].lower() in SECRET_SETTINGS:
                found[name] = value
    return found


def dotenv_variables() -> Mapping[str, str | None]:
    """Every variable of the `.env` file `Settings` reads (none when there is no file)."""
    return DotEnvSettingsSource(Settings).env_vars


def read_secret_files(environ: Mapping[str, str],
                      names: Iterable[str] = SECRET_SETTINGS) -> dict[str, str]:
    """The values of the `<NAME>_FILE` variables (mounted Docker/Kubernetes secrets) among
    `names`, by setting name; raises `SettingsError` naming the variable of an unreadable file.
    """
    resolved: dict[str, str] = {}
    for name in names:
        path = environ.get(f"{name.upper()}_FILE")
        if path:
            try:
                resolved[name] = Path(path).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise SettingsError(
                    f"{name.upper()}_FILE: cannot read {path!r} ({exc.strerror}); "
                    "point it at a readable file holding the secret"
                ) from None
    return resolved


#: The environment `load_settings(environ)` was given, in place of the process's and `.env`'s.
_SECRET_FILE_ENVIRON: ContextVar[Mapping[str, str] | None] = ContextVar(
    "secret_file_environ", default=None)


class SecretFilesSource(PydanticBaseSettingsSource):
    """The secrets named by `<NAME>_FILE` variables, set in the environment or in `.env`."""

    def __init__(self, settings_cls: type[BaseSettings], env: EnvSettingsSource,
                 dotenv: DotEnvSettingsSource) -> None:
        super().__init__(settings_cls)
        given = _SECRET_FILE_ENVIRON.get()
        self._variables = (secret_file_variables(env.env_vars, dotenv.env_vars) if given is None
                           else secret_file_variables(given, {}))

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # every value comes from __call__

    def __call__(self) -> dict[str, Any]:
        return read_secret_files(self._variables)


def describe_validation_error(error: ValidationError) -> str:
    """One line naming each bad variable and what is allowed, without any submitted value."""
    parts = []
    for item in error.errors():
        field = ".".join(str(loc) for loc in item["loc"]) or "settings"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "literal_error":
            message = f"must be one of {item.get('ctx', {}).get('expected', '')}"
        label = field.upper() if item["loc"] else "configuration"
        parts.append(f"{label}: {message}")
    return "invalid configuration: " + "; ".join(parts)


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build `Settings`, or raise `SettingsError` (one line, no secret values).

    Each setting comes from the first of: `overrides` (the command line's options); the file
    named by its `<NAME>_FILE` variable (secrets only; the variable may be set in the process
    environment or in `.env`, the environment winning); the process environment; the `.env`
    file in the working directory; the default. `environ`, when given, is where `<NAME>_FILE`
    variables are looked up instead (the process environment and `.env` still supply every
    other setting).
    """
    token = _SECRET_FILE_ENVIRON.set(environ)
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(exc)) from None
    finally:
        _SECRET_FILE_ENVIRON.reset(token)
