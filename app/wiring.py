"""Where the upstream is: the one decision whether the server talks to the embedded sandbox.

`--sandbox` always means the in-process sandbox. `TAB_SANDBOX=true` does too, unless
`TAB_BASE_URL` points at a standalone sandbox on loopback (`python -m app.sandbox`), which is
then reached over the network like the real upstream. The sandbox package is imported only
when it is used.
"""

from __future__ import annotations

from typing import Any

import httpx2

from app.config import Settings, load_settings


def embedded_sandbox(settings: Settings, *, requested: bool = False) -> bool:
    """True when the server should answer from the in-process sandbox.

    `requested` is the command line's `--sandbox`.
    """
    if requested:
        return True
    if not settings.tab_sandbox:
        return False
    from app.sandbox.embedded import SANDBOX_BASE_URL

    return settings.tab_base_url == SANDBOX_BASE_URL or not settings.upstream_is_loopback


def wired_settings(*, sandbox: bool = False, **overrides: Any) -> Settings:
    """Settings from the environment plus `overrides`, pointed at the embedded sandbox (its
    address and public sandbox credentials) when `embedded_sandbox` says so."""
    settings = load_settings(**overrides)
    if not embedded_sandbox(settings, requested=sandbox):
        return settings
    from app.sandbox.embedded import sandbox_settings_overrides

    return load_settings(**overrides, **sandbox_settings_overrides())


def upstream_transport(settings: Settings) -> httpx2.AsyncBaseTransport | None:
    """A transport into a fresh in-process sandbox when `settings` use the embedded sandbox,
    else None (the network)."""
    if not embedded_sandbox(settings):
        return None
    from app.sandbox.embedded import sandbox_transport

    return sandbox_transport()
