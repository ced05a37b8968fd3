"""Start-up checks: fail closed rather than expose an account on the network.

A server that holds TAB account credentials (password grant) and listens on a non-loopback
address without API keys would let anyone who can reach it act with that account's access; it
refuses to start unless `TAB_MCP_ALLOW_INSECURE_BIND=true` says the operator accepts that (e.g.
an authenticating proxy in front), which is then logged loudly at every start.
"""

from __future__ import annotations

from app.config import Settings
from app.domain.credentials import AuthMode
from app.security.api_keys import ApiKeyError, ApiKeys
from app.setting_rules import is_loopback_host

MIN_KEY_LENGTH = 16


def _exposed(settings: Settings) -> bool:
    return not is_loopback_host(settings.host) and not settings.tab_mcp_api_keys


def startup_refusal(settings: Settings) -> str | None:
    """Why the server must not start with `settings` (one line, no secret), or None."""
    try:
        ApiKeys.parse(settings.tab_mcp_api_keys)
        if settings.tab_mcp_metrics_key:
            ApiKeys.parse([settings.tab_mcp_metrics_key], name="TAB_MCP_METRICS_KEY")
    except ApiKeyError as exc:
        return str(exc)
    if (settings.credentials.mode is AuthMode.PASSWORD and _exposed(settings)
            and not settings.tab_mcp_allow_insecure_bind):
        return (
            f"refusing to start: this server holds TAB account credentials (TAB_USERNAME/"
            f"TAB_PASSWORD) and would listen on {settings.host} without API keys, so anyone "
            "who can reach it could use the account. Set TAB_MCP_API_KEYS (or "
            "TAB_MCP_API_KEYS_FILE), or bind to 127.0.0.1, or set "
            "TAB_MCP_ALLOW_INSECURE_BIND=true if an authenticating proxy guards this server."
        )
    return None


def startup_warnings(settings: Settings) -> list[str]:
    """Risky but allowed configurations, to log at start."""
    warnings: list[str] = []
    if _exposed(settings):
        if settings.credentials.mode is AuthMode.PASSWORD:
            warnings.append(
                f"INSECURE: TAB_MCP_ALLOW_INSECURE_BIND=true - serving TAB account credentials "
                f"on {settings.host} without API keys; anyone who can reach this server can use "
                "the account. Set TAB_MCP_API_KEYS unless a proxy authenticates every request.")
        else:
            warnings.append(
                f"the MCP endpoint on {settings.host} is open to anyone who can reach it "
                "(no TAB_MCP_API_KEYS configured)")
    short = [index for index, key in enumerate(settings.tab_mcp_api_keys, start=1)
             if not key.get_secret_value().lower().startswith("sha256:")
             and len(key.get_secret_value()) < MIN_KEY_LENGTH]
    if short:
        warnings.append(
            f"TAB_MCP_API_KEYS entries {short} are shorter than {MIN_KEY_LENGTH} characters; "
            "use long random keys, e.g. from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))'`")
    return warnings
