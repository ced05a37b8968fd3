"""The rules settings values must follow, as plain functions (`app.config` applies them).

Each raises `ValueError` with a message naming what is allowed; none echoes a secret value.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

from app.primitives.key_material import key_material

_REDIS_SCHEMES = ("redis", "rediss", "unix")


def split_csv(value: Any) -> Any:
    """A comma-separated string as its stripped, non-empty parts (anything else unchanged)."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def is_loopback_host(host: str | None) -> bool:
    """True when `host` names this machine (localhost or a loopback address)."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":  # not `*.localhost`: only a resolver could say where those go
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_patterns(value: list[str]) -> list[str]:
    """Allowed Host patterns: a wildcard only as a leading `*.` before two or more labels."""
    for host in value:
        if "*" in host and not (host.startswith("*.") and "*" not in host[2:]
                                and "." in host[2:].removesuffix(":*")):
            raise ValueError(f"{host!r}: a wildcard is allowed only as a leading '*.' before "
                             "a domain of two or more labels, e.g. *.example.com")
    return value


def quote_secret(value: Any) -> Any:
    """Blank is unset (a key made per process); a short one would make quote ids forgeable."""
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if isinstance(text, str) and not text.strip():
        return None
    if isinstance(text, str) and len(text) < 16:
        raise ValueError("must be at least 16 characters (a random string, e.g. "
                         "`openssl rand -hex 32`)")
    return value


def upstream_url(value: str | None) -> str | None:
    """An absolute https URL without credentials (http only to a loopback address)."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http(s) URL")
    if parts.username or parts.password:
        raise ValueError("must not carry credentials in the URL")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError("must use https:// unless it points at a loopback address")
    return value.rstrip("/")


def redis_url(value: SecretStr | None) -> SecretStr | None:
    """A redis://, rediss:// or unix:// URL; blank is unset."""
    if value is None or not value.get_secret_value().strip():
        return None
    parts = urlsplit(value.get_secret_value().strip())
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = parts._replace(scheme="")
    if parts.scheme not in _REDIS_SCHEMES or not (parts.hostname or parts.path):
        raise ValueError("must be a redis://, rediss:// or unix:// URL, e.g. "
                         "redis://:PASSWORD@redis:6379/0")
    return value


def store_key(value: SecretStr | None) -> SecretStr | None:
    """Key material for sealing what the shared store holds; blank is unset."""
    if value is None or not value.get_secret_value().strip():
        return None
    key_material(value.get_secret_value())  # raises ValueError naming what is allowed
    return value
