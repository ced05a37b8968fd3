"""The one start-up line that tells a person where the server is and what it serves."""

from __future__ import annotations

import ipaddress

from app import __version__
from app.config import Settings
from app.setting_rules import is_loopback_host


def _every_interface(host: str) -> bool:
    try:
        return not host or ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def local_mcp_url(settings: Settings) -> str:
    """The MCP URL to use from this machine (loopback when bound to every interface)."""
    host = "127.0.0.1" if _every_interface(settings.host) else settings.host
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}/mcp"


def startup_line(settings: Settings) -> str:
    """MCP URL, mode (sandbox or the real service), inbound auth and toolsets, in one line."""
    mode = ("SANDBOX: simulated data, not real" if settings.tab_sandbox
            else f"real Tabcorp service at {settings.tab_base_url}")
    auth = ("API key required (Authorization: Bearer <key>)" if settings.tab_mcp_api_keys
            else "open, no API key" if is_loopback_host(settings.host)
            else "open to anyone who can reach it, no API key")
    return (f"tab-mcp {__version__} serving MCP at {local_mcp_url(settings)} "
            f"(a browser there shows how to connect) | mode: {mode} | "
            f"upstream auth: {settings.credentials.mode.value} | inbound auth: {auth} | "
            f"toolsets: {', '.join(settings.tab_mcp_toolsets)}")
