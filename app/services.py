"""The long-lived objects behind the tools, owned by the app's lifespan."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.config import Settings

if TYPE_CHECKING:
    import httpx2


@dataclass
class Services:
    """Settings plus the upstream client (created when the app starts, closed when it stops)."""

    settings: Settings
    transport: httpx2.AsyncBaseTransport | None = None
    toolsets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.toolsets:
            self.toolsets = list(self.settings.tab_mcp_toolsets)

    @property
    def sandbox(self) -> bool:
        """True when the upstream is the sandbox (embedded, or a sandbox on loopback)."""
        return self.settings.tab_sandbox

    async def start(self) -> None:
        """Open upstream connections."""

    async def stop(self) -> None:
        """Close upstream connections."""

    async def readiness(self) -> tuple[bool, str]:
        """Whether the service can serve now, and why not."""
        return True, "ok"
