"""Which account and betting toolsets a server serves, decided from its settings alone.

Betting is served only when all three hold: the server holds account credentials (the password
grant), inbound API keys are configured, and `TAB_MCP_BETTING` is true. A session's own
configuration can narrow the toolsets it sees, never add one, so it cannot switch betting on.
"""

from __future__ import annotations

from app.config import Settings
from app.domain.credentials import AuthMode


def holds_account(settings: Settings) -> bool:
    """True when the server holds account credentials (the password grant)."""
    return settings.credentials.mode is AuthMode.PASSWORD


def betting_refusal(settings: Settings) -> str | None:
    """Why betting is off on this server, or None when all three switches are on."""
    missing = []
    if not holds_account(settings):
        missing.append("the server holds no account credentials (TAB_USERNAME/TAB_PASSWORD)")
    if not settings.tab_mcp_api_keys:
        missing.append("no inbound API keys are configured (TAB_MCP_API_KEYS)")
    if not settings.tab_mcp_betting:
        missing.append("betting is not switched on (TAB_MCP_BETTING=true)")
    return ("betting is off: " + "; ".join(missing)) if missing else None


def served_toolsets(settings: Settings) -> list[str]:
    """The configured toolsets, with `betting` exactly when all three betting switches are on.
    (`account` tools are listed per session: where the server or the session holds an
    account, see `app.tools.account_visibility`.)"""
    served = [name for name in settings.tab_mcp_toolsets if name != "betting"]
    if betting_refusal(settings) is None:
        served.append("betting")
    return served
